import { isAppDestination } from '../shared/config/derive.ts';
import type { HubConfig } from '../shared/index.ts';
import {
  BotTokenError,
  DEFAULT_SLACK_API_URL,
  SlackApiRefusedError,
  WebApiLimiters,
  deliverAppGroups,
  postAppMessages,
  type AppEnvironment,
  type BotTokenResolver,
  type ParentStore,
} from './app/index.ts';
import { archiveArchived } from './app/archived.ts';
import {
  deliverMessages,
  emptyStats,
  SlackPayloadRejectedError,
  WebhookRefusedError,
  WebhookSecretError,
  type DeliveryEnvironment,
  type DeliveryStats,
  type MessageOutcome,
} from './deliver/index.ts';
import { renderMessages } from './render/index.ts';
import { findingKey, passThroughGate, RepeatStateError, type GateResult, type NotifyGroup, type RepeatGate } from './repeats/index.ts';
import { routeBatch, type BatchRecord, type ParsedBodies } from './route/index.ts';
import type { ConsumerLogger } from './log.ts';
import type { OutgoingMessage, RoutedFinding, SkipReason } from './types.ts';

/** Why one record of the batch failed. */
export interface RecordFailure {
  readonly reason: string;
  /** When the destination is expected to accept again (ms since the epoch); set for deferred deliveries. */
  readonly retryAtMs?: number;
  /**
   * Set when no retry can help: `invalid` (not a finding event) or `rejected` (Slack refused the
   * finding for good, at the default destination too). The handler moves the record to the DLQ at once.
   */
  readonly deadLetter?: 'invalid' | 'rejected';
}

/** What became of a batch. */
export interface BatchResult {
  /** Failed records by message id; every other record succeeded or was skipped on purpose. */
  readonly failures: ReadonlyMap<string, RecordFailure>;
  readonly findingsReceived: number;
  /** Findings Slack accepted (a message naming several regions counts each region's finding). */
  readonly findingsDelivered: number;
  /** Records skipped on purpose, by reason (`repeat`: the repeat gate found nothing new). */
  readonly skipped: Readonly<Partial<Record<SkipReason, number>>>;
  readonly invalidRecords: number;
  /** Message ids of the records that are not finding events. */
  readonly invalidMessageIds: readonly string[];
  /** Records handed back because a claim on their finding was live (a message about it in flight). */
  readonly repeatsDeferred: number;
  /** Failed reads and writes of the repeat state (the gate failed open: more messages, never fewer). */
  readonly repeatStoreErrors: number;
  readonly delivery: DeliveryStats;
}

/** What app destinations need besides what webhooks need (see `app/index.ts`). */
export interface AppContext {
  readonly tokens: BotTokenResolver;
  readonly parents: ParentStore;
  /** The Web API base, `https://slack.com/api` by default. */
  readonly apiUrl: string;
  readonly limiters: WebApiLimiters;
}

/** What {@link processBatch} needs: delivery, a logger and the repeat gate. */
export interface BatchEnvironment extends DeliveryEnvironment {
  readonly logger: ConsumerLogger;
  /** Decides which findings are news (`passThroughGate()` notifies every one). */
  readonly repeats: RepeatGate;
  /** App destinations; without it, their findings are refused like a destination without a token (→ default destination). */
  readonly app?: AppContext;
  /** Bodies parsed already by whoever made the records (replay); without it, every body is parsed. */
  readonly parsedBody?: ParsedBodies;
}

/** The reason given for a record whose finding has a live claim: a message about it is in flight. */
function inFlight(retryAtMs: number): string {
  return `a message about this finding is in flight (claim held until ${new Date(retryAtMs).toISOString()})`;
}

/**
 * Routes, passes through the repeat gate, renders and delivers a whole batch (collapsing, folding
 * and digests work across it), then works out each record's fate: a record fails when it is not a
 * finding, when another instance is deciding about its finding (it returns after the queue's
 * visibility timeout), or when a message holding its finding was not delivered. Findings a
 * destination refuses for good go to `defaults.destination` with a note saying why; if that fails
 * too, their records fail. Groups Slack accepted are committed to the gate; the others released.
 */
