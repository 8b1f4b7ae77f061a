import type { HubConfig } from '../../shared/index.ts';
import type { NotifyGroup } from '../repeats/index.ts';
import type { RoutedFinding } from '../types.ts';
import type { DeliveryStats, MessageOutcome } from './outcome.ts';

/**
 * The destination port: what the core asks of a destination type. Each type (a Slack webhook, a Slack
 * app, …) is an adapter in a folder of its own that renders the findings its way, sends them through
 * the resilient call and classifies every failure as data (`Failure.class`). Adding a type is its
 * folder and one line in the registry the Lambda is wired with; the core does not change.
 */

/** One delivery pass of an invocation: the config, its deadline and its counters. */
export interface DeliveryPass {
  readonly config: HubConfig;
  /** Epoch ms by which every call must have ended. */
  readonly deadlineMs: number;
  readonly stats: DeliveryStats;
}

/** Findings another destination could not take, for the default destination, with the note saying why. */
export interface Rerouted {
  /** `Sent here because team-a answered 404 channel_not_found`. */
  readonly note: string;
  /** The findings, routed to the default destination. */
  readonly findings: readonly RoutedFinding[];
}

/** Why one record of an adapter's own work (such as an archive edit) did not go through. */
export interface RecordFailure {
  readonly reason: string;
  /** When the destination is expected to take messages again (epoch ms). */
  readonly retryAtMs?: number;
  /** `invalid` (not an event the hub reads) or `rejected` (refused for good): no retry can help, the DLQ at once. */
  readonly deadLetter?: 'invalid' | 'rejected';
}

/** A destination type's adapter, made once per consumer instance. */
export interface Destination {
  /** The config's `type` of the destinations it serves (`slack-webhook`, `slack-app`, …). */
  readonly type: string;
  /**
   * Delivers news of findings: every notify group routed to a destination of this type. Returns one
   * outcome per group, or several covering a group's findings once (a message sent in parts).
   */
  deliver(groups: readonly NotifyGroup[], pass: DeliveryPass): Promise<readonly MessageOutcome[]>;
  /** Sends findings other destinations could not take to one of this type, as new messages carrying each batch's note. */
  deliverRerouted(rerouted: readonly Rerouted[], pass: DeliveryPass): Promise<readonly MessageOutcome[]>;
  /**
   * Findings archived in GuardDuty that were routed here; a type that keeps a living message per
   * issue marks it. Returns the records to hand back or dead-letter. Without it, archived findings are skipped.
   */
  archive?(archived: readonly RoutedFinding[], pass: DeliveryPass): Promise<ReadonlyMap<string, RecordFailure>>;
}

/** The destination types of one consumer instance, and which serves each configured destination. */
export interface Destinations {
  /** The adapter of destination `name` (by its config type). */
  of(name: string): Destination;
  /** Every adapter, in registry order. */
  readonly all: readonly Destination[];
}
