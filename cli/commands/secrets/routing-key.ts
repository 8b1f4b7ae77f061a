/**
 * A PagerDuty routing key: the Integration Key of an Events API v2 integration on a service (Service →
 * Integrations → Events API V2), 32 letters and digits. Checked without ever echoing it: whoever holds it
 * can page the service's on-call.
 */

/** What `secrets set` expects for a PagerDuty destination, for messages. */
export const EXPECTED_ROUTING_KEY_FORM =
  'a PagerDuty routing key: the 32-character Integration Key of an Events API v2 integration (the service → Integrations)';

/** The result of {@link checkRoutingKey}: fine, or what is wrong (never containing the input). */
export type RoutingKeyCheck =
  | { readonly ok: true; readonly kind: 'routing-key' }
  | { readonly ok: false; readonly problem: string };

/** Checks that `text` (already trimmed) has a routing key's form. */
export function checkRoutingKey(text: string): RoutingKeyCheck {
  if (text === '') return { ok: false, problem: 'the input is empty' };
  if (/\s/.test(text)) return { ok: false, problem: 'the input contains spaces or more than one line' };
  if (/^https?:/i.test(text)) return { ok: false, problem: 'the input is a URL, not a routing key' };
  if (!/^[A-Za-z0-9]+$/.test(text))
    return { ok: false, problem: 'the input has characters other than letters and digits' };
  if (text.length !== 32) return { ok: false, problem: `the input has ${text.length} characters, not 32` };
  return { ok: true, kind: 'routing-key' };
}
