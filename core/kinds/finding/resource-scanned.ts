import type { AttackSequence, ResourceSummary } from '../../types.ts';
import { asRecord, asRecords, toText } from '../normalize.ts';
import { detail, firstFew, summary, withAside, type Record_ } from './resource-parts.ts';

/**
 * Readers for the resources of malware scans and the newer finding families, chosen by the
 * `…Details` object the resource carries (wire names of the API model's `Resource`), so a resource
 * type string GuardDuty renames or adds still finds its reader.
 */

/** `Object:S3/MaliciousFile`: the first scanned object (`s3BucketDetails[].s3ObjectDetails[]`). */
function s3Object(resource: Record_, type: string): ResourceSummary | undefined {
  const objects = asRecords(resource.s3BucketDetails).flatMap((bucket) =>
    asRecords(bucket.s3ObjectDetails).map((object) => ({ bucket: toText(bucket.name), object })),
  );
  const first = objects[0];
  const key = toText(first?.object.key) ?? toText(first?.object.objectArn);
  if (first === undefined || key === undefined) return undefined;
  const where = first.bucket === undefined ? key : `s3://${first.bucket}/${key}`;
  return summary(type, `object ${where}`, [
    detail('Bucket', first.bucket),
    detail('Version', first.object.versionId),
    detail('Hash', first.object.hash),
    detail('ETag', first.object.eTag),
    objects.length > 1 ? ['Objects', `${objects.length} scanned`] : undefined,
  ]);
}

function ebsSnapshot(resource: Record_, type: string): ResourceSummary | undefined {
  const arn = toText(asRecord(resource.ebsSnapshotDetails)?.snapshotArn);
  return arn === undefined ? undefined : summary(type, `EBS snapshot ${arn}`, []);
}

function ec2Image(resource: Record_, type: string): ResourceSummary | undefined {
  const arn = toText(asRecord(resource.ec2ImageDetails)?.imageArn);
  return arn === undefined ? undefined : summary(type, `AMI ${arn}`, []);
}

function recoveryPoint(resource: Record_, type: string): ResourceSummary | undefined {
  const point = asRecord(resource.recoveryPointDetails);
  const arn = toText(point?.recoveryPointArn);
  if (arn === undefined) return undefined;
  return summary(type, `recovery point ${arn}`, [detail('Backup vault', point?.backupVaultName)]);
}

function bedrockGuardrail(resource: Record_, type: string): ResourceSummary | undefined {
  const guardrail = asRecord(resource.bedrockGuardrailDetails);
  const nested = asRecords(guardrail?.guardrails);
  const arn = toText(guardrail?.guardrailArn) ?? toText(nested[0]?.arn);
  if (arn === undefined) return undefined;
  const version = toText(guardrail?.guardrailVersion) ?? toText(nested[0]?.version);
  return summary(type, withAside(`guardrail ${arn}`, version === undefined ? undefined : `version ${version}`), [
    detail('Action', guardrail?.guardrailAction),
    detail('Source', guardrail?.guardrailSource),
  ]);
}

function models(resource: Record_, type: string): ResourceSummary | undefined {
  const ids = asRecords(resource.modelDetails)
    .map((model) => toText(model.modelId))
    .filter((id): id is string => id !== undefined);
  return ids.length === 0 ? undefined : summary(type, `${ids.length === 1 ? 'model' : 'models'} ${firstFew(ids)}`, []);
}

/** The readers tried, in order, when no reader of the resource type applies. */
const BY_DETAILS = [s3Object, ebsSnapshot, ec2Image, recoveryPoint, bedrockGuardrail, models] as const;

/** The first by-details reader that recognises the resource. */
export function scannedResource(resource: Record_, type: string): ResourceSummary | undefined {
  for (const read of BY_DETAILS) {
    const found = read(resource, type);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** An attack sequence's resource: the resources it involves (first few), else the sequence uid. */
export function attackSequenceResource(type: string, sequence: AttackSequence): ResourceSummary | undefined {
  if (sequence.resources.length > 0) {
    const noun = sequence.resources.length === 1 ? 'resource' : 'resources';
    return summary(type, `${sequence.resources.length} ${noun}: ${firstFew(sequence.resources, 2)}`, [
      detail('Sequence', sequence.uid),
    ]);
  }
  return sequence.uid === undefined ? undefined : summary(type, `sequence ${sequence.uid}`, []);
}
