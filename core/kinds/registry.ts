import type { Finding, ParseResult } from '../types.ts';
import { COVERAGE_KIND } from './coverage/kind.ts';
import { DRIFT_KIND } from './drift/kind.ts';
import { FINDING_KIND } from './finding/kind.ts';
import type { AlertKind } from './kind.ts';
import { asRecord } from './normalize.ts';
import { SCAN_RESULT_KIND } from './scan-result/kind.ts';
import { SILENCE_RECAP_KIND } from './silence-recap/kind.ts';
import { TAMPER_KIND } from './tamper/kind.ts';

/** Every kind of alert, one line each, tried in this order: the GuardDuty finding, which takes any other event, last. */
export const ALERT_KINDS: readonly AlertKind[] = [
  SCAN_RESULT_KIND,
  COVERAGE_KIND,
  TAMPER_KIND,
  DRIFT_KIND,
  SILENCE_RECAP_KIND,
  FINDING_KIND,
];

const BY_KIND = new Map(ALERT_KINDS.map((entry) => [entry.kind, entry]));

/** The kind of `finding`. */
export function kindOf(finding: Pick<Finding, 'kind'>): AlertKind {
  return BY_KIND.get(finding.kind) ?? FINDING_KIND;
}

/**
 * Parses an SQS record body (the EventBridge event JSON) into a `Finding` of the first kind that
 * recognises it. Never throws: a body that is not an event the hub reads gives `{ ok: false, reason }`,
 * a short reason fit for logs. `parsed`: the body already parsed (what `JSON.parse(body)` gives), when
 * the caller has it; it is read, never changed.
 */
export function parseRecord(body: string, parsed?: unknown): ParseResult {
  let json: unknown = parsed;
  if (json === undefined) {
    try {
      json = JSON.parse(body);
    } catch (error) {
      return { ok: false, reason: `body is not JSON: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  const event = asRecord(json);
  if (event === undefined) return { ok: false, reason: `body is not a JSON object (got ${typeOf(json)})` };
  return (ALERT_KINDS.find((entry) => entry.recognises(event)) ?? FINDING_KIND).parse(event);
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}