export async function processBatch(
  records: readonly BatchRecord[],
  config: HubConfig,
  env: BatchEnvironment,
  deadlineMs: number,
): Promise<BatchResult> {
  const failures = new Map<string, RecordFailure>();
  const routing = routeBatch(records, config, env.parsedBody ? { parsedBody: env.parsedBody } : {});
  for (const { messageId, reason } of routing.failed) {
    env.logger.error('Record is not a GuardDuty finding event', { messageId, reason });
    failures.set(messageId, { reason: `invalid record: ${reason}`, deadLetter: 'invalid' });
  }
  const skipped: Partial<Record<SkipReason, number>> = {};
  for (const { reason } of routing.skipped) skipped[reason] = (skipped[reason] ?? 0) + 1;
  // App destinations: an archived finding with a parent message edits it to archived instead of being dropped.
  const archived = await archiveArchived(routing.skipped, config, appEnvironment(env), deadlineMs);
  for (const [messageId, failure] of archived.failures) failures.set(messageId, failure);
  if (archived.failures.size > 0) skipped.archived = (skipped.archived ?? 0) - archived.failures.size;

  const gated = await filterOrFailOpen(env, routing.routed);
  let repeatStoreErrors = logStoreErrors(env.logger, gated.errors, 'Repeat state unavailable: notifying without it');
  const repeatsDeferred = countGated(gated, env.logger, failures, skipped);

  const stats = archived.stats;
  let outcomeOf: ReadonlyMap<RoutedFinding, MessageOutcome>;
  try {
    outcomeOf = await deliverGroups(gated.notify, config, env, deadlineMs, stats);
  } catch (error) {
    // Nothing is recorded as notified: drop the claims so the redelivered records are decided afresh.
    await settleGroups(env, [], gated.notify);
    throw error;
  }

  const { findingsDelivered, delivered, undelivered } = sortOutcomes(gated.notify, outcomeOf, failures);
  repeatStoreErrors += await settleGroups(env, delivered, undelivered);

  return {
    failures,
    findingsReceived: records.length - routing.failed.length,
    findingsDelivered,
    skipped,
    invalidRecords: routing.failed.length,
    invalidMessageIds: routing.failed.map((f) => f.messageId),
    repeatsDeferred,
    repeatStoreErrors,
    delivery: stats,
  };
}

/**
 * Counts what the repeat gate held back: repeats are skipped (`skipped.repeat`), records of a finding
 * with a live claim fail until the claim ends. Logs each group to notify. Returns the records deferred.
 */
function countGated(
  gated: GateResult,
  logger: ConsumerLogger,
  failures: Map<string, RecordFailure>,
  skipped: Partial<Record<SkipReason, number>>,
): number {
  const repeatRecords = gated.repeats.flatMap((routed) => routed.messageIds);
  if (repeatRecords.length > 0) skipped.repeat = (skipped.repeat ?? 0) + repeatRecords.length;
  let repeatsDeferred = 0;
  for (const { routed, retryAtMs } of gated.deferred) {
    for (const messageId of routed.messageIds) failures.set(messageId, { reason: inFlight(retryAtMs), retryAtMs });
    repeatsDeferred += routed.messageIds.length;
  }
  for (const group of gated.notify) {
    logger.debug('Notifying', {
      findingId: group.finding.id,
      destination: group.destination,
      why: group.why,
      regions: group.regions,
      findings: group.members.length,
    });
  }
  return repeatsDeferred;
}

/** Splits the notified groups into delivered and undelivered, failing the records of the undelivered ones. */
function sortOutcomes(
  groups: readonly NotifyGroup[],
  outcomeOf: ReadonlyMap<RoutedFinding, MessageOutcome>,
  failures: Map<string, RecordFailure>,
): { findingsDelivered: number; delivered: NotifyGroup[]; undelivered: NotifyGroup[] } {
  let findingsDelivered = 0;
  const delivered: NotifyGroup[] = [];
  const undelivered: NotifyGroup[] = [];
  for (const group of groups) {
    // Rendering keeps each group's identity, so every rendered group has an outcome.
    const outcome = outcomeOf.get(group);
    if (outcome?.status === 'delivered') {
      findingsDelivered += group.members.length;
      delivered.push(group);
      continue;
    }
    undelivered.push(group);
    const failure = failureOf(outcome);
    for (const messageId of group.messageIds) failures.set(messageId, worse(failures.get(messageId), failure));
  }
  return { findingsDelivered, delivered, undelivered };
}

