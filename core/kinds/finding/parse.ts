import { findingConsoleUrl, partitionOf } from '../../../shared/regions.ts';
import { bandOf } from '../../../shared/severity.ts';
import type { AttackSequence, FindingBase, GuardDutyFinding, ParseResult } from '../../types.ts';
import { asRecord, toIsoTime, toNumber, toText } from '../normalize.ts';
import { resourceCriterion } from './criterion.ts';
import { foldIdentity } from './identity.ts';
import { readProcess, readScannedVolumes, readThreats } from './malware.ts';
import { summarizeResource } from './resource.ts';
import { checkFindingEvent } from './schema.ts';
import { readSequence } from './sequence.ts';

/** Used for `updatedAt` when the event carries no usable time at all. */
const NO_TIME = new Date(0).toISOString();

/**
 * A `GuardDuty Finding` event as a finding (the `finding` kind). Never throws: an event that is not a
 * finding event gives `{ ok: false, reason }`, a short reason fit for logs.
 */
export function parseFindingEvent(event: Readonly<Record<string, unknown>>): ParseResult {
  const checked = checkFindingEvent(event);
  if (!checked.ok) return checked;
  const { detail, region: envelopeRegion, time } = checked.event;

  const region = toText(detail.region) ?? toText(envelopeRegion);
  if (region === undefined) return { ok: false, reason: 'detail.region is missing and the event has no region' };

  const service = detail.service;
  const sequence = readSequence(service);
  const count = toNumber(service.count);
  const finding: GuardDutyFinding = {
    kind: 'finding',
    id: detail.id,
    type: detail.type,
    title: toText(detail.title) ?? detail.type,
    description: typeof detail.description === 'string' ? detail.description.trim() : '',
    severity: detail.severity,
    band: bandOf(detail.severity),
    accountId: detail.accountId,
    region,
    partition: toText(detail.partition) ?? partitionOf(region),
    count: count !== undefined && count >= 1 ? Math.floor(count) : 1,
    firstSeen: toIsoTime(service.eventFirstSeen),
    lastSeen: toIsoTime(service.eventLastSeen),
    updatedAt: toIsoTime(detail.updatedAt) ?? toIsoTime(detail.createdAt) ?? toIsoTime(time) ?? NO_TIME,
    archived: service.archived === true || service.archived === 'true',
    resource: summarizeResource(detail.resource, sequence),
    foldIdentity: foldIdentity(detail.resource),
    consoleUrl: findingConsoleUrl(region, detail.id),
    ...familyFields(detail, sequence),
  };
  return { ok: true, finding };
}

/** The optional fields only some families carry; absent keys stay absent (set one by one: no object per field). */
function familyFields(
  detail: Record<string, unknown> & { service: Record<string, unknown> },
  sequence: AttackSequence | undefined,
): Partial<FindingBase> {
  const fields: { -readonly [K in keyof FindingBase]?: FindingBase[K] } = {};
  const criterion = resourceCriterion(detail.resource);
  if (criterion !== undefined) fields.resourceCriterion = criterion;
  if (sequence !== undefined) fields.sequence = sequence;
  const attackSequenceArn = toText(detail.associatedAttackSequenceArn);
  if (attackSequenceArn !== undefined) fields.attackSequenceArn = attackSequenceArn;
  const threats = readThreats(detail.service);
  if (threats.length > 0) fields.threats = threats;
  const scanned = readScannedVolumes(asRecord(detail.resource) ?? {});
  if (scanned.length > 0) fields.scanned = scanned;
  const process = readProcess(detail.service);
  if (process !== undefined) fields.process = process;
  if (isSample(detail.service)) fields.sample = true;
  return fields;
}

/** GuardDuty marks the findings CreateSampleFindings makes with `service.additionalInfo.sample: true`. */
function isSample(service: Record<string, unknown>): boolean {
  const sample = asRecord(service.additionalInfo)?.sample;
  return sample === true || sample === 'true';
}
