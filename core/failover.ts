import type { ConsumerLogger } from './log.ts';
import type { DeliveryPass, Destination, Destinations, RecordFailure, Rerouted } from './port/destination.ts';
import { failsOver, type MessageOutcome } from './port/outcome.ts';
import type { NotifyGroup } from './repeats/index.ts';
import type { RoutedFinding } from './types.ts';

/**
 * The core's side of the destination port: groups go to the adapter of their destination's type,
 * all types side by side; findings a destination cannot take for good (`gone`, `credential`) go to
 * `defaults.destination` once each, as a batch of their own there, with a note saying why, unless
 * the finding goes there anyway (the default is one of its destinations): then that delivery stands
 * for both.
 */

/** Delivers the groups through their adapters, rerouting what fails over; the outcome of each group's findings. */
export async function deliverToDestinations(
  groups: readonly NotifyGroup[],
  destinations: Destinations,
  pass: DeliveryPass,
  logger: Pick<ConsumerLogger, 'warn'>,
): Promise<Map<RoutedFinding, MessageOutcome>> {
  const byAdapter = new Map<Destination, NotifyGroup[]>();
  for (const group of groups) {
    const adapter = destinations.of(group.destination);
    byAdapter.set(adapter, [...(byAdapter.get(adapter) ?? []), group]);
  }
  const first = (await Promise.all([...byAdapter].map(([adapter, own]) => adapter.deliver(own, pass)))).flat();
  const outcomeOf = new Map<RoutedFinding, MessageOutcome>();
  for (const outcome of first) for (const routed of outcome.message.findings) outcomeOf.set(routed, outcome);
  for (const [routed, outcome] of await reroute(first, destinations, pass, logger)) outcomeOf.set(routed, outcome);
  return outcomeOf;
}

/** Archived findings, each to the adapter of its destination's type when that type shows archives; the records to hand back. */
export async function showArchived(
  archived: readonly RoutedFinding[],
  destinations: Destinations,
  pass: DeliveryPass,
): Promise<ReadonlyMap<string, RecordFailure>> {
  const byAdapter = new Map<Destination, RoutedFinding[]>();
  for (const routed of archived) {
    const adapter = destinations.of(routed.destination);
    if (adapter.archive !== undefined) byAdapter.set(adapter, [...(byAdapter.get(adapter) ?? []), routed]);
  }
  const failures = new Map<string, RecordFailure>();
  for (const [adapter, own] of byAdapter) {
    for (const [messageId, failure] of (await adapter.archive?.(own, pass)) ?? []) failures.set(messageId, failure);
  }
  return failures;
}

/**
 * Sends the findings of messages that failed over to the default destination: each finding once,
 * however many outcomes name it, one batch per destination it left (with that destination's note).
 * Returns the new outcome of each rerouted finding, keyed by the original `RoutedFinding`.
 */
async function reroute(
  outcomes: readonly MessageOutcome[],
  destinations: Destinations,
  pass: DeliveryPass,
  logger: Pick<ConsumerLogger, 'warn'>,
): Promise<Map<RoutedFinding, MessageOutcome>> {
  const fallback = pass.config.defaults.destination;
  const left = new Map<string, { note: string; findings: Set<RoutedFinding> }>();
  for (const outcome of outcomes) {
    if (outcome.status !== 'failed' || !failsOver(outcome.failure) || outcome.message.destination === fallback)
      continue;
    const { destination } = outcome.message;
    const entry = left.get(destination) ?? {
      note: outcome.failure.note ?? `Sent here because ${outcome.failure.reason}`,
      findings: new Set(),
    };
    for (const routed of outcome.message.findings) entry.findings.add(routed);
    left.set(destination, entry);
  }
  const result = new Map<RoutedFinding, MessageOutcome>();
  if (left.size === 0) return result;
  const alreadyThere = outcomesAt(fallback, outcomes);
  for (const { findings } of left.values()) {
    for (const routed of findings) {
      // The finding goes to the default destination as one of its own destinations: once is enough.
      const there = alreadyThere.get(routed.finding.id);
      if (there === undefined) continue;
      result.set(routed, there);
      findings.delete(routed);
    }
  }
  for (const [destination, { findings }] of left) if (findings.size === 0) left.delete(destination);

  const originals = new Map<RoutedFinding, RoutedFinding>();
  const rerouted: Rerouted[] = [...left].map(([destination, { note, findings }]) => {
    logger.warn('Sending findings to the default destination instead', {
      destination,
      fallback,
      findings: findings.size,
    });
    const moved = [...findings].map((routed) => {
      const copy: RoutedFinding = { ...routed, destination: fallback };
      originals.set(copy, routed);
      return copy;
    });
    return { note, findings: moved };
  });
  for (const outcome of await destinations.of(fallback).deliverRerouted(rerouted, pass)) {
    for (const copy of outcome.message.findings) {
      const original = originals.get(copy);
      if (original) result.set(original, outcome);
    }
  }
  return result;
}

/** The outcome of each finding sent to `destination` in this pass, by finding id. */
function outcomesAt(destination: string, outcomes: readonly MessageOutcome[]): Map<string, MessageOutcome> {
  const at = new Map<string, MessageOutcome>();
  for (const outcome of outcomes) {
    if (outcome.message.destination !== destination) continue;
    for (const routed of outcome.message.findings) at.set(routed.finding.id, outcome);
  }
  return at;
}
