import type { HubConfig } from '../../shared/index.ts';
import { stormKey } from '../../core/state-keys.ts';
import type { DeliveryStats, MessageOutcome } from '../../core/port/outcome.ts';
import { SlackServerError } from '../slack/errors.ts';
import { deadlineFor } from '../../core/port/fetch.ts';
import { bandSummary } from '../slack/render/index.ts';
import type { MessageRef } from '../../core/repeats/index.ts';
import type { RoutedFinding } from '../../core/types.ts';
import type { SlackMessage } from '../slack/render/types.ts';
import { callWithLimits, outcomeOfCall, type CallOutcome } from './call.ts';
import type { AppEnvironment } from './messages.ts';
import { SlackParentGoneError } from './errors.ts';
import { addToSummary, parseSummary, stormFile, stormPayload, type StormSummary } from './storm-summary.ts';

/** One destination about to get a storm: its name, channel and token. */
export interface StormTarget {
  readonly destination: string;
  readonly channel: string;
  readonly token: string;
}

type StormConfig = Pick<HubConfig, 'accounts' | 'colors' | 'delivery'>;

export { stormKey } from '../../core/state-keys.ts';

/**
 * One batch of a storm at an app destination (more than `digestThreshold` findings): the window's
 * storm parent is posted (first batch) or edited to the new totals, and the batch's complete list goes
 * in its thread as one file (`files.getUploadURLExternal`, the upload, `files.completeUploadExternal`).
 * At most four Web API calls per batch, whatever its size; every finding is named in a file. In a
 * full batch (a backlog) the edit is made only when `chat.update`'s bucket has a token, so Tier 3
 * never slows the drain; the summary then lags by a few batches, and each file's comment carries
 * the running total. A batch that is not full (most likely the last of a backlog) waits for its edit.
 * The findings are delivered once the file is shared.
 */
export async function deliverStorm(
  findings: readonly RoutedFinding[],
  target: StormTarget,
  config: StormConfig,
  env: AppEnvironment,
  deadlineMs: number,
  stats: DeliveryStats,
): Promise<MessageOutcome[]> {
  const windowMs = config.delivery.stormWindowMinutes * 60_000;
  const windowStartMs = Math.floor(env.now() / windowMs) * windowMs;
  const key = stormKey(target.destination, windowStartMs);
  const parent = await firstOrExisting(env, key, deadlineMs);
  if (parent === 'wait') return [waitingForParent(findings, target.destination, env.now())];
  const summary = parseSummary(parent?.summary, windowStartMs);
  addToSummary(summary, findings);
  summary.files += 1;
  const message: SlackMessage = {
    destination: target.destination,
    kind: 'digest',
    payload: stormPayload(summary, target.destination, config, env.now()),
    findings,
  };
  // A batch not full is most likely the end of the backlog: bring the summary up to date, waiting for chat.update.
  const waitForEdit = findings.length < config.delivery.batchSize;
  const edited =
    parent === undefined ? undefined : await editIfReady(parent, message, target, env, deadlineMs, stats, waitForEdit);
  const ref = edited ?? (await postSummary(message, summary, key, target, env, deadlineMs, stats));
  if ('status' in ref) return [ref];
  const shared = await shareFile(findings, summary, ref, target, config, env, deadlineMs, stats);
  if (shared !== undefined) return [outcomeOfCall(shared, message)];
  stats.digestSizes.push(findings.length);
  await save(env, key, { ...ref, summary: JSON.stringify(summary) });
  return [{ status: 'delivered', message }];
}

/** The outcome of a batch whose storm parent another instance is posting: try again in a few seconds. */
function waitingForParent(findings: readonly RoutedFinding[], destination: string, nowMs: number): MessageOutcome {
  const message = { destination, kind: 'digest', payload: { text: '', attachments: [] }, findings } as const;
  const reason = `another instance is posting the storm summary of ${destination}`;
  return {
    status: 'failed',
    message,
    failure: { class: 'retry-after', retryAtMs: nowMs + WAIT_FOR_PARENT_MS, reason },
  };
}

/**
 * Posts the window's storm parent and keeps it (without this batch, so that a retry edits it instead
 * of posting another); the parent, or the outcome of a post that failed.
 */
async function postSummary(
  message: SlackMessage,
  summary: StormSummary,
  key: string,
  target: StormTarget,
  env: AppEnvironment,
  deadlineMs: number,
  stats: DeliveryStats,
): Promise<MessageRef | MessageOutcome> {
  const args = { channel: target.channel, ...message.payload };
  const posted = await callWithLimits(env, call(target, 'chat.postMessage', args), deadlineMs, stats);
  if (posted.status !== 'ok') return outcomeOfCall(posted, message);
  stats.slackMessages += 1;
  const ref = { destination: target.destination, channel: target.channel, ts: String(posted.value.ts) };
  const before = { ...summary, total: summary.total - countOf(message.findings), files: summary.files - 1 };
  await save(env, key, { ...ref, summary: JSON.stringify(before) });
  return ref;
}

