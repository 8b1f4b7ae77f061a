import type { AttackSequence, ResourceSummary } from '../../types.ts';
import { asArray, asRecord, toText } from '../normalize.ts';
import { genericResource } from './resource-generic.ts';
import { detail, firstFew, summary, withAside, type Detail, type Record_, type Summarize } from './resource-parts.ts';
import { attackSequenceResource, scannedResource } from './resource-scanned.ts';

/**
 * `detail.resource` reduced to one label and a few details, one small reader per resource type.
 * Resources vary a lot between finding families and schema versions, so every reader is lenient:
 * a missing or odd field is left out, never an error.
 */

const READERS: Readonly<Record<string, Summarize>> = {
  Instance: instance,
  AccessKey: accessKey,
  S3Bucket: s3Bucket,
  EKSCluster: eksCluster,
  Container: container,
  ECSCluster: ecsCluster,
  Lambda: lambda,
  RDSDBInstance: rdsInstance,
  RDSLimitlessDB: rdsLimitless,
};

/**
 * The summary of `detail.resource`; `{ type: 'Unknown' }` when there is none. A reader by type first,
 * then by the `…Details` object present, then (attack sequences) the sequence's own resources, then
 * a network interface, then the generic fallback.
 */
export function summarizeResource(value: unknown, sequence?: AttackSequence): ResourceSummary {
  const resource = asRecord(value) ?? {};
  const type = toText(resource.resourceType) ?? 'Unknown';
  const read = Object.hasOwn(READERS, type) ? READERS[type] : undefined;
  return (
    read?.(resource, type) ??
    scannedResource(resource, type) ??
    (sequence === undefined ? undefined : attackSequenceResource(type, sequence)) ??
    networkInterface(resource, type) ??
    genericResource(resource, type)
  );
}

function instance(resource: Record_, type: string): ResourceSummary | undefined {
  const details = asRecord(resource.instanceDetails);
  const id = toText(details?.instanceId);
  if (!details || id === undefined) return undefined;
  return summary(type, withAside(id, nameTag(details.tags)), [
    detail('Image', details.imageId),
    detail('Instance type', details.instanceType),
    detail('Public IP', firstPublicIp(details.networkInterfaces)),
  ]);
}

/**
 * The value of the first `Name` tag. Plain loops: these arrays come in every elements kind, and
 * chained `map`/`find` over them kept this reader's optimized code deoptimizing (`--trace-deopt`).
 */
function nameTag(tags: unknown): string | undefined {
  for (const tag of asArray(tags)) {
    const record = asRecord(tag);
    if (toText(record?.key) === 'Name') return toText(record?.value);
  }
  return undefined;
}

/** The first network interface's public IP. */
function firstPublicIp(interfaces: unknown): string | undefined {
  for (const eni of asArray(interfaces)) {
    const ip = toText(asRecord(eni)?.publicIp);
    if (ip !== undefined) return ip;
  }
  return undefined;
}

function accessKeyDetails(resource: Record_): { label: string; details: (Detail | undefined)[] } | undefined {
  const key = asRecord(resource.accessKeyDetails);
  const id = toText(key?.accessKeyId);
  const user = toText(key?.userName);
  if (!key || (id === undefined && user === undefined)) return undefined;
  return {
    label: id === undefined ? `user ${user}` : withAside(id, user),
    details: [detail('Principal', key.principalId), detail('User type', key.userType)],
  };
}

function bucketNames(resource: Record_): string[] {
  return asArray(resource.s3BucketDetails)
    .map((bucket) => toText(asRecord(bucket)?.name) ?? toText(asRecord(bucket)?.arn))
    .filter((name): name is string => name !== undefined);
}

/** `bucket a`, `buckets a, b`, `buckets a, b, c (+2 more)`. */
function bucketsLabel(names: readonly string[]): string {
  return `${names.length === 1 ? 'bucket' : 'buckets'} ${firstFew(names)}`;
}

function accessKey(resource: Record_, type: string): ResourceSummary | undefined {
  const key = accessKeyDetails(resource);
  if (!key) return undefined;
  const buckets = bucketNames(resource);
  return summary(type, key.label, [...key.details, buckets.length > 0 ? ['Bucket', bucketsLabel(buckets)] : undefined]);
}