/** Renders and delivers the groups, rerouting refused ones; the outcome of each group. */
async function deliverGroups(
  groups: readonly NotifyGroup[],
  config: HubConfig,
  env: BatchEnvironment,
  deadlineMs: number,
  stats: DeliveryStats,
): Promise<Map<RoutedFinding, MessageOutcome>> {
  // App destinations keep one living message per issue (app/); webhooks get a message per notification.
  const app = groups.filter((group) => isAppDestination(config, group.destination));
  const hooks = groups.filter((group) => !isAppDestination(config, group.destination));
  // A group that joins an issue already notified from other regions gets a message of its own that says so.
  const joining = hooks.filter((group) => group.joins !== undefined);
  const messages = [
    ...renderMessages(hooks.filter((group) => group.joins === undefined), config),
    ...joining.flatMap((group) => renderMessages([group], config, { note: () => joinNote(group) })),
  ];
  const [webhookOutcomes, appOutcomes] = await Promise.all([
    deliverMessages(messages, env, deadlineMs, stats, { config }),
    app.length === 0 ? [] : deliverAppGroups(app, config, appEnvironment(env), deadlineMs, stats),
  ]);
  const first = [...webhookOutcomes, ...appOutcomes];
  const outcomeOf = new Map<RoutedFinding, MessageOutcome>();
  for (const outcome of first) for (const routed of outcome.message.findings) outcomeOf.set(routed, outcome);
  const rerouted = await rerouteRejected(first, config, env, deadlineMs, stats);
  for (const [routed, outcome] of rerouted) outcomeOf.set(routed, outcome);
  return outcomeOf;
}

/**
 * Tells the gate what Slack accepted (recorded as notified) and what it did not (claims dropped, so
 * the retry decides afresh). Returns the number of state errors. Never throws: the messages are sent,
 * and a failed write can only cause a repeat message later.
 */
async function settleGroups(env: BatchEnvironment, delivered: readonly NotifyGroup[], undelivered: readonly NotifyGroup[]): Promise<number> {
  let errors = 0;
  if (delivered.length > 0) {
    try {
      const report = await env.repeats.commit(delivered, env.now());
      errors += logStoreErrors(env.logger, report.errors, 'Could not record a notification: it may be sent again');
      if (report.lost > 0) env.logger.warn('Claims expired before the notification was recorded: it may be sent again', { lost: report.lost });
    } catch (error) {
      errors += 1;
      env.logger.warn('Could not record notifications: they may be sent again', { groups: delivered.length, error: String(error) });
    }
  }
  if (undelivered.length > 0) {
    try {
      const report = await env.repeats.release(undelivered);
      errors += logStoreErrors(env.logger, report.errors, 'Could not release a repeat claim: the finding waits until it expires');
    } catch (error) {
      errors += 1;
      env.logger.warn('Could not release repeat claims: the findings wait until they expire', { groups: undelivered.length, error: String(error) });
    }
  }
  return errors;
}

/** What an undelivered group's records become: retried later, or dead-lettered when Slack refused it for good. */
function failureOf(outcome: MessageOutcome | undefined): RecordFailure {
  if (!outcome || outcome.status === 'delivered') return { reason: 'no message was rendered for the finding' };
  if (outcome.status === 'deferred') {
    return { reason: `not delivered to ${outcome.message.destination} in time`, retryAtMs: outcome.retryAtMs };
  }
  if (outcome.status === 'rejected' || outcome.error instanceof SlackPayloadRejectedError) {
    return { reason: outcome.error.message, deadLetter: 'rejected' };
  }
  return { reason: outcome.error.message };
}

/** The gate's verdict; should the gate itself throw, every finding is notified on its own (never silence). */
async function filterOrFailOpen(env: BatchEnvironment, routed: readonly RoutedFinding[]): Promise<GateResult> {
  try {
    return await env.repeats.filter(routed, env.now());
  } catch (error) {
    const failOpen = await passThroughGate().filter(routed, env.now());
    return { ...failOpen, errors: [new RepeatStateError('filter', routed[0] === undefined ? '' : findingKey(routed[0].finding), { cause: error })] };
  }
}

function logStoreErrors(logger: ConsumerLogger, errors: readonly RepeatStateError[], message: string): number {
  for (const error of errors) logger.warn(message, { operation: error.operation, key: error.key, error: error.message });
  return errors.length;
}

/**
 * Sends the findings of refused messages to the default destination, one note per refusing
 * destination. Returns the new outcome of each rerouted finding (keyed by the original `RoutedFinding`).
 */
