import { asArray, asRecord, toText } from '../normalize.ts';

/**
 * The exact, account-wide identity of the resource a finding is about, when it has one that every
 * regional detector names the same way: the one thing that may fold copies of a finding from several
 * regions into one message. Chosen from the GuardDuty API model (`Resource` and its details):
 * - `AccessKey`: `accessKeyDetails.accessKeyId` (IAM access keys, long-term or temporary, are global);
 *   without one, `accessKeyDetails.principalId` (IAM's unique id of the user or role: global too).
 * - `S3Bucket`: every `s3BucketDetails[].name` (bucket names are unique across a partition).
 * Everything else (instances, clusters, containers, functions, databases, volumes, S3 objects,
 * attack sequences, …) is regional or not exact, so it gets none: when in doubt, do not fold.
 * Returns `<kind>:<value>` (`access-key:AKIA…`, `principal:AIDA…`, `s3-bucket:a,b`) or undefined.
 */
export function foldIdentity(resourceValue: unknown): string | undefined {
  const resource = asRecord(resourceValue);
  const type = toText(resource?.resourceType);
  if (resource === undefined) return undefined;
  if (type === 'AccessKey') {
    const key = asRecord(resource.accessKeyDetails);
    const accessKeyId = toText(key?.accessKeyId);
    if (accessKeyId !== undefined) return `access-key:${accessKeyId}`;
    const principalId = toText(key?.principalId);
    return principalId === undefined ? undefined : `principal:${principalId}`;
  }
  if (type === 'S3Bucket') {
    const names = asArray(resource.s3BucketDetails)
      .map((bucket) => toText(asRecord(bucket)?.name))
      .filter((name): name is string => name !== undefined);
    return names.length === 0 ? undefined : `s3-bucket:${[...new Set(names)].sort().join(',')}`;
  }
  return undefined;
}