function s3Bucket(resource: Record_, type: string): ResourceSummary | undefined {
  const buckets = bucketNames(resource);
  if (buckets.length === 0) return undefined;
  const key = accessKeyDetails(resource);
  return summary(type, bucketsLabel(buckets), key ? [['Access key', key.label], ...key.details] : []);
}

function eksCluster(resource: Record_, type: string): ResourceSummary | undefined {
  const cluster = asRecord(resource.eksClusterDetails);
  const name = toText(cluster?.name) ?? toText(cluster?.arn);
  if (name === undefined) return undefined;
  const kubernetes = asRecord(resource.kubernetesDetails);
  const workload = asRecord(kubernetes?.kubernetesWorkloadDetails);
  const user = asRecord(kubernetes?.kubernetesUserDetails);
  const workloadName = toText(workload?.name);
  const workloadType = toText(workload?.type);
  return summary(type, `cluster ${name}`, [
    detail('Namespace', workload?.namespace),
    detail(workloadType === undefined ? 'Pod' : workloadType, workloadName),
    detail('Kubernetes user', user?.username),
  ]);
}

function container(resource: Record_, type: string): ResourceSummary | undefined {
  const details = asRecord(resource.containerDetails);
  const name = toText(details?.name) ?? toText(details?.id);
  if (name === undefined) return undefined;
  const cluster = asRecord(resource.ecsClusterDetails) ?? asRecord(resource.eksClusterDetails);
  return summary(type, `container ${name}`, [detail('Image', details?.image), detail('Cluster', cluster?.name)]);
}

function ecsCluster(resource: Record_, type: string): ResourceSummary | undefined {
  const cluster = asRecord(resource.ecsClusterDetails);
  const name = toText(cluster?.name) ?? toText(cluster?.arn);
  if (name === undefined) return undefined;
  const task = asRecord(cluster?.taskDetails);
  const firstContainer = asRecord(asArray(task?.containers)[0]);
  return summary(type, `ECS cluster ${name}`, [
    detail('Task definition', task?.definitionArn),
    detail('Container', firstContainer?.name),
    detail('Image', firstContainer?.image),
  ]);
}

function lambda(resource: Record_, type: string): ResourceSummary | undefined {
  const fn = asRecord(resource.lambdaDetails);
  const name = toText(fn?.functionName) ?? toText(fn?.functionArn);
  if (name === undefined) return undefined;
  return summary(type, `function ${name}`, [detail('Version', fn?.functionVersion), detail('Role', fn?.role)]);
}

function rdsUser(resource: Record_): (Detail | undefined)[] {
  const user = asRecord(resource.rdsDbUserDetails);
  return [detail('DB user', user?.user), detail('Database', user?.database), detail('Application', user?.application)];
}

function rdsInstance(resource: Record_, type: string): ResourceSummary | undefined {
  const db = asRecord(resource.rdsDbInstanceDetails);
  const id = toText(db?.dbInstanceIdentifier) ?? toText(db?.dbInstanceArn);
  if (id === undefined) return undefined;
  return summary(type, `DB instance ${id}`, [
    detail('Engine', db?.engine),
    detail('Cluster', db?.dbClusterIdentifier),
    ...rdsUser(resource),
  ]);
}

function rdsLimitless(resource: Record_, type: string): ResourceSummary | undefined {
  const db = asRecord(resource.rdsLimitlessDbDetails);
  const id = toText(db?.dbShardGroupIdentifier) ?? toText(db?.dbShardGroupArn);
  if (id === undefined) return undefined;
  return summary(type, `DB shard group ${id}`, [
    detail('Engine', db?.engine),
    detail('Cluster', db?.dbClusterIdentifier),
    ...rdsUser(resource),
  ]);
}

/** Any resource whose instance details name only a network interface (no instance id). */
function networkInterface(resource: Record_, type: string): ResourceSummary | undefined {
  const eni = asArray(asRecord(resource.instanceDetails)?.networkInterfaces)
    .map(asRecord)
    .find((candidate) => toText(candidate?.networkInterfaceId) !== undefined);
  if (!eni) return undefined;
  return summary(type, `network interface ${toText(eni.networkInterfaceId)}`, [
    detail('Private IP', eni.privateIpAddress),
    detail('Public IP', eni.publicIp),
    detail('VPC', eni.vpcId),
  ]);
}