/** Edits the storm parent when `chat.update` can go now; the parent as it stands, or undefined when it is gone. */
async function editIfReady(
  parent: MessageRef,
  message: SlackMessage,
  target: StormTarget,
  env: AppEnvironment,
  deadlineMs: number,
  stats: DeliveryStats,
  wait: boolean,
): Promise<MessageRef | undefined> {
  if (!wait && env.limiters.bucket(target.destination, 'chat.update', env.now()).waitMs(env.now()) > 0) {
    env.logger.debug('Storm summary edit skipped: chat.update is at its rate; the next batch brings it up to date', {
      destination: target.destination,
    });
    return parent;
  }
  const args = {
    channel: parent.channel,
    ts: parent.ts,
    text: message.payload.text,
    attachments: message.payload.attachments,
  };
  const edited = await callWithLimits(env, call(target, 'chat.update', args), deadlineMs, stats);
  if (edited.status === 'error' && edited.error instanceof SlackParentGoneError) return undefined;
  if (edited.status !== 'ok')
    env.logger.warn('Could not edit the storm summary; the file still goes in its thread', {
      destination: target.destination,
    });
  return parent;
}

/** The three steps of Slack's upload flow; undefined when the file is shared, else the failed step. */
async function shareFile(
  findings: readonly RoutedFinding[],
  summary: StormSummary,
  ref: MessageRef,
  target: StormTarget,
  config: StormConfig,
  env: AppEnvironment,
  deadlineMs: number,
  stats: DeliveryStats,
): Promise<Exclude<CallOutcome, { status: 'ok' }> | undefined> {
  const content = stormFile(findings, config);
  const filename = `guardduty-storm-${new Date(summary.sinceMs).toISOString().slice(0, 16).replace(/[-:T]/g, '')}-${summary.files}.tsv`;
  const length = Buffer.byteLength(content, 'utf8');
  const url = await callWithLimits(
    env,
    call(target, 'files.getUploadURLExternal', { filename, length }),
    deadlineMs,
    stats,
  );
  if (url.status !== 'ok') return url;
  const uploaded = await upload(String(url.value.upload_url), content, target.destination, env, deadlineMs);
  if (uploaded !== undefined) return uploaded;
  const comment = `${bandSummary(findings.map((routed) => routed.finding))} (${summary.total} in this storm so far)`;
  const files = [{ id: String(url.value.file_id), title: filename }];
  const done = await callWithLimits(
    env,
    call(target, 'files.completeUploadExternal', {
      files,
      channel_id: ref.channel,
      thread_ts: ref.ts,
      initial_comment: comment,
    }),
    deadlineMs,
    stats,
  );
  return done.status === 'ok' ? undefined : done;
}

/** POSTs the file's bytes to the upload URL Slack gave (not a Web API method: no token, no tier). */
async function upload(
  url: string,
  content: string,
  destination: string,
  env: AppEnvironment,
  deadlineMs: number,
): Promise<Exclude<CallOutcome, { status: 'ok' }> | undefined> {
  const timeoutMs = Math.max(1, Math.min(env.requestTimeoutMs, deadlineMs - env.now()));
  try {
    const response = await env.postLimit(() =>
      env.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        body: content,
        ...deadlineFor(env.fetch, timeoutMs),
      }),
    );
    if (response.status >= 200 && response.status < 300) return undefined;
    return { status: 'error', error: new SlackServerError(destination, response.status, 'file upload refused') };
  } catch {
    // The upload URL is a secret of its own (it accepts the file without a token): never in an error.
    return {
      status: 'error',
      error: new SlackServerError(destination, undefined, 'file upload: network error or timeout'),
    };
  }
}

function call(
  target: StormTarget,
  method: Parameters<typeof callWithLimits>[1]['method'],
  args: Readonly<Record<string, unknown>>,
) {
  return { destination: target.destination, method, token: target.token, args };
}

function countOf(findings: readonly RoutedFinding[]): number {
  return findings.reduce(
    (n, routed) => n + (routed.regions !== undefined && routed.regions.length > 0 ? routed.regions.length : 1),
    0,
  );
}

/** How long to wait for another instance's storm parent before handing the batch back, ms. */
const WAIT_FOR_PARENT_MS = 3_000;

/**
 * The window's storm parent; undefined when this instance is to post it (nobody has, and its claim
 * won); `wait` when another instance is posting it and it did not appear in time. A store failure
 * posts a new one (spam rather than silence).
 */
async function firstOrExisting(
  env: AppEnvironment,
  key: string,
  deadlineMs: number,
): Promise<MessageRef | undefined | 'wait'> {
  try {
    const found = (await env.parents.read([key])).get(key);
    if (found !== undefined || (await env.parents.claimFirst(key, env.now()))) return found;
    const giveUpMs = Math.min(deadlineMs - 1_000, env.now() + WAIT_FOR_PARENT_MS);
    while (env.now() < giveUpMs) {
      await env.sleep(250);
      const posted = (await env.parents.read([key])).get(key);
      if (posted !== undefined) return posted;
    }
    return 'wait';
  } catch (error) {
    env.logger.warn('Cannot read the storm summary: starting a new one', { key, error: String(error) });
    return undefined;
  }
}

async function save(env: AppEnvironment, key: string, ref: MessageRef): Promise<void> {
  await env.parents.save(key, ref, env.now()).catch((error: unknown) =>
    env.logger.warn('Could not keep the storm summary: the next batch may start a new one', {
      key,
      error: String(error),
    }),
  );
}
