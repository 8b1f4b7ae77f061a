import * as v from 'valibot';
import { toNumber } from '../normalize.ts';

/**
 * The parts of an EventBridge GuardDuty finding event that the consumer needs, checked with valibot
 * (small enough for the Lambda bundle). Only what must hold is strict: the event kind and the finding's
 * id, type, severity and account. Fields that vary between real events stay `unknown` here and are read
 * leniently by `normalize.ts` and `resource.ts`.
 */

const requiredText = v.pipe(v.string('must be a string'), v.trim(), v.nonEmpty('must not be empty'));

/** A severity score as a number or a numeric string (`8`, `"5.0"`). */
const score = v.pipe(
  v.custom<number | string>((input) => toNumber(input) !== undefined, 'must be a number'),
  v.transform((input) => toNumber(input) as number),
);

const loose = v.optional(v.unknown());

const serviceSchema = v.fallback(
  v.looseObject({
    count: loose,
    archived: loose,
    eventFirstSeen: loose,
    eventLastSeen: loose,
  }),
  {},
);

const detailSchema = v.looseObject(
  {
    id: requiredText,
    type: requiredText,
    severity: score,
    accountId: requiredText,
    region: loose,
    partition: loose,
    title: loose,
    description: loose,
    createdAt: loose,
    updatedAt: loose,
    resource: loose,
    service: v.optional(serviceSchema, {}),
  },
  'must be an object',
);

/** An EventBridge event carrying one GuardDuty finding (only the fields used). */
export const findingEventSchema = v.looseObject(
  {
    source: v.literal('aws.guardduty', 'must be aws.guardduty'),
    'detail-type': v.literal('GuardDuty Finding', 'must be "GuardDuty Finding"'),
    region: loose,
    time: loose,
    detail: detailSchema,
  },
  'must be an object',
);

/** The checked event, as valibot outputs it. */
export type FindingEventInput = v.InferOutput<typeof findingEventSchema>;

/** The first problem with `input` as a short reason (`detail.accountId is missing`), or the checked event. */
export function checkFindingEvent(
  input: unknown,
): { ok: true; event: FindingEventInput } | { ok: false; reason: string } {
  const clean = asCleanEvent(input);
  if (clean !== undefined) return { ok: true, event: clean };
  const result = v.safeParse(findingEventSchema, input, { abortEarly: true });
  if (result.success) return { ok: true, event: result.output };
  const issue = result.issues[0];
  const path = v.getDotPath(issue) ?? 'event';
  if (issue.input === undefined) return { ok: false, reason: `${path} is missing` };
  const got = issue.kind === 'schema' ? ` (got ${shorten(issue.received)})` : '';
  return { ok: false, reason: `${path} ${issue.message}${got}` };
}

/**
 * The common case without valibot's copy of every level: an event that already is what the schema
 * outputs (ids trimmed, severity a number, `service` an object or absent), returned as it is, with
 * `service` defaulted. Anything else goes through the schema, which also finds the reason.
 */
function asCleanEvent(input: unknown): FindingEventInput | undefined {
  const event = input as Record<string, unknown>;
  if (event.source !== 'aws.guardduty' || event['detail-type'] !== 'GuardDuty Finding') return undefined;
  const detail = event.detail;
  if (!isPlainObject(detail) || typeof detail.severity !== 'number' || !Number.isFinite(detail.severity))
    return undefined;
  if (!(['id', 'type', 'accountId'] as const).every((key) => isTrimmedText(detail[key]))) return undefined;
  const service = detail.service;
  if (service === undefined) return { ...event, detail: { ...detail, service: {} } } as FindingEventInput;
  return isPlainObject(service) ? (event as FindingEventInput) : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isTrimmedText(value: unknown): boolean {
  return typeof value === 'string' && value !== '' && value.trim() === value;
}

function shorten(text: string, maxChars = 60): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars - 1)}…`;
}
