// The sandbox's Slack: the project's simulators in a process of their own, started detached by
// `sandbox up`: the webhook simulator (devkit/slack/webhook-simulator.ts) and the Web API simulator
// (devkit/slack/web-api-simulator.ts) with the sandbox bot token and the app destinations' channels
// (argv[3], comma-separated) and the user groups triage.allow names (argv[4], JSON: group id → member
// ids, for usergroups.users.list). Writes `{url, apiUrl, pid}` to <dir>/slack.json once listening, every
// webhook request to <dir>/slack-received.json whenever that list grows, and the Web API's messages
// (parents, edits, thread replies) and response_url posts to <dir>/slack-messages.json whenever they change.
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSlackSimulator } from '../slack/webhook-simulator.ts';
import { startSlackWebSimulator } from '../slack/web-api-simulator.ts';
import { SANDBOX_BOT_TOKEN } from './slack.ts';

const dir = process.argv[2] ?? '.sandbox';
const channels = (process.argv[3] ?? '').split(',').filter((channel) => channel !== '');
const userGroups = JSON.parse(process.argv[4] ?? '{}') as Record<string, string[]>;
const slack = await startSlackSimulator({ ratePerSecond: 1, burst: 3 });
const web = await startSlackWebSimulator({ tokens: [SANDBOX_BOT_TOKEN], channels, userGroups });
const write = (name: string, value: unknown): void => {
  writeFileSync(join(dir, `${name}.tmp`), JSON.stringify(value));
  renameSync(join(dir, `${name}.tmp`), join(dir, name));
};
let written = -1;
let webWritten = '';
const flush = (): void => {
  // A message changes in place on chat.update: its edit count is part of what is compared.
  const webVersion = `${web.messages.length}/${web.messages.reduce((sum, m) => sum + m.edits + (m.deleted ? 1 : 0), 0)}/${web.responses.length}`;
  if (webVersion !== webWritten) {
    webWritten = webVersion;
    write('slack-messages.json', { messages: web.messages, responses: web.responses });
  }
  if (slack.requests.length === written) return;
  written = slack.requests.length;
  write(
    'slack-received.json',
    slack.requests.map(({ path, status, raw, receivedAtMs }) => ({ path, status, raw, receivedAtMs })),
  );
};
flush();
write('slack.json', { url: slack.baseUrl, apiUrl: web.apiUrl, pid: process.pid });
setInterval(flush, 100);
process.on('SIGTERM', () => void Promise.all([slack.close(), web.close()]).then(() => process.exit(0)));
