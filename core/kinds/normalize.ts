import { partitionOf } from '../../shared/regions.ts';

/**
 * Lenient readers for the values that vary between real GuardDuty events: numbers sent as strings,
 * times sent as ISO strings or as epoch numbers (`1.646144449E9`).
 */

/** Epoch values at or above this are milliseconds; below it, seconds (1e11 s is the year 5138). */
const EPOCH_MS_FROM = 1e11;

/**
 * A time already in the form `Date#toISOString` gives, with fields no calendar can overflow (days up
 * to 28), so it is returned as it is: GuardDuty's own times, read without a `Date` per field.
 */
const CANONICAL_ISO = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/** A finite number from a number or a numeric string (`"8"`, `" 5.5 "`); undefined otherwise. */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

/**
 * A time as ISO 8601 (`2022-03-01T14:27:24.071Z`) from an ISO string, a date string `Date` accepts,
 * or epoch seconds or milliseconds as a number or numeric string. Undefined when it is none of these.
 */
export function toIsoTime(value: unknown): string | undefined {
  if (typeof value === 'string' && CANONICAL_ISO.test(value)) return value;
  const epoch = toNumber(value);
  if (epoch !== undefined) return isoFromMs(Math.abs(epoch) >= EPOCH_MS_FROM ? epoch : epoch * 1000);
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  return isoFromMs(Date.parse(value));
}

function isoFromMs(ms: number): string | undefined {
  if (!Number.isFinite(ms)) return undefined;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** A non-empty trimmed string from a string or a number; undefined otherwise. */
export function toText(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** `value` when it is a plain object (not an array), else undefined. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** `value` when it is an array, else an empty array. */
export function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The plain objects of an array (anything else in it left out); empty when `value` is not an array. */
export function asRecords(value: unknown): Record<string, unknown>[] {
  return asArray(value)
    .map(asRecord)
    .filter((found): found is Record<string, unknown> => found !== undefined);
}

/** The Region of an ARN (`arn:aws:guardduty:us-east-1:111122223333:malware-protection-plan/…`), when it names one. */
export function arnRegion(arn: unknown): string | undefined {
  const region = toText(arn)?.split(':')[3];
  return region !== undefined && /^[a-z]{2}(-[a-z]+)+-\d$/.test(region) ? region : undefined;
}

/** The 12-digit account of an ARN (`arn:aws:guardduty:us-east-1:111122223333:malware-protection-plan/…`), when it has one. */
export function arnAccount(arn: unknown): string | undefined {
  const account = toText(arn)?.split(':')[4];
  return account !== undefined && /^\d{12}$/.test(account) ? account : undefined;
}

/**
 * The fields of an alert GuardDuty or CloudTrail sends once (a change, a status, a scan): its Region and
 * partition, a count of 1, seen at `seenAt` (unknown when undefined), updated at `updatedAt`, never archived.
 */
export function seenOnce(region: string, seenAt: string | undefined, updatedAt: string) {
  return {
    region,
    partition: partitionOf(region),
    count: 1,
    firstSeen: seenAt,
    lastSeen: seenAt,
    updatedAt,
    archived: false,
  } as const;
}
