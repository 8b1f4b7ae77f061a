import { randomUUID } from 'node:crypto';
import type { ValidEvent } from './validate.ts';

/**
 * The alerts an Events API v2 service keeps by `dedup_key`, as "Alert De-Duplication" and "Event Action
 * Behavior" describe them (`docs/events-API-v2/02-Trigger-Events.md`): a trigger opens an alert or adds
 * to the open one of its key; acknowledge and resolve act on the open alert of their key, sent with the
 * routing key that triggered it, and are dropped otherwise; after a resolve, a trigger opens a new alert.
 */

/** An alert's state. */
export type AlertState = 'triggered' | 'acknowledged' | 'resolved';

/** One alert (an incident's worth, here). */
export interface SimulatedAlert {
  readonly dedupKey: string;
  readonly routingKey: string;
  state: AlertState;
  /** Trigger events applied to it (1 for a new alert). */
  triggers: number;
  /** The last trigger's payload. */
  payload: Readonly<Record<string, unknown>>;
  links: readonly Readonly<Record<string, unknown>>[];
  /** Every action applied, in order. */
  readonly history: ValidEvent['action'][];
}

/** What became of one event: applied to an alert, or dropped (no open alert of its key and routing key). */
export type Applied = { readonly dedupKey: string; readonly applied: boolean };

/** Every alert, by `dedup_key` (the newest one of each key last). */
export class Alerts {
  readonly #byKey = new Map<string, SimulatedAlert[]>();

  /** Applies a valid event; a trigger without `dedup_key` gets a new one. */
  apply(event: ValidEvent): Applied {
    const dedupKey = event.dedupKey ?? randomUUID();
    const all = this.#byKey.get(dedupKey) ?? [];
    const open = all.find((alert) => alert.state !== 'resolved' && alert.routingKey === event.routingKey);
    if (event.action === 'trigger') {
      if (open !== undefined) {
        open.triggers += 1;
        open.payload = event.payload ?? open.payload;
        open.links = event.links;
        open.history.push('trigger');
      } else {
        all.push({
          dedupKey,
          routingKey: event.routingKey,
          state: 'triggered',
          triggers: 1,
          payload: event.payload ?? {},
          links: event.links,
          history: ['trigger'],
        });
        this.#byKey.set(dedupKey, all);
      }
      return { dedupKey, applied: true };
    }
    if (open === undefined) return { dedupKey, applied: false };
    open.state = event.action === 'resolve' ? 'resolved' : 'acknowledged';
    open.history.push(event.action);
    return { dedupKey, applied: true };
  }

  /** The newest alert of `dedupKey`. */
  latest(dedupKey: string): SimulatedAlert | undefined {
    return this.#byKey.get(dedupKey)?.at(-1);
  }

  /** Every alert of `dedupKey`, oldest first. */
  of(dedupKey: string): readonly SimulatedAlert[] {
    return this.#byKey.get(dedupKey) ?? [];
  }

  /** Every alert. */
  all(): SimulatedAlert[] {
    return [...this.#byKey.values()].flat();
  }
}
