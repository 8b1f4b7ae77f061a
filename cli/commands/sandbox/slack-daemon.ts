// The sandbox's Slack: the project's simulator (test/support/slack-simulator.ts) in a process of its
// own, started detached by `sandbox up`. Writes `{url, pid}` to <dir>/slack.json once listening, and
// every request it received to <dir>/slack-received.json whenever that list grows.
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSlackSimulator } from '../../../test/support/slack-simulator.ts';

const dir = process.argv[2] ?? '.sandbox';
const slack = await startSlackSimulator({ ratePerSecond: 1, burst: 3 });
const write = (name: string, value: unknown): void => {
  writeFileSync(join(dir, `${name}.tmp`), JSON.stringify(value));
  renameSync(join(dir, `${name}.tmp`), join(dir, name));
};
let written = -1;
const flush = (): void => {
  if (slack.requests.length === written) return;
  written = slack.requests.length;
  write('slack-received.json', slack.requests.map(({ path, status, raw, receivedAtMs }) => ({ path, status, raw, receivedAtMs })));
};
flush();
write('slack.json', { url: slack.baseUrl, pid: process.pid });
setInterval(flush, 100);
process.on('SIGTERM', () => void slack.close().then(() => process.exit(0)));
