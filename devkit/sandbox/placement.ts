import {
  CLOUDTRAIL_DETAIL_TYPE,
  COVERAGE_DETAIL_TYPE_LIST,
  lowestThreshold,
  type HubConfig,
} from '../../shared/index.ts';

/**
 * Which events `sandbox publish` puts on a default bus, and how: GuardDuty's own events only (source
 * `aws.guardduty` with the detail-types the hub's rules take), or a bare finding (a `detail` without an
 * envelope, as AWS's Lambda test events are), published as GuardDuty publishes a finding. Anything
 * else is refused with the reason, never reported as published.
 */

/** The detail-types GuardDuty puts on the default bus that the hub's region rules forward. */
export const GUARDDUTY_DETAIL_TYPES = [
  'GuardDuty Finding',
  'GuardDuty Malware Protection Object Scan Result',
  ...COVERAGE_DETAIL_TYPE_LIST,
  CLOUDTRAIL_DETAIL_TYPE,
];

/** A PutEvents entry for the default bus of `region`. */
export interface Placement {
  readonly ok: true;
  readonly region: string;
  readonly entry: {
    readonly Source: 'aws.guardduty';
    readonly DetailType: string;
    readonly Detail: string;
    readonly Resources?: string[];
  };
  /** Set when the forwarder rule will leave the event on the default bus (a finding below the lowest threshold). */
  readonly notForwarded?: string;
}

/** Why an event is not published. */
export interface Refusal {
  readonly ok: false;
  readonly reason: string;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const refuse = (reason: string): Refusal => ({ ok: false, reason });

/** Where and how `body` (one event's JSON) is published under `config`, or why it is not. */
export function placeEvent(
  body: string,
  config: Pick<HubConfig, 'regions' | 'accounts' | 'defaults'>,
): Placement | Refusal {
  let event: unknown;
  try {
    event = JSON.parse(body);
  } catch {
    return refuse('not JSON');
  }
  if (!isObject(event)) return refuse('not a JSON object');
  const source = text(event.source);
  const detailType = text(event['detail-type']);
  const enveloped = source !== undefined || detailType !== undefined;
  if (
    enveloped &&
    (source !== 'aws.guardduty' || !(GUARDDUTY_DETAIL_TYPES as readonly string[]).includes(detailType ?? ''))
  ) {
    return refuse(
      `not a GuardDuty event (source ${source ?? '(none)'}, detail-type ${detailType ?? '(none)'}): the hub's rules take source aws.guardduty with detail-type ${GUARDDUTY_DETAIL_TYPES.map((t) => `"${t}"`).join(', ')}`,
    );
  }
  const detail = enveloped ? event.detail : (event.detail ?? event);
  if (!isObject(detail)) return refuse('its detail is not a JSON object');
  if (!enveloped && (text(detail.id) === undefined || text(detail.type) === undefined)) {
    return refuse('neither a GuardDuty event (no source and detail-type) nor a finding (no id and type)');
  }
  const kind = detailType ?? 'GuardDuty Finding';
  const region = text(kind === CLOUDTRAIL_DETAIL_TYPE ? detail.awsRegion : detail.region) ?? text(event.region);
  if (region === undefined || !config.regions.includes(region)) {
    return refuse(`region ${region ?? '(none)'} is not in the config's regions (${config.regions.join(', ')})`);
  }
  // A scan result names its protection plan (and so the bucket owner's account) in `resources`.
  const resources = Array.isArray(event.resources)
    ? event.resources.filter((r): r is string => typeof r === 'string')
    : [];
  const entry = {
    Source: 'aws.guardduty',
    DetailType: kind,
    Detail: JSON.stringify(detail),
    ...(resources.length > 0 ? { Resources: resources } : {}),
  } as const;
  const threshold = lowestThreshold(config);
  const severity = Number(detail.severity);
  if (kind === 'GuardDuty Finding' && Number.isFinite(severity) && severity < threshold) {
    return {
      ok: true,
      region,
      entry,
      notForwarded: `severity ${severity} is below the forwarders' threshold ${threshold} (the lowest minSeverity of any account): it is on the default bus of ${region}, and the forwarder rule leaves it there`,
    };
  }
  return { ok: true, region, entry };
}
