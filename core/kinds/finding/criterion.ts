import { asArray, asRecord, toText } from '../normalize.ts';

/**
 * The one resource condition a "Suppress like this" filter adds to the finding's type and account,
 * as a GuardDuty filter criterion field (the names listed under `FindingCriteria` in the GuardDuty API
 * reference, `CreateFilter`) and the value this finding has there. Only resources with one stable
 * identifier get one; anything else (several buckets, attack sequences, …) filters on type and account.
 */
export interface ResourceCriterion {
  /** A GuardDuty filter field, such as `resource.instanceDetails.instanceId`. */
  readonly field: string;
  /** The finding's value of that field (raw, unescaped). */
  readonly value: string;
}

/** `resourceType` → the `…Details` object, its identifying property, and the filter field naming it. */
const CRITERIA: Readonly<Record<string, readonly [details: string, property: string, field: string]>> = {
  Instance: ['instanceDetails', 'instanceId', 'resource.instanceDetails.instanceId'],
  AccessKey: ['accessKeyDetails', 'accessKeyId', 'resource.accessKeyDetails.accessKeyId'],
  EKSCluster: ['eksClusterDetails', 'name', 'resource.eksClusterDetails.name'],
  ECSCluster: ['ecsClusterDetails', 'name', 'resource.ecsClusterDetails.name'],
  Lambda: ['lambdaDetails', 'functionName', 'resource.lambdaDetails.functionName'],
  RDSDBInstance: ['rdsDbInstanceDetails', 'dbInstanceIdentifier', 'resource.rdsDbInstanceDetails.dbInstanceIdentifier'],
};

/** The resource criterion of `detail.resource`, or undefined when it has no single identifier. */
export function resourceCriterion(resourceValue: unknown): ResourceCriterion | undefined {
  const resource = asRecord(resourceValue);
  const type = toText(resource?.resourceType);
  if (resource === undefined || type === undefined) return undefined;
  if (type === 'S3Bucket') {
    const names = [...new Set(asArray(resource.s3BucketDetails).map((bucket) => toText(asRecord(bucket)?.name)))];
    const [name] = names;
    return names.length === 1 && name !== undefined
      ? { field: 'resource.s3BucketDetails.name', value: name }
      : undefined;
  }
  const spec = Object.hasOwn(CRITERIA, type) ? CRITERIA[type] : undefined;
  if (spec === undefined) return undefined;
  const value = toText(asRecord(resource[spec[0]])?.[spec[1]]);
  return value === undefined ? undefined : { field: spec[2], value };
}
