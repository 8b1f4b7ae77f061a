import type { HubConfig } from '../../../shared/index.ts';
import { UsageError } from '../../errors.ts';

/**
 * The Slack app's signing secret (Basic Information → App Credentials), which the triage endpoint
 * verifies every click with. Slack shows it as 32 hexadecimal characters; anything else is most likely
 * the wrong credential (the client secret or a verification token look alike at a glance).
 */

/** What `secrets set --signing-secret` expects, for messages. */
export const EXPECTED_SIGNING_SECRET_FORM =
  '32 hexadecimal characters (Slack app → Basic Information → App Credentials → Signing Secret)';

/** The result of {@link checkSigningSecret}: fine, or what is wrong (never containing the input). */
export type SigningSecretCheck = { readonly ok: true } | { readonly ok: false; readonly problem: string };

/** Checks that `text` (already trimmed) looks like a Slack signing secret. */
export function checkSigningSecret(text: string): SigningSecretCheck {
  if (text === '') return { ok: false, problem: 'the input is empty' };
  if (/\s/.test(text)) return { ok: false, problem: 'the input contains spaces or more than one line' };
  if (!/^[0-9a-f]+$/i.test(text)) return { ok: false, problem: 'the input has characters other than 0-9 and a-f' };
  if (text.length !== 32) return { ok: false, problem: `the input has ${text.length} characters, not 32` };
  return { ok: true };
}

/** The secret that holds the signing secret; {@link UsageError} when the config has no `triage:` section. */
export function signingSecretName(config: Pick<HubConfig, 'triage'>): string {
  if (config.triage === undefined) {
    throw new UsageError(
      'the config has no triage section, so there is no signing secret to store: add triage.signingSecret (see docs/destinations.md, "Triage from Slack")',
    );
  }
  return config.triage.signingSecret;
}