async function rerouteRejected(
  outcomes: readonly MessageOutcome[],
  config: HubConfig,
  env: BatchEnvironment,
  deadlineMs: number,
  stats: DeliveryStats,
): Promise<Map<RoutedFinding, MessageOutcome>> {
  const fallback = config.defaults.destination;
  const notes = new Map<string, { note: string; findings: Set<RoutedFinding> }>();
  for (const outcome of outcomes) {
    if (outcome.status !== 'rejected' || outcome.message.destination === fallback) continue;
    const { destination } = outcome.message;
    const entry = notes.get(destination) ?? { note: refusalNote(destination, outcome.error), findings: new Set() };
    // Each finding once, however many outcomes name it: a failover never repeats a finding.
    for (const routed of outcome.message.findings) entry.findings.add(routed);
    notes.set(destination, entry);
  }
  const result = new Map<RoutedFinding, MessageOutcome>();
  if (notes.size === 0) return result;

  const originals = new Map<RoutedFinding, RoutedFinding>();
  const messages: OutgoingMessage[] = [];
  for (const [destination, { note, findings }] of notes) {
    const moved = [...findings].map((routed) => {
      const copy: RoutedFinding = { ...routed, destination: fallback };
      originals.set(copy, routed);
      return copy;
    });
    env.logger.warn('Sending findings to the default destination instead', { destination, fallback, findings: findings.size });
    messages.push(...renderMessages(moved, config, { note: () => note }));
  }
  // A refused payload is re-sent smaller with the same note: the note of the destination the finding left.
  const noteFor = (message: OutgoingMessage) => notes.get(originals.get(message.findings[0]!)?.destination ?? '')?.note;
  const moved = isAppDestination(config, fallback)
    ? await postAppMessages(messages, config, appEnvironment(env), deadlineMs, stats, noteFor)
    : await deliverMessages(messages, env, deadlineMs, stats, { config, noteFor });
  for (const outcome of moved) {
    for (const copy of outcome.message.findings) {
      const original = originals.get(copy);
      if (original) result.set(original, outcome);
    }
  }
  return result;
}

/**
 * The note on a group that joins an issue notified before: `Same issue as the message of 2026-01-15
 * 10:00 UTC for us-east-1 (access key AKIA…): now also seen in eu-north-1.`
 */
function joinNote(group: NotifyGroup): string | undefined {
  const { joins } = group;
  if (joins === undefined) return undefined;
  const added = group.regions.filter((region) => !joins.regions.includes(region));
  const at = new Date(joins.notifiedAtMs).toISOString().slice(0, 16).replace('T', ' ');
  return `Same issue as the message of ${at} UTC for ${joins.regions.join(', ')} (${identityText(joins.identity)}): now also seen in ${added.join(', ')}.`;
}

/** `access key AKIA…`, `principal AIDA…`, `bucket a` from a fold identity. */
function identityText(identity: string): string {
  const [kind = '', ...rest] = identity.split(':');
  const value = rest.join(':');
  const label: Readonly<Record<string, string>> = { 'access-key': 'access key', principal: 'principal', 's3-bucket': value.includes(',') ? 'buckets' : 'bucket' };
  return `${label[kind] ?? kind} ${value}`;
}

/** The note on a rerouted finding: "Sent here because <destination> answered <status> <body>". */
function refusalNote(destination: string, error: { readonly status: number | undefined; readonly message: string; readonly body?: string }): string {
  if (error instanceof BotTokenError) return `Sent here because the bot token of ${destination} could not be read`;
  if (error instanceof WebhookRefusedError) return `Sent here because the webhook of ${destination} was refused: ${error.reason}`;
  if (error instanceof WebhookSecretError) return `Sent here because the webhook of ${destination} could not be read`;
  if (error instanceof SlackApiRefusedError) return `Sent here because ${destination} answered ${error.method} with ${error.body}`;
  return `Sent here because ${destination} answered ${error.status ?? ''} ${error.body ?? ''}`.trim();
}

/**
 * Of two failures of one record (a record collapsed into two groups), the one to act on: a retry
 * before a dead letter (never give up on what may still be delivered), then the latest retry.
 */
function worse(current: RecordFailure | undefined, next: RecordFailure): RecordFailure {
  if (!current) return next;
  if ((current.deadLetter === undefined) !== (next.deadLetter === undefined)) return current.deadLetter === undefined ? current : next;
  if (current.retryAtMs === undefined) return current;
  if (next.retryAtMs === undefined) return next;
  return next.retryAtMs > current.retryAtMs ? next : current;
}

/**
 * The app delivery environment: the batch's, with the app context. Without one (a caller that set
 * up no app destinations), every token read fails for good, so app findings go to the default destination.
 */
function appEnvironment(env: BatchEnvironment): AppEnvironment {
  const app = env.app ?? NO_APP;
  return { ...env, tokens: app.tokens, parents: app.parents, apiUrl: app.apiUrl, limiters: app.limiters };
}

const NO_APP: AppContext = {
  tokens: { botToken: (destination) => Promise.reject(new BotTokenError(destination, 'no bot tokens were set up for this consumer', true)) },
  parents: { read: async () => new Map(), save: async () => undefined, claimFirst: async () => true },
  apiUrl: DEFAULT_SLACK_API_URL,
  limiters: new WebApiLimiters({ messagesPerSecond: 1, burst: 1 }, 1),
};
