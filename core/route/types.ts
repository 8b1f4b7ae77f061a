import type { HubConfig } from '../../shared/config/schema.ts';
import type { Finding, RoutedFinding, SkipReason } from '../types.ts';

/** One SQS record as routing needs it. */
export interface BatchRecord {
  readonly messageId: string;
  /** The SQS message body: the EventBridge event JSON. */
  readonly body: string;
}

/** A record skipped on purpose; it succeeds (is deleted from the queue) without a Slack message. */
export interface SkippedRecord {
  readonly messageId: string;
  /** The finding the record carried. */
  readonly findingId?: string;
  readonly reason: SkipReason;
  /** Why, for logs: `severity 2 is below 4 for account 444444444444`, `suppress[0]`. */
  readonly detail?: string;
  /**
   * For `archived`: the finding at each destination it would have gone to (an app destination edits
   * the finding's parent message to archived instead of dropping it).
   */
  readonly routedTo?: readonly RoutedFinding[];
  /** For `canary`: the canary finding (its region and id are recorded as an arrival). */
  readonly finding?: Finding;
}

/** A record that is not a GuardDuty finding event; the handler reports it as a batch item failure (→ DLQ). */
export interface FailedRecord {
  readonly messageId: string;
  /** The parse failure reason (`source is missing`). */
  readonly reason: string;
}

/** Every record of a batch, accounted for exactly once: in one `routed[].messageIds`, in `skipped` or in `failed`. */
export interface RouteResult {
  /** Findings to render and deliver, in the order their first record arrived. */
  readonly routed: RoutedFinding[];
  readonly skipped: SkippedRecord[];
  readonly failed: FailedRecord[];
  /** Records folded into a newer copy of the same finding in this batch (they ride on its `messageIds`). */
  readonly collapsed: number;
}

/** The parts of the config routing reads. */
export type RouteConfig = Pick<HubConfig, 'accounts' | 'defaults' | 'suppress' | 'destinations'> &
  Partial<Pick<HubConfig, 'guard'>>;

/** Options for `routeBatch`. */
export interface RouteOptions {
  /** Fold records carrying the same finding id into the newest one. Default `true`. */
  readonly collapse?: boolean;
  /** A record's body already parsed (see {@link ParsedBodies}); default none: every body is parsed. */
  readonly parsedBody?: ParsedBodies;
}

/**
 * What `JSON.parse(record.body)` gives, when whoever made the record parsed it already (replay parses
 * every event as it reads it); undefined to parse the body as usual.
 */
export type ParsedBodies = (record: BatchRecord) => unknown;

/** Where one finding goes: its destinations (at least one), or a skip with its reason. */
export type Decision =
  | { readonly destinations: readonly string[]; readonly finding?: Finding }
  | { readonly reason: SkipReason; readonly detail: string };
