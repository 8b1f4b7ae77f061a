import { createHash } from 'node:crypto';
import type { SuppressRule } from './config/schema.ts';

/**
 * Silences: findings the consumer skips for a while, with who asked and why. Unlike `suppress` rules
 * at the source and Slack's "Suppress like this" (GuardDuty filters that archive findings, which then
 * leave GuardDuty's attack-sequence correlation), a silence acts in the hub only: GuardDuty keeps
 * every finding and correlates it. Silences come from the config (`silences:`) and from the CLI
 * (`guardduty-hub silences add`, kept in the state table); each ends, at most {@link MAX_SILENCE_DAYS}
 * after it starts.
 */

/** The longest a silence may last, in days. */
export const MAX_SILENCE_DAYS = 90;

/** The longest a silence may last, in milliseconds. */
export const MAX_SILENCE_MS = MAX_SILENCE_DAYS * 86_400_000;

/**
 * What a silence matches: the criteria of a suppress rule, at least one, every one given must hold;
 * `resource` (silences made from Slack for "this finding") also needs the finding's resource criterion
 * to be exactly this field and value.
 */
export type SilenceMatchers = Pick<SuppressRule, 'type' | 'accounts' | 'regions' | 'below'> & {
  readonly resource?: SilenceResource;
};

/** One resource, as a GuardDuty filter field and the value a finding has there (`resource.instanceDetails.instanceId`). */
export interface SilenceResource {
  readonly field: string;
  readonly value: string;
}

/** One silence. */
export interface Silence {
  /** `cfg-…` for one from the config (a hash of what it says), `sil-…` for one added with the CLI or from Slack. */
  readonly id: string;
  readonly matchers: SilenceMatchers;
  /** Who made it: an email, an IAM principal, a Slack user. */
  readonly author: string;
  /** Why: shown wherever the silence is. */
  readonly reason: string;
  /** When it starts and ends, epoch ms; it holds findings while `startsAtMs <= now < endsAtMs`. */
  readonly startsAtMs: number;
  readonly endsAtMs: number;
  /** Where it comes from: the config, the CLI, or Slack's Silence… modal (`author` is then a Slack user id). */
  readonly origin: 'config' | 'cli' | 'slack';
  /** For one made from Slack: the app destination whose channel it was made in, where its recap goes when it ends. */
  readonly destination?: string;
}

/** A silence as the config says it: the matchers, `author`, `reason` and `until` (ISO 8601). */
export interface ConfigSilence extends SilenceMatchers {
  readonly author: string;
  readonly reason: string;
  readonly until: string;
}

/**
 * The silences of the config. Each id is a hash of what the silence says, so it stays the same while
 * the entry does (its count with it) and a changed entry is a new silence. A config silence holds from
 * when it is deployed; its start is taken as its end less {@link MAX_SILENCE_DAYS}, or the epoch.
 */
export function configSilences(silences: readonly ConfigSilence[]): Silence[] {
  return silences.map(({ author, reason, until, ...matchers }) => {
    const endsAtMs = Date.parse(until);
    const digest = createHash('sha256')
      .update(JSON.stringify([matchers, author, reason, until]))
      .digest('hex');
    return {
      id: `cfg-${digest.slice(0, 10)}`,
      matchers,
      author,
      reason,
      startsAtMs: Math.max(0, endsAtMs - MAX_SILENCE_MS),
      endsAtMs,
      origin: 'config',
    };
  });
}

/** True while `silence` holds findings. */
export function isActive(silence: Pick<Silence, 'startsAtMs' | 'endsAtMs'>, nowMs: number): boolean {
  return silence.startsAtMs <= nowMs && nowMs < silence.endsAtMs;
}

/** `type Recon:* · accounts 111111111111 · below medium`: what a silence matches, in one line. */
export function describeMatchers(matchers: SilenceMatchers): string {
  const parts = [
    matchers.type === undefined ? undefined : `type ${matchers.type}`,
    matchers.accounts === undefined ? undefined : `accounts ${matchers.accounts.join(', ')}`,
    matchers.regions === undefined ? undefined : `regions ${matchers.regions.join(', ')}`,
    matchers.below === undefined ? undefined : `below ${String(matchers.below)}`,
    matchers.resource === undefined ? undefined : `resource ${matchers.resource.field}=${matchers.resource.value}`,
  ];
  return parts.filter((part) => part !== undefined).join(' · ');
}

/** True for the shape of a {@link Silence} (as kept in the state table, or carried by a recap). */
export function isSilence(value: unknown): value is Silence {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    [v.id, v.author, v.reason].every((text) => typeof text === 'string') &&
    [v.startsAtMs, v.endsAtMs].every((ms) => typeof ms === 'number') &&
    typeof v.matchers === 'object' &&
    v.matchers !== null &&
    [v.origin, v.destination].every((text) => text === undefined || typeof text === 'string')
  );
}
