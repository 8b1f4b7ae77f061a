import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Slack's request signing (https://api.slack.com/authentication/verifying-requests-from-slack):
 * `X-Slack-Signature` is `v0=` + hex HMAC-SHA256, keyed with the app's signing secret, of
 * `v0:<X-Slack-Request-Timestamp>:<raw body>`. Compared in constant time; timestamps more than five
 * minutes off are refused (a replay of an old request). No result or error carries the secret or the
 * signature.
 */

/** Slack's allowed clock difference, in seconds. */
export const MAX_REQUEST_AGE_SECONDS = 300;

/** Why a request was refused (what the audit line says). */
export type SignatureProblem = 'missing-headers' | 'bad-timestamp' | 'stale-timestamp' | 'bad-signature';

/** The outcome of {@link verifySlackSignature}. */
export type SignatureCheck = { readonly ok: true } | { readonly ok: false; readonly problem: SignatureProblem };

/** The signature Slack would send for `rawBody` at `timestamp` (seconds, as text). */
export function slackSignature(signingSecret: string, timestamp: string, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

/**
 * The front's seal on a job it hands to the worker: hex HMAC-SHA256 with the signing secret over
 * `gdh-triage-job:v1:<acceptedAtMs>:<click JSON>`. The function's URL must let anyone invoke it, so
 * the worker runs only jobs the front sealed, that is, clicks whose Slack signature it checked.
 */
export function jobSeal(signingSecret: string, acceptedAtMs: number, click: unknown): string {
  return createHmac('sha256', signingSecret)
    .update(`gdh-triage-job:v1:${acceptedAtMs}:${JSON.stringify(click)}`)
    .digest('hex');
}

/** True when `seal` is {@link jobSeal} of the job, compared in constant time. */
export function isSealed(
  job: { readonly acceptedAtMs: unknown; readonly click: unknown; readonly seal?: unknown },
  signingSecret: string,
): boolean {
  if (typeof job.seal !== 'string' || typeof job.acceptedAtMs !== 'number') return false;
  const expected = Buffer.from(jobSeal(signingSecret, job.acceptedAtMs, job.click), 'utf8');
  const given = Buffer.from(job.seal, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Checks one request's headers against its raw body; `nowMs` is the clock. */
export function verifySlackSignature(
  request: { readonly timestamp: string | undefined; readonly signature: string | undefined; readonly rawBody: string },
  signingSecret: string,
  nowMs: number,
): SignatureCheck {
  const { timestamp, signature, rawBody } = request;
  if (timestamp === undefined || signature === undefined || timestamp === '' || signature === '')
    return { ok: false, problem: 'missing-headers' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, problem: 'bad-timestamp' };
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > MAX_REQUEST_AGE_SECONDS)
    return { ok: false, problem: 'stale-timestamp' };
  const expected = Buffer.from(slackSignature(signingSecret, timestamp, rawBody), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  // timingSafeEqual needs equal lengths; a length difference says nothing about the secret.
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, problem: 'bad-signature' };
  return { ok: true };
}
