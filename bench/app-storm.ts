import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { runReplay } from '../cli/replay/index.ts';
import { staticTokens } from '../destinations/slack-app/index.ts';
import { staticWebhooks } from '../destinations/slack-webhook/index.ts';
import { startSlackWebSimulator } from '../devkit/slack/web-api-simulator.ts';
import { stormWorld, type StormSettings } from './storm-world.ts';

/**
 * A finding storm to one Slack app destination: `findings` findings from 20 accounts in 4 regions,
 * replayed through the real consumer (one instance, repeats on, state in memory) against the Web API
 * simulator at Slack's documented limits (`chat.postMessage` 1/s per channel with a burst of 3,
 * `chat.update` 50/min, the file methods 100/min). Reports the time until every finding is visible in
 * Slack (named in a file shared in the storm's thread, or in a parent message) and the API calls used.
 *
 * `npx tsx bench/app-storm.ts [--findings N] [--batch-size N] [--max-findings-per-message N]`
 */

/** The figures. */
export interface AppStormResult {
  readonly findings: number;
  readonly settings: StormSettings;
  /** Wall clock of the replay, ms: every finding visible at its end. */
  readonly elapsedMs: number;
  /** Time from the start until the last call that made findings visible was answered, ms. */
  readonly visibleMs: number;
  readonly batches: number;
  /** Web API calls answered `ok` (each method), and 429s. */
  readonly callsByMethod: Readonly<Record<string, number>>;
  readonly calls: number;
  readonly throttled: number;
  /** Messages in the channel (storm parents and single parents), files shared. */
  readonly parents: number;
  readonly files: number;
  readonly deadLettered: number;
  /** The total the storm parent shows at the end (its edits follow chat.update's rate, so it may lag the files). */
  readonly summaryTotal: number;
  /** Findings named nowhere in Slack. */
  readonly lost: number;
}

const CHANNEL = 'C0BENCH001';
const TOKEN = ['xoxb', '1000000001', '2000000002', 'benchToken'].join('-');

/** Runs one app storm. */
export async function runAppStorm(findings: number, settings: StormSettings): Promise<AppStormResult> {
  const world = stormWorld(
    { findings, destinations: 1, accounts: 20, regions: 4, messagesPerSecond: 1, burst: 3 },
    settings,
  );
  const destination = world.destinations[0]!;
  const config = {
    ...world.config,
    destinations: { [destination]: { app: { botTokenSecret: 'bench/slack/app-bot', channel: CHANNEL } } },
  };
  const slack = await startSlackWebSimulator({ tokens: [TOKEN], channels: [CHANNEL] });
  try {
    const startedMs = Date.now();
    const summary = await runReplay({
      config,
      events: world.findings.map((f, i) => ({ body: f.body, source: `finding ${i}` })),
      webhooks: staticWebhooks({}),
      botTokens: staticTokens({ [destination]: TOKEN }),
      slackApiUrl: slack.apiUrl,
      repeats: true,
    });
    const ok = slack.calls.filter((call) => call.status === 200 && call.error === undefined);
    const callsByMethod: Record<string, number> = {};
    for (const call of ok) callsByMethod[call.method] = (callsByMethod[call.method] ?? 0) + 1;
    const visible = [
      ...slack.files.map((file) => file.content),
      ...slack.messages.map((m) => JSON.stringify(m.attachments)),
    ].join('\n');
    const lost = world.findings.filter(
      (f) => !visible.includes(String((JSON.parse(f.body) as { detail: { id: string } }).detail.id)),
    ).length;
    const lastVisible = ok
      .filter((call) => call.method === 'files.completeUploadExternal' || call.method === 'chat.postMessage')
      .at(-1);
    return {
      findings,
      settings,
      elapsedMs: summary.elapsedMs,
      visibleMs: lastVisible === undefined ? 0 : lastVisible.atMs - startedMs,
      batches: summary.batches,
      callsByMethod,
      calls: ok.length,
      throttled: slack.calls.filter((call) => call.status === 429).length,
      parents: slack.parents(CHANNEL).length,
      files: slack.files.filter((file) => file.channel !== undefined).length,
      deadLettered: summary.deadLettered,
      summaryTotal: Number(/GuardDuty storm: (\d+) findings/.exec(slack.parents(CHANNEL)[0]?.text ?? '')?.[1] ?? 0),
      lost,
    };
  } finally {
    await slack.close();
  }
}

/** The figures as text. */
export function formatAppStorm(r: AppStormResult): string {
  const s = r.settings;
  const methods = Object.entries(r.callsByMethod)
    .map(([method, n]) => `${method} ${n}`)
    .join(', ');
  return [
    `findings            ${r.findings} to one app destination`,
    `settings            batchSize ${s.batchSize}, maxFindingsPerMessage ${s.maxFindingsPerMessage}, digestThreshold ${s.digestThreshold}`,
    `every one visible   ${(r.visibleMs / 1000).toFixed(1)} s (replay ${(r.elapsedMs / 1000).toFixed(1)} s, ${r.batches} batches)`,
    `web API calls       ${r.calls} (${methods}); ${r.throttled} × 429`,
    `in Slack            ${r.parents} parent message(s), ${r.files} files in the thread; the summary shows ${r.summaryTotal}`,
    `dead-lettered/lost  ${r.deadLettered} / ${r.lost}`,
  ].join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { values } = parseArgs({
    options: {
      findings: { type: 'string' },
      'batch-size': { type: 'string' },
      'max-findings-per-message': { type: 'string' },
    },
  });
  const result = await runAppStorm(Number(values.findings ?? 10_000), {
    batchSize: Number(values['batch-size'] ?? 100),
    maxBatchingWindowSeconds: 5,
    maxFindingsPerMessage: Number(values['max-findings-per-message'] ?? 20),
    digestThreshold: 5,
  });
  process.stdout.write(
    `App destination storm (Web API simulator at Slack's documented limits)\n${formatAppStorm(result)}\n`,
  );
}
