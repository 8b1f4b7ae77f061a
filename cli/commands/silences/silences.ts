import { randomBytes } from 'node:crypto';
import { DynamoSilenceStore, type KeptSilence, type SilenceStore } from '../../../lambdas/consumer/index.ts';
import {
  MAX_SILENCE_DAYS,
  MAX_SILENCE_MS,
  configSilences,
  isActive,
  stateTableName,
  type HubConfig,
  type Silence,
  type SilenceMatchers,
} from '../../../shared/index.ts';
import type { AwsClients } from '../../aws/index.ts';
import { UsageError } from '../../errors.ts';

/** Where a silence stands at a moment. */
export type SilenceState = 'active' | 'ended' | 'expired' | 'not started';

/** One silence as `silences list` shows it. */
export interface SilenceRow extends KeptSilence {
  readonly state: SilenceState;
}

/** What `silences list` prints. */
export interface SilencesReport {
  readonly silences: SilenceRow[];
}

/** The silences of the state table of `config`'s hub. */
export function silenceStoreOf(clients: AwsClients, config: HubConfig): SilenceStore {
  return new DynamoSilenceStore({ client: clients.dynamodb(config.hub.region), tableName: stateTableName(config) });
}

/** Every silence, the config's first, each with its count and state; only active ones unless `all`. */
export async function listSilences(
  store: SilenceStore,
  config: Pick<HubConfig, 'silences'>,
  nowMs: number,
  all: boolean,
): Promise<SilencesReport> {
  const { silences: kept, held } = await store.list();
  const fromConfig = configSilences(config.silences).map((silence) => ({
    ...silence,
    held: held.get(silence.id) ?? 0,
  }));
  const rows = [...fromConfig, ...kept].map((silence) => ({ ...silence, state: stateOf(silence, nowMs) }));
  return { silences: all ? rows : rows.filter((row) => row.state === 'active') };
}

/** Where `silence` stands at `nowMs`. */
export function stateOf(silence: KeptSilence, nowMs: number): SilenceState {
  if (isActive(silence, nowMs)) return 'active';
  if (nowMs < silence.startsAtMs) return 'not started';
  return silence.expiredAtMs === undefined ? 'ended' : 'expired';
}

/** What `silences add` is given. */
export interface SilenceRequest {
  readonly matchers: SilenceMatchers;
  readonly author: string | undefined;
  readonly reason: string | undefined;
  /** `--for`: `30m`, `12h`, `7d`. */
  readonly duration: string | undefined;
  /** `--until`: an ISO 8601 time. */
  readonly until: string | undefined;
}

/** Checks `request` and keeps it as a new silence starting at `nowMs`; the silence kept. */
export async function addSilence(store: SilenceStore, request: SilenceRequest, nowMs: number): Promise<Silence> {
  const { matchers } = request;
  if (Object.values(matchers).every((value) => value === undefined))
    throw new UsageError('name what to silence: at least one of --type, --account, --region or --below');
  if (!request.author) throw new UsageError('say who asks for it: --author NAME (or set USER)');
  if (!request.reason?.trim()) throw new UsageError('say why: --reason TEXT (it is shown with the silence)');
  const endsAtMs = endOf(request, nowMs);
  const silence: Silence = {
    id: `sil-${randomBytes(5).toString('hex')}`,
    matchers,
    author: request.author,
    reason: request.reason.trim(),
    startsAtMs: nowMs,
    endsAtMs,
    origin: 'cli',
  };
  await store.add(silence);
  return silence;
}

/** The end of a requested silence: `--for` or `--until`, one of them, within {@link MAX_SILENCE_DAYS} days. */
function endOf(request: Pick<SilenceRequest, 'duration' | 'until'>, nowMs: number): number {
  if ((request.duration === undefined) === (request.until === undefined))
    throw new UsageError('say when it ends: --for DURATION (30m, 12h, 7d) or --until TIME (ISO 8601), one of them');
  const endsAtMs =
    request.duration === undefined ? Date.parse(request.until ?? '') : nowMs + durationMs(request.duration);
  if (Number.isNaN(endsAtMs))
    throw new UsageError(`--until ${request.until}: not a time; write it as ISO 8601, such as 2027-01-31T00:00:00Z`);
  if (endsAtMs <= nowMs) throw new UsageError('the silence would end before it starts: give a later end');
  if (endsAtMs - nowMs > MAX_SILENCE_MS)
    throw new UsageError(
      `a silence lasts at most ${MAX_SILENCE_DAYS} days: give an earlier end (renew it when it ends)`,
    );
  return endsAtMs;
}

const UNIT_MS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `30m`, `12h`, `7d` in milliseconds. */
function durationMs(text: string): number {
  const match = /^(\d+)([mhd])$/.exec(text.trim());
  const unit = match?.[2] === undefined ? undefined : UNIT_MS[match[2]];
  if (match === null || unit === undefined || Number(match[1]) === 0)
    throw new UsageError(`--for ${text}: not a duration; write a number and m, h or d, such as 30m, 12h or 7d`);
  return Number(match[1]) * unit;
}

/** Ends the silence `id` now; config silences end by editing the config. */
export async function expireSilence(
  store: SilenceStore,
  config: Pick<HubConfig, 'silences'>,
  id: string,
  nowMs: number,
): Promise<KeptSilence> {
  if (configSilences(config.silences).some((silence) => silence.id === id))
    throw new UsageError(`${id} is a silence of the config: remove it from silences: there, and deploy`);
  const expired = await store.expire(id, nowMs);
  if (expired === undefined)
    throw new UsageError(`no silence ${id}: \`guardduty-hub silences list --all\` shows every one with its id`);
  return expired;
}
