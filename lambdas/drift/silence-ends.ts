import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { configSilences, type HubConfig } from '../../shared/index.ts';
import { SILENCE_RECAP_EVENT, type SilenceRecap } from '../../core/kinds/index.ts';
import { DynamoSilenceStore, type SilenceStore } from '../../core/silences/index.ts';

/**
 * The drift check's step for silences: each silence that has ended (its end passed, or it was ended
 * early with `silences expire`) gets a recap, once. The recap is claimed in the store first (a
 * conditional write, so two runs never both send it), then put on the hub queue as an event the
 * consumer reads as a `silence-recap` alert, with the consumer's retries and DLQ, and recorded as sent.
 * A recap the queue did not take has its claim taken back, and the next run sends it; should the
 * function stop between the claim and the send, the claim lapses after `RECAP_CLAIM_MS` and a later
 * run sends it. Nothing is lost, and a copy sent twice is one message (its id is stable).
 */

/** How long after its end a silence still gets its recap, in ms (7 days): older ones ended before the hub looked. */
export const RECAP_WINDOW_MS = 7 * 86_400_000;

/** What {@link recapEndedSilences} needs. */
export interface SilenceEndsOptions {
  readonly config: Pick<HubConfig, 'hub' | 'silences'>;
  /** Where silences, their counts and tallies are kept. */
  readonly store: SilenceStore;
  /** Puts bodies on the hub queue; must throw if any is not accepted. */
  readonly send: (bodies: readonly string[]) => Promise<void>;
  /** Clock. Default `Date.now`. */
  readonly now?: () => number;
}

/** What one run did: the silences recapped, and those whose recap failed (tried again next run). */
export interface SilenceEndsReport {
  readonly recapped: readonly string[];
  readonly failed: readonly { readonly id: string; readonly error: string }[];
}

/** Sends the recap of every silence that held for a while, ended within {@link RECAP_WINDOW_MS} and has none yet. */
export async function recapEndedSilences(options: SilenceEndsOptions): Promise<SilenceEndsReport> {
  const { config, store } = options;
  const nowMs = (options.now ?? Date.now)();
  const { silences: kept, held } = await store.list();
  const all = [
    ...configSilences(config.silences).map((silence) => ({ silence, renewable: false })),
    ...kept.map(({ held: _held, ...silence }) => ({ silence, renewable: true })),
  ];
  // One ended before it started (expired while waiting) never held anything: no recap.
  const ended = all.filter(
    ({ silence }) =>
      silence.startsAtMs < silence.endsAtMs && silence.endsAtMs <= nowMs && nowMs - silence.endsAtMs <= RECAP_WINDOW_MS,
  );
  const recapped: string[] = [];
  const failed: { id: string; error: string }[] = [];
  for (const { silence, renewable } of ended) {
    if (!(await store.claimRecap(silence.id, nowMs))) continue;
    try {
      const { tally } = await store.tally(silence.id);
      const recap: SilenceRecap = { silence, held: held.get(silence.id) ?? 0, tally, renewable };
      await options.send([recapBody(recap, config.hub, nowMs)]);
      recapped.push(silence.id);
      // Unrecorded, the claim lapses and a later run sends it again: the consumer's repeat gate drops that copy.
      await store.recapSent(silence.id, nowMs).catch((error: unknown) => {
        console.warn(
          JSON.stringify({ message: 'Recap sent but not recorded', silence: silence.id, error: String(error) }),
        );
      });
    } catch (error) {
      failed.push({ id: silence.id, error: error instanceof Error ? error.message : String(error) });
      await store.releaseRecap(silence.id, nowMs).catch(() => undefined);
    }
  }
  return { recapped, failed };
}

/** The SQS body of a recap: an EventBridge-shaped envelope the consumer recognizes (`detail-type` {@link SILENCE_RECAP_EVENT}). */
export function recapBody(
  recap: SilenceRecap,
  hub: Pick<HubConfig['hub'], 'account' | 'region'>,
  nowMs: number,
): string {
  return JSON.stringify({
    version: '0',
    source: SILENCE_RECAP_EVENT.source,
    'detail-type': SILENCE_RECAP_EVENT.detailType,
    account: hub.account,
    region: hub.region,
    time: new Date(nowMs).toISOString(),
    detail: recap,
  });
}

/**
 * The step as the drift function runs it: the state table's silences, `send` to the hub queue. Never
 * throws: a failure is logged (JSON line) and the drift check goes on; an unsent recap is tried next run.
 */
export async function silenceEndsStep(options: {
  readonly config: Pick<HubConfig, 'hub' | 'silences'>;
  readonly tableName: string;
  readonly send: (bodies: readonly string[]) => Promise<void>;
  readonly client?: DynamoDBClient;
  readonly now?: () => number;
}): Promise<SilenceEndsReport | undefined> {
  try {
    const client = options.client ?? new (await import('@aws-sdk/client-dynamodb')).DynamoDBClient({});
    const store = new DynamoSilenceStore({ client, tableName: options.tableName });
    const report = await recapEndedSilences({ ...options, store });
    if (report.recapped.length + report.failed.length > 0)
      console.log(JSON.stringify({ message: 'Silence recaps', ...report }));
    return report;
  } catch (error) {
    console.error(JSON.stringify({ message: 'Silence recaps not sent this run', error: String(error) }));
    return undefined;
  }
}
