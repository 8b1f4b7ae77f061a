// The sandbox's simulators: the project's own, in a process of their own, started detached by
// `sandbox up`: Slack's webhook simulator (devkit/slack/webhook-simulator.ts) and Web API simulator
// (devkit/slack/web-api-simulator.ts) with the sandbox bot token and the app destinations' channels
// (argv[3], comma-separated) and the user groups triage.allow names (argv[4], JSON: group id → member
// ids, for usergroups.users.list); PagerDuty's Events API v2 simulator (devkit/pagerduty/) with the
// sandbox routing key registered; and a Teams Workflows webhook simulator (devkit/teams/), every path a
// workflow. Writes their URLs and its pid to <dir>/simulators.json once listening; what each received
// to <dir>/slack-received.json, pagerduty-received.json and teams-received.json whenever that list
// grows; and the Web API's messages (parents, edits, thread replies) and response_url posts to
// <dir>/slack-messages.json whenever they change (see SIMULATOR_FILES in simulators.ts).
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startPagerDutySimulator } from '../pagerduty/index.ts';
import { startSlackSimulator } from '../slack/webhook-simulator.ts';
import { startSlackWebSimulator } from '../slack/web-api-simulator.ts';
import { startWorkflowSimulator } from '../teams/workflow-simulator.ts';
import { SANDBOX_ROUTING_KEY } from './pagerduty-teams.ts';
import { SANDBOX_BOT_TOKEN } from './slack.ts';
import { SIMULATOR_FILES, type SimulatorDaemon } from './simulators.ts';

const dir = process.argv[2] ?? '.sandbox';
const channels = (process.argv[3] ?? '').split(',').filter((channel) => channel !== '');
const userGroups: Record<string, string[]> = JSON.parse(process.argv[4] ?? '{}');
const slack = await startSlackSimulator({ ratePerSecond: 1, burst: 3 });
const web = await startSlackWebSimulator({ tokens: [SANDBOX_BOT_TOKEN], channels, userGroups });
const pagerDuty = await startPagerDutySimulator();
pagerDuty.integration(SANDBOX_ROUTING_KEY);
const teams = await startWorkflowSimulator();

const write = (name: string, value: unknown): void => {
  writeFileSync(join(dir, `${name}.tmp`), JSON.stringify(value));
  renameSync(join(dir, `${name}.tmp`), join(dir, name));
};

/** A flush that writes `list()` (each item as `shape` makes it) to `name` whenever the list has grown. */
function recorder<T>(name: string, list: () => readonly T[], shape: (item: T) => unknown): () => void {
  let written = -1;
  return () => {
    const items = list();
    if (items.length === written) return;
    written = items.length;
    write(name, items.map(shape));
  };
}

let webWritten = '';
/** Writes the Web API's messages when they changed: a message changes in place on chat.update, so its edits count. */
function flushHeldSlack(): void {
  const edits = web.messages.reduce((sum, m) => sum + m.edits + (m.deleted ? 1 : 0), 0);
  const version = `${web.messages.length}/${edits}/${web.responses.length}`;
  if (version === webWritten) return;
  webWritten = version;
  write(SIMULATOR_FILES.slackMessages, { messages: web.messages, responses: web.responses });
}

const flushes = [
  flushHeldSlack,
  recorder(
    SIMULATOR_FILES.slackReceived,
    () => slack.requests,
    ({ path, status, raw, receivedAtMs }) => ({
      path,
      status,
      raw,
      receivedAtMs,
    }),
  ),
  recorder(
    SIMULATOR_FILES.pagerDutyReceived,
    () => pagerDuty.requests,
    ({ status, raw, receivedAtMs }) => ({
      status,
      raw,
      receivedAtMs,
    }),
  ),
  recorder(
    SIMULATOR_FILES.teamsReceived,
    () => teams.requests(),
    ({ path, status, raw, receivedAtMs, code }) => ({
      path,
      status,
      raw,
      receivedAtMs,
      ...(code === undefined ? {} : { code }),
    }),
  ),
];
const flush = (): void => {
  for (const each of flushes) each();
};
flush();
const urls: SimulatorDaemon = {
  url: slack.baseUrl,
  apiUrl: web.apiUrl,
  pagerDutyUrl: pagerDuty.url,
  teamsUrl: teams.url(''),
  pid: process.pid,
};
write(SIMULATOR_FILES.daemon, urls);
setInterval(flush, 100);
process.on(
  'SIGTERM',
  () => void Promise.all([slack.close(), web.close(), pagerDuty.close(), teams.close()]).then(() => process.exit(0)),
);
