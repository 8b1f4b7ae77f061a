import type { AttackSequence, SequenceIndicator, SequenceSignal } from '../../types.ts';
import { asArray, asRecord, asRecords, toIsoTime, toNumber, toText } from '../normalize.ts';

/**
 * `service.detection.sequence` of an attack sequence finding (Extended Threat Detection), read by the
 * API model's wire names (`Sequence`, `Signal`, `Actor`, `ResourceV2`, `NetworkEndpoint`, `Indicator`).
 * Lenient like every reader: a missing part is an empty list, never an error.
 */
export function readSequence(service: Record<string, unknown>): AttackSequence | undefined {
  const sequence = asRecord(asRecord(service.detection)?.sequence);
  if (sequence === undefined) return undefined;
  const signals = asRecords(sequence.signals).map(signal);
  signals.sort((a, b) => timeOf(a.firstSeen) - timeOf(b.firstSeen) || a.name.localeCompare(b.name));
  return {
    uid: toText(sequence.uid),
    description: toText(sequence.description),
    signals,
    actors: texts(asRecords(sequence.actors).map(actor)),
    resources: texts(asRecords(sequence.resources).map(resource)),
    endpoints: texts(asRecords(sequence.endpoints).map(endpoint)),
    indicators: asRecords(sequence.sequenceIndicators)
      .map(indicator)
      .filter((found): found is SequenceIndicator => found !== undefined),
  };
}

function texts(values: readonly (string | undefined)[]): string[] {
  return values.filter((value): value is string => value !== undefined);
}

/** Milliseconds for sorting; an unknown time sorts last. */
function timeOf(iso: string | undefined): number {
  return iso === undefined ? Number.MAX_SAFE_INTEGER : Date.parse(iso);
}

function signal(raw: Record<string, unknown>): SequenceSignal {
  const count = toNumber(raw.count);
  return {
    type: toText(raw.type) ?? 'SIGNAL',
    name: toText(raw.name) ?? toText(raw.description) ?? toText(raw.uid) ?? 'unnamed signal',
    count: count !== undefined && count >= 1 ? Math.floor(count) : 1,
    firstSeen: toIsoTime(raw.firstSeenAt) ?? toIsoTime(raw.createdAt),
    lastSeen: toIsoTime(raw.lastSeenAt) ?? toIsoTime(raw.updatedAt),
  };
}

/** `main (aside)`, `main`, or undefined. */
function joined(main: string | undefined, aside: string | undefined): string | undefined {
  if (main === undefined) return aside;
  return aside === undefined ? main : `${main} (${aside})`;
}

function actor(raw: Record<string, unknown>): string | undefined {
  const user = asRecord(raw.user);
  const session = asRecord(raw.session);
  const process = asRecord(raw.process);
  const parts = texts([
    joined(toText(user?.name) ?? toText(user?.uid) ?? toText(user?.credentialUid), toText(user?.type)),
    toText(asRecord(user?.account)?.uid) === undefined ? undefined : `account ${toText(asRecord(user?.account)?.uid)}`,
    toText(session?.uid) === undefined ? undefined : `session ${toText(session?.uid)}`,
    toText(session?.mfaStatus) === undefined ? undefined : `MFA ${toText(session?.mfaStatus)}`,
    joined(toText(process?.name), toText(process?.path)),
  ]);
  return parts.length > 0 ? parts.join(' · ') : toText(raw.id);
}

function resource(raw: Record<string, unknown>): string | undefined {
  const id = toText(raw.name) ?? toText(raw.uid);
  if (id === undefined) return undefined;
  const where = texts([toText(raw.accountId), toText(raw.region)]).join(', ');
  return texts([toText(raw.resourceType), joined(id, where === '' ? undefined : where)]).join(' ');
}

function endpoint(raw: Record<string, unknown>): string | undefined {
  const port = toText(raw.port);
  const address = toText(raw.ip);
  const host = texts([
    address === undefined || port === undefined ? address : `${address}:${port}`,
    toText(raw.domain),
  ]).join(' ');
  const location = asRecord(raw.location);
  const system = asRecord(raw.autonomousSystem);
  const asn = toText(system?.number);
  const aside = texts([
    texts([toText(location?.city), toText(location?.country)]).join(', ') || undefined,
    texts([asn === undefined ? undefined : `AS${asn}`, toText(system?.name)]).join(' ') || undefined,
  ]).join('; ');
  return joined(host === '' ? toText(raw.id) : host, aside === '' ? undefined : aside);
}

function indicator(raw: Record<string, unknown>): SequenceIndicator | undefined {
  const key = toText(raw.key);
  if (key === undefined) return undefined;
  const values = texts(asArray(raw.values).map(toText));
  const title = toText(raw.title);
  return title === undefined ? { key, values } : { key, title, values };
}
