import { createHash } from 'node:crypto';
import type { SQSEvent, SQSRecord } from 'aws-lambda';

/**
 * Builders for GuardDuty finding events as EventBridge delivers them (camelCase `detail`, the
 * documented finding schema) and for the SQS records that carry them. Ids come from a counter, so a
 * test run is deterministic. An override set to `undefined` removes that key, to test missing fields.
 */

/** `detail.service`: the part of a finding that changes as it recurs. */
export interface FindingService {
  serviceName: string;
  detectorId: string;
  action: Record<string, unknown>;
  resourceRole: string;
  additionalInfo: Record<string, unknown>;
  eventFirstSeen: string | number;
  eventLastSeen: string | number;
  archived: boolean;
  count: number;
  /** Extended Threat Detection: `detection.sequence` of an attack sequence (see `families.ts`). */
  detection?: Record<string, unknown>;
  /** Malware Protection: the scan and its threats. */
  malwareScanDetails?: Record<string, unknown>;
  /** Runtime Monitoring: the process and its context. */
  runtimeDetails?: Record<string, unknown>;
}

/** `detail.resource`: `resourceType` and the matching `…Details` objects. */
export type FindingResource = { resourceType: string } & Record<string, unknown>;

/** A GuardDuty finding (`detail` of the EventBridge event). Loose types where real events vary. */
export interface FindingDetail {
  schemaVersion: string;
  accountId: string;
  region: string;
  partition: string;
  id: string;
  arn: string;
  type: string;
  title: string;
  description: string;
  severity: number | string;
  createdAt: string | number;
  updatedAt: string | number;
  resource: FindingResource;
  service: FindingService;
  /** The attack sequence this finding belongs to (Extended Threat Detection), when it does. */
  associatedAttackSequenceArn?: string;
}

/** The EventBridge envelope around one finding. */
export interface FindingEvent {
  version: string;
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: FindingDetail;
}

/** Changes to a finding; `service` is merged key by key. */
export type DetailOverrides = Partial<Omit<FindingDetail, 'service'>> & { service?: Partial<FindingService> };

/** Changes to an event; `detail` is merged as in `makeFindingDetail`. */
export type EventOverrides = Partial<Omit<FindingEvent, 'detail'>> & { detail?: DetailOverrides };

/** The account most factory findings are about: not listed in the test configs, so it uses `defaults`. */
export const DEFAULT_ACCOUNT_ID = '444444444444';
/** The admin account whose default bus delivers the events (the envelope `account`). */
export const ADMIN_ACCOUNT_ID = '111111111111';
/** The time the factory findings are created. */
export const BASE_TIME = '2026-01-15T10:00:00.000Z';

let sequence = 0;

/** The next deterministic 32-hex-digit id. */
export function nextFindingId(): string {
  sequence += 1;
  return `f${sequence.toString(16).padStart(31, '0')}`;
}

