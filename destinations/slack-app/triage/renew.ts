import { createHash } from 'node:crypto';
import type { TriageConfig } from '../../../shared/index.ts';
import { MAX_SILENCE_MS, type Silence } from '../../../shared/silences.ts';
import type { SilenceRecap } from '../../../core/kinds/silence-recap/types.ts';
import { escapeSlack } from '../../slack/render/escape.ts';
import type { Block } from '../../slack/render/types.ts';
import { TriagePayloadError } from './errors.ts';
import { mention } from './state.ts';

/**
 * Renew, on a silence's recap at an app destination: a button to the signed triage endpoint, allowed to
 * those `triage.allow.silence` lists, that makes the same silence again (same matchers and reason, for
 * as long as it lasted, at most 90 days) from the click on, with the clicker as its author.
 */

/** `action_id` of the Renew button. */
export const RENEW_ACTION_ID = 'gdh-triage-renew';
/** `block_id` of the block holding it. */
export const RENEW_BLOCK_ID = 'gdh-renew';

/** The Renew button for `recap`; none for a config silence, or when nobody may silence. */
export function renewBlocks(recap: SilenceRecap, triage: Pick<TriageConfig, 'allow'>): Block[] {
  if (!recap.renewable || triage.allow.silence.length === 0) return [];
  const button = {
    type: 'button',
    action_id: RENEW_ACTION_ID,
    text: { type: 'plain_text', text: 'Renew' },
    value: JSON.stringify({ s: recap.silence.id }),
  };
  return [{ type: 'actions', block_id: RENEW_BLOCK_ID, elements: [button] }];
}

/** The silence id a Renew button carries; throws {@link TriagePayloadError} for anything else. */
export function renewedId(value: string): string {
  let raw: unknown;
  try {
    raw = JSON.parse(value);
  } catch (cause) {
    throw new TriagePayloadError('the button value is not JSON', { cause });
  }
  const id = (raw as { s?: unknown } | null)?.s;
  if (typeof id !== 'string' || !/^sil-[\w-]{1,100}$/.test(id))
    throw new TriagePayloadError('the button value names no silence');
  return id;
}

/**
 * The renewal of `silence`, made by `userId` at `nowMs` from `destination`: its matchers and reason,
 * for as long as it lasted (at most 90 days). Its id follows from the renewed one, so a second click
 * finds it made already.
 */
export function renewal(silence: Silence, userId: string, nowMs: number, destination: string | undefined): Silence {
  const lastedMs = Math.min(MAX_SILENCE_MS, Math.max(0, silence.endsAtMs - silence.startsAtMs));
  return {
    id: renewalId(silence.id),
    matchers: silence.matchers,
    author: userId,
    reason: silence.reason,
    startsAtMs: nowMs,
    endsAtMs: nowMs + lastedMs,
    origin: 'slack',
    ...(destination === undefined ? {} : { destination }),
  };
}

/** The id of the renewal of `id`: `sil-` and 10 hex digits of a hash of it. */
export function renewalId(id: string): string {
  return `sil-${createHash('sha256').update(`renew:${id}`).digest('hex').slice(0, 10)}`;
}

/** `🔔 Renewed by <@U…> until 2026-01-22 10:00 UTC: reason (silence `sil-…`)`, for the recap's thread. */
export function renewedReply(silence: Silence): string {
  const until = new Date(silence.endsAtMs).toISOString().slice(0, 16).replace('T', ' ');
  return `:no_bell: Renewed by ${mention(silence.author)} until ${until} UTC: ${escapeSlack(silence.reason)} (silence \`${silence.id}\`; \`guardduty-hub silences expire ${silence.id}\` ends it).`;
}
