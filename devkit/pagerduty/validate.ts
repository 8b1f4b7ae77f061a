/**
 * What the Events API v2 checks of an event, as PagerDuty's documentation describes it ("Send an Alert
 * Event", `docs/events-API-v2/02-Trigger-Events.md`, and the OpenAPI description
 * `reference/events-v2/openapiv3.json`): the fields, their values and their lengths. The error texts are
 * this simulator's own wording; the answer's shape (`status`, `message`, `errors`) is PagerDuty's.
 */

/** The three event actions. */
export const EVENT_ACTIONS = ['trigger', 'acknowledge', 'resolve'] as const;

/** The four severities of a trigger's payload. */
export const SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;

/** The documented limits the simulator holds events to. */
export const DOCUMENTED = {
  routingKeyChars: 32,
  dedupKeyMaxChars: 255,
  summaryMaxChars: 1024,
  bodyMaxBytes: 512 * 1024,
} as const;

/** An event that passed the checks. */
export interface ValidEvent {
  readonly routingKey: string;
  readonly action: (typeof EVENT_ACTIONS)[number];
  readonly dedupKey: string | undefined;
  /** The trigger's payload as sent. */
  readonly payload: Readonly<Record<string, unknown>> | undefined;
  readonly links: readonly Readonly<Record<string, unknown>>[];
}

/** The event, or PagerDuty's answer to an invalid one (`status`, `message`, `errors`). */
export type Validation =
  | { readonly ok: true; readonly event: ValidEvent }
  | { readonly ok: false; readonly status: string; readonly message: string; readonly errors: readonly string[] };

const chars = (text: string) => [...text].length;
const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Checks one request body. */
export function validateEvent(raw: string): Validation {
  if (Buffer.byteLength(raw, 'utf8') > DOCUMENTED.bodyMaxBytes)
    return invalid([`the event is larger than ${DOCUMENTED.bodyMaxBytes} bytes`]);
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return {
      ok: false,
      status: 'Unrecognized object',
      message: 'Event object format is unrecognized',
      errors: ['JSON parse error'],
    };
  }
  if (!isObject(body))
    return {
      ok: false,
      status: 'Unrecognized object',
      message: 'Event object format is unrecognized',
      errors: ['not an object'],
    };
  const errors = [...routingKeyErrors(body.routing_key), ...actionErrors(body)];
  if (body.event_action === 'trigger') errors.push(...payloadErrors(body.payload), ...linkErrors(body.links));
  if (errors.length > 0) return invalid(errors);
  return {
    ok: true,
    event: {
      routingKey: body.routing_key as string,
      action: body.event_action as ValidEvent['action'],
      dedupKey: typeof body.dedup_key === 'string' ? body.dedup_key : undefined,
      payload: isObject(body.payload) ? body.payload : undefined,
      links: Array.isArray(body.links) ? body.links.filter(isObject) : [],
    },
  };
}

function invalid(errors: readonly string[]): Validation {
  return { ok: false, status: 'invalid event', message: 'Event object is invalid', errors };
}

function routingKeyErrors(key: unknown): string[] {
  if (typeof key !== 'string' || key === '') return ["'routing_key' is missing or blank"];
  const errors: string[] = [];
  if (key.length !== DOCUMENTED.routingKeyChars)
    errors.push(`Length of 'routing_key' is incorrect (should be ${DOCUMENTED.routingKeyChars} characters)`);
  if (!/^[A-Za-z0-9]*$/.test(key)) errors.push("'routing_key' cannot contain non-alphanumeric characters");
  return errors;
}

function actionErrors(body: Record<string, unknown>): string[] {
  const action = body.event_action;
  if (!EVENT_ACTIONS.includes(action as ValidEvent['action']))
    return [`'event_action' must be one of ${EVENT_ACTIONS.join(', ')}`];
  const key = body.dedup_key;
  if (key === undefined) return action === 'trigger' ? [] : [`'dedup_key' is required for ${String(action)}`];
  if (typeof key !== 'string' || key === '') return ["'dedup_key' must be a non-empty string"];
  return chars(key) > DOCUMENTED.dedupKeyMaxChars
    ? [`'dedup_key' is longer than ${DOCUMENTED.dedupKeyMaxChars} characters`]
    : [];
}

function payloadErrors(payload: unknown): string[] {
  if (!isObject(payload)) return ["'payload' is missing (a trigger needs one)"];
  const errors: string[] = [];
  const { summary, source, severity } = payload;
  if (typeof summary !== 'string' || summary.trim() === '') errors.push("'payload.summary' is missing or blank");
  else if (chars(summary) > DOCUMENTED.summaryMaxChars)
    errors.push(`'payload.summary' is longer than ${DOCUMENTED.summaryMaxChars} characters`);
  if (typeof source !== 'string' || source.trim() === '') errors.push("'payload.source' is missing or blank");
  if (!SEVERITIES.includes(severity as (typeof SEVERITIES)[number]))
    errors.push(`'payload.severity' must be one of ${SEVERITIES.join(', ')}`);
  for (const field of ['component', 'group', 'class'] as const) {
    if (payload[field] !== undefined && typeof payload[field] !== 'string')
      errors.push(`'payload.${field}' must be a string`);
  }
  if (payload.timestamp !== undefined && Number.isNaN(Date.parse(String(payload.timestamp))))
    errors.push("'payload.timestamp' must be an ISO 8601 time");
  if (payload.custom_details !== undefined && !isObject(payload.custom_details))
    errors.push("'payload.custom_details' must be an object");
  return errors;
}

function linkErrors(links: unknown): string[] {
  if (links === undefined) return [];
  if (!Array.isArray(links)) return ["'links' must be a list"];
  return links.flatMap((link, i) =>
    isObject(link) && typeof link.href === 'string' && link.href !== '' ? [] : [`'links[${i}].href' is required`],
  );
}