function nextUuid(): string {
  sequence += 1;
  const hex = sequence.toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${hex}`;
}

/** Merges overrides left to right; keys set to `undefined` are removed. */
function merge<T extends object>(base: T, ...overrides: object[]): T {
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const override of overrides) {
    for (const [key, value] of Object.entries(override)) {
      if (value === undefined) delete out[key];
      else out[key] = value;
    }
  }
  return out as T;
}

/** A full finding detail; later overrides win. Default: Medium (5), account `DEFAULT_ACCOUNT_ID`, us-east-1. */
export function makeFindingDetail(...overrides: DetailOverrides[]): FindingDetail {
  const id = overrides.reduce<string | undefined>((found, o) => o.id ?? found, undefined) ?? nextFindingId();
  const base: Omit<FindingDetail, 'arn' | 'service'> = {
    schemaVersion: '2.0',
    accountId: DEFAULT_ACCOUNT_ID,
    region: 'us-east-1',
    partition: 'aws',
    id,
    type: 'UnauthorizedAccess:EC2/SSHBruteForce',
    title: `198.51.100.7 is performing SSH brute force attacks against i-0abc${id.slice(-6)}.`,
    description: 'An IP address is trying to guess the SSH password of an EC2 instance.',
    severity: 5,
    createdAt: BASE_TIME,
    updatedAt: BASE_TIME,
    ...instance({ instanceId: `i-0abc${id.slice(-6)}` }),
  };
  const service: FindingService = {
    serviceName: 'guardduty',
    detectorId: 'd0000000000000000000000000000001',
    action: {
      actionType: 'NETWORK_CONNECTION',
      networkConnectionAction: { connectionDirection: 'INBOUND', protocol: 'TCP', blocked: false },
    },
    resourceRole: 'TARGET',
    additionalInfo: {},
    eventFirstSeen: BASE_TIME,
    eventLastSeen: BASE_TIME,
    archived: false,
    count: 1,
  };
  const serviceOverrides = overrides.map((o) => o.service ?? {});
  const detailOverrides = overrides.map(({ service: _service, ...rest }) => rest);
  const merged = merge(base as FindingDetail, ...detailOverrides);
  const arn = `arn:${merged.partition ?? 'aws'}:guardduty:${merged.region}:${merged.accountId}:detector/${service.detectorId}/finding/${merged.id}`;
  return merge({ ...merged, arn: merged.arn ?? arn, service: merge(service, ...serviceOverrides) });
}

/** A full EventBridge envelope around `makeFindingDetail(overrides.detail)`. */
export function makeFindingEvent(overrides: EventOverrides = {}): FindingEvent {
  const { detail, ...envelope } = overrides;
  const finding = makeFindingDetail(detail ?? {});
  return merge(
    {
      version: '0',
      id: nextUuid(),
      'detail-type': 'GuardDuty Finding',
      source: 'aws.guardduty',
      account: ADMIN_ACCOUNT_ID,
      time: typeof finding.updatedAt === 'string' ? finding.updatedAt : BASE_TIME,
      region: finding.region ?? 'us-east-1',
      resources: [],
      detail: finding,
    },
    envelope,
  );
}

/** Severity score override (`atSeverity(8)` is High). */
export function atSeverity(score: number | string): DetailOverrides {
  return { severity: score };
}

/** The account a finding is about (`detail.accountId`). */
export function forAccount(accountId: string): DetailOverrides {
  return { accountId };
}

/** A finding about an EC2 instance. */
export function instance(options: { instanceId?: string; name?: string; imageId?: string; publicIp?: string } = {}): {
  resource: FindingResource;
} {
  const { instanceId = 'i-0abc1234567890def', name, imageId = 'ami-0123456789abcdef0', publicIp } = options;
  return {
    resource: {
      resourceType: 'Instance',
      instanceDetails: {
        instanceId,
        instanceType: 't3.micro',
        imageId,
        instanceState: 'running',
        availabilityZone: 'us-east-1a',
        tags: name === undefined ? [] : [{ key: 'Name', value: name }],
        networkInterfaces: [
          {
            networkInterfaceId: 'eni-0abc1234567890def',
            privateIpAddress: '10.0.0.12',
            vpcId: 'vpc-0abc123',
            subnetId: 'subnet-0abc123',
            ...(publicIp === undefined ? {} : { publicIp }),
          },
        ],
      },
    },
  };
}

/** Access key details as GuardDuty writes them. */
export interface AccessKeyOptions {
  accessKeyId?: string;
  userName?: string;
  principalId?: string;
  userType?: string;
}

function accessKeyDetails(options: AccessKeyOptions = {}): Record<string, string> {
  const {
    accessKeyId = 'AKIAEXAMPLE000000001',
    userName = 'alice',
    principalId = 'AIDAEXAMPLE00000001',
    userType = 'IAMUser',
  } = options;
  return { accessKeyId, userName, principalId, userType };
}

/** A finding about an IAM access key (IAMUser findings). */
export function accessKey(options: AccessKeyOptions = {}): { resource: FindingResource } {
  return { resource: { resourceType: 'AccessKey', accessKeyDetails: accessKeyDetails(options) } };
}

/** A finding about S3 buckets, with the access key that acted on them when `accessKey` is given. */
export function s3Bucket(options: { buckets?: string[]; accessKey?: AccessKeyOptions } = {}): {
  resource: FindingResource;
} {
  const { buckets = ['example-bucket'] } = options;
  return {
    resource: {
      resourceType: 'S3Bucket',
      s3BucketDetails: buckets.map((name) => ({ name, arn: `arn:aws:s3:::${name}`, type: 'Destination', tags: [] })),
      ...(options.accessKey === undefined ? {} : { accessKeyDetails: accessKeyDetails(options.accessKey) }),
    },
  };
}

/** A finding about an EKS cluster, with the Kubernetes workload and user. */
export function eksCluster(options: { cluster?: string; namespace?: string; pod?: string; user?: string } = {}): {
  resource: FindingResource;
} {
  const {
    cluster = 'prod-cluster',
    namespace = 'default',
    pod = 'web-7d4b9c',
    user = 'system:serviceaccount:default:web',
  } = options;
  return {
    resource: {
      resourceType: 'EKSCluster',
      eksClusterDetails: {
        name: cluster,
        arn: `arn:aws:eks:us-east-1:${DEFAULT_ACCOUNT_ID}:cluster/${cluster}`,
        status: 'ACTIVE',
      },
      kubernetesDetails: {
        kubernetesUserDetails: { username: user, uid: 'u-1', groups: ['system:authenticated'] },
        kubernetesWorkloadDetails: { name: pod, type: 'pods', namespace, uid: 'w-1', containers: [] },
      },
    },
  };
}

/** An SQS record carrying `event` (an object is sent as JSON, a string as is). */
export function makeSqsRecord(event: object | string, overrides: Partial<SQSRecord> = {}): SQSRecord {
  const body = typeof event === 'string' ? event : JSON.stringify(event);
  const messageId = overrides.messageId ?? nextUuid();
  const sentMs = String(Date.parse(BASE_TIME));
  const record: SQSRecord = {
    messageId,
    receiptHandle: `AQEB${Buffer.from(messageId).toString('base64')}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: sentMs,
      SenderId: 'AIDAEVENTBRIDGE00001',
      ApproximateFirstReceiveTimestamp: sentMs,
    },
    messageAttributes: {},
    md5OfBody: createHash('md5').update(body).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:us-west-2:${ADMIN_ACCOUNT_ID}:guardduty-hub-queue`,
    awsRegion: 'us-west-2',
  };
  return { ...record, ...overrides, attributes: { ...record.attributes, ...overrides.attributes } };
}

/** An SQS event (what the Lambda receives) holding `records`. */
export function makeSqsEvent(records: readonly SQSRecord[]): SQSEvent {
  return { Records: [...records] };
}
