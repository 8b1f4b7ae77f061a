import { ADMIN_ACCOUNT_ID, BASE_TIME, DEFAULT_ACCOUNT_ID } from '../factories/index.ts';
import { loadGuardDutyModel, membersOf, type GuardDutyModel } from './guardduty-model.ts';
import { instantiate } from './instantiate.ts';

/**
 * Findings of every GuardDuty family, built from the GuardDuty API model (see `guardduty-model.ts`):
 * each family names its finding type, resource type and which `Resource` and `Service` members it
 * carries; everything inside those members comes from the model's shapes (`instantiate.ts`). The
 * result is deterministic, with distinct ids and resources, as EventBridge delivers it (`detail`).
 */

type Json = Record<string, unknown>;

/** One family: what a finding of it carries, and what its message must name. */
export interface FamilySpec {
  readonly family: string;
  readonly type: string;
  readonly resourceType: string;
  /** `Resource` members (wire names) the finding carries. */
  readonly resource: readonly string[];
  /** `Service` members beyond the common ones. */
  readonly service?: readonly string[];
  readonly severity?: number;
  /** Values (raw) the message's resource line must show, read from the generated finding. */
  readonly names: (detail: Json) => readonly string[];
  /** Sets `associatedAttackSequenceArn`: an ordinary finding that belongs to a sequence. */
  readonly inSequence?: boolean;
}

/** A generated finding of one family. */
export interface GeneratedFinding {
  readonly spec: FamilySpec;
  readonly detail: Json;
}

const get = (value: unknown, ...path: (string | number)[]): string => {
  let current: unknown = value;
  for (const key of path) current = (current as Record<string | number, unknown> | undefined)?.[key];
  if (typeof current !== 'string') throw new Error(`generated finding has no text at ${path.join('.')}`);
  return current;
};

/** The families the generator covers (resource types as GuardDuty writes them in `resource.resourceType`). */
export const FAMILIES: readonly FamilySpec[] = [
  {
    family: 'ec2-instance',
    type: 'UnauthorizedAccess:EC2/SSHBruteForce',
    resourceType: 'Instance',
    resource: ['instanceDetails'],
    names: (d) => [get(d, 'resource', 'instanceDetails', 'instanceId')],
  },
  {
    family: 'iam-access-key',
    type: 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS',
    resourceType: 'AccessKey',
    resource: ['accessKeyDetails'],
    names: (d) => [get(d, 'resource', 'accessKeyDetails', 'accessKeyId')],
  },
  {
    family: 's3-bucket',
    type: 'Policy:S3/BucketBlockPublicAccessDisabled',
    resourceType: 'S3Bucket',
    resource: ['s3BucketDetails', 'accessKeyDetails'],
    names: (d) => [get(d, 'resource', 's3BucketDetails', 0, 'name')],
  },
  {
    family: 's3-object-malware',
    type: 'Object:S3/MaliciousFile',
    resourceType: 'S3Object',
    resource: ['s3BucketDetails'],
    service: ['malwareScanDetails'],
    severity: 8,
    names: (d) => [
      get(d, 'resource', 's3BucketDetails', 0, 'name'),
      get(d, 'resource', 's3BucketDetails', 0, 's3ObjectDetails', 0, 'key'),
    ],
  },
  {
    family: 'eks-cluster',
    type: 'Execution:Kubernetes/ExecInKubeSystemPod',
    resourceType: 'EKSCluster',
    resource: ['eksClusterDetails', 'kubernetesDetails'],
    names: (d) => [get(d, 'resource', 'eksClusterDetails', 'name')],
  },
  {
    family: 'container',
    type: 'Execution:Container/MaliciousFile',
    resourceType: 'Container',
    resource: ['containerDetails', 'ebsVolumeDetails'],
    service: ['ebsVolumeScanDetails'],
    names: (d) => [get(d, 'resource', 'containerDetails', 'name')],
  },
  {
    family: 'ecs-runtime',
    type: 'CryptoCurrency:Runtime/BitcoinTool.B',
    resourceType: 'ECSCluster',
    resource: ['ecsClusterDetails'],
    service: ['runtimeDetails'],
    names: (d) => [get(d, 'resource', 'ecsClusterDetails', 'name')],
  },
  {
    family: 'lambda',
    type: 'Backdoor:Lambda/C&CActivity.B',
    resourceType: 'Lambda',
    resource: ['lambdaDetails'],
    names: (d) => [get(d, 'resource', 'lambdaDetails', 'functionName')],
  },
  {
    family: 'rds-instance',
    type: 'CredentialAccess:RDS/AnomalousBehavior.SuccessfulLogin',
    resourceType: 'RDSDBInstance',
    resource: ['rdsDbInstanceDetails', 'rdsDbUserDetails'],
    names: (d) => [get(d, 'resource', 'rdsDbInstanceDetails', 'dbInstanceIdentifier')],
  },
  {
    family: 'rds-limitless',
    type: 'CredentialAccess:RDS/AnomalousBehavior.SuccessfulBruteForce',
    resourceType: 'RDSLimitlessDB',
    resource: ['rdsLimitlessDbDetails', 'rdsDbUserDetails'],
    names: (d) => [get(d, 'resource', 'rdsLimitlessDbDetails', 'dbShardGroupIdentifier')],
  },
  {
    family: 'ebs-volume-malware',
    type: 'Execution:EC2/MaliciousFile',
    resourceType: 'Instance',
    resource: ['instanceDetails', 'ebsVolumeDetails'],
    service: ['ebsVolumeScanDetails'],
    severity: 8,
    names: (d) => [get(d, 'resource', 'instanceDetails', 'instanceId')],
  },
  {
    family: 'ebs-snapshot-malware',
    type: 'Execution:EC2/MaliciousFile!Snapshot',
    resourceType: 'EBSSnapshot',
    resource: ['ebsSnapshotDetails'],
    service: ['malwareScanDetails'],
    severity: 8,
    names: (d) => [get(d, 'resource', 'ebsSnapshotDetails', 'snapshotArn')],
  },
  {
    family: 'ami-malware',
    type: 'Execution:EC2/MaliciousFile!AMI',
    resourceType: 'EC2Image',
    resource: ['ec2ImageDetails'],
    service: ['malwareScanDetails'],
    severity: 8,
    names: (d) => [get(d, 'resource', 'ec2ImageDetails', 'imageArn')],
  },
  {
    family: 'recovery-point-malware',
    type: 'Execution:EC2/MaliciousFile!RecoveryPoint',
    resourceType: 'RecoveryPoint',
    resource: ['recoveryPointDetails'],
    service: ['malwareScanDetails'],
    severity: 8,
    names: (d) => [get(d, 'resource', 'recoveryPointDetails', 'recoveryPointArn')],
  },
  {
    family: 'eks-runtime',
    type: 'Execution:Runtime/NewBinaryExecuted',
    resourceType: 'EKSCluster',
    resource: ['eksClusterDetails', 'kubernetesDetails'],
    service: ['runtimeDetails'],
    names: (d) => [get(d, 'resource', 'eksClusterDetails', 'name')],
  },
  {
    family: 'ec2-runtime',
    type: 'DefenseEvasion:Runtime/ProcessInjection.Proc',
    resourceType: 'Instance',
    resource: ['instanceDetails'],
    service: ['runtimeDetails'],
    names: (d) => [get(d, 'resource', 'instanceDetails', 'instanceId')],
  },
  {
    family: 'bedrock-guardrail',
    type: 'Impact:Bedrock/GuardrailIntervened',
    resourceType: 'BedrockGuardrail',
    resource: ['bedrockGuardrailDetails'],
    names: (d) => [get(d, 'resource', 'bedrockGuardrailDetails', 'guardrailArn')],
  },
  {
    family: 'ai-model',
    type: 'Discovery:Bedrock/AnomalousModelAccess',
    resourceType: 'Model',
    resource: ['modelDetails'],
    names: (d) => [get(d, 'resource', 'modelDetails', 0, 'modelId')],
  },
  {
    family: 'attack-sequence',
    type: 'AttackSequence:S3/CompromisedData',
    resourceType: 'AttackSequence',
    resource: [],
    service: ['detection'],
    severity: 9.5,
    names: (d) => [get(d, 'service', 'detection', 'sequence', 'resources', 0, 'name')],
  },
  {
    family: 'in-sequence',
    type: 'Discovery:S3/AnomalousBehavior',
    resourceType: 'S3Bucket',
    resource: ['s3BucketDetails', 'accessKeyDetails'],
    inSequence: true,
    names: (d) => [get(d, 'resource', 's3BucketDetails', 0, 'name')],
  },
];

/** `Service` members every generated finding carries (the rest only when its family asks). */
const COMMON_SERVICE = new Set([
  'archived',
  'count',
  'detectorId',
  'eventFirstSeen',
  'eventLastSeen',
  'resourceRole',
  'serviceName',
  'featureName',
  'additionalInfo',
]);

/** Options of {@link generateFinding}. */
export interface GenerateOptions {
  readonly seed: number;
  readonly hostile?: boolean;
  readonly model?: GuardDutyModel;
}

function pick(
  model: GuardDutyModel,
  shape: string,
  keep: (wire: string) => boolean,
  options: GenerateOptions,
  path: string[],
): Json {
  const out: Json = {};
  for (const [wire, memberShape] of membersOf(model, shape)) {
    if (!keep(wire)) continue;
    const value = instantiate(
      model,
      memberShape,
      wire,
      { seed: options.seed, hostile: options.hostile ?? false },
      path,
    );
    if (value !== undefined) out[wire] = value;
  }
  return out;
}

/** One finding (`detail`) of `spec`, generated from the model. */
export function generateFinding(spec: FamilySpec, options: GenerateOptions): Json {
  const model = options.model ?? loadGuardDutyModel();
  const wanted = new Set(spec.resource);
  for (const member of [...spec.resource, ...(spec.service ?? [])]) {
    const known = [...membersOf(model, 'Resource'), ...membersOf(model, 'Service')].some(([wire]) => wire === member);
    if (!known)
      throw new Error(`family ${spec.family}: ${member} is not a Resource or Service member in the GuardDuty model`);
  }
  const extra = new Set(spec.service ?? []);
  const finding = pick(
    model,
    'Finding',
    (wire) => !['resource', 'service', 'associatedAttackSequenceArn'].includes(wire),
    options,
    [],
  );
  const id = `${spec.family.replace(/[^a-z0-9]/g, '')}${String(options.seed).padStart(6, '0')}`
    .padEnd(32, '0')
    .slice(0, 32);
  const service = pick(model, 'Service', (wire) => COMMON_SERVICE.has(wire) || extra.has(wire), options, ['Finding']);
  const time = new Date(Date.parse(BASE_TIME) + options.seed * 60_000).toISOString();
  return {
    ...finding,
    schemaVersion: '2.0',
    accountId: DEFAULT_ACCOUNT_ID,
    region: 'us-east-1',
    partition: 'aws',
    id,
    arn: `arn:aws:guardduty:us-east-1:${DEFAULT_ACCOUNT_ID}:detector/d0000000000000000000000000000001/finding/${id}`,
    type: spec.type,
    severity: spec.severity ?? 5,
    createdAt: time,
    updatedAt: time,
    resource: {
      ...pick(model, 'Resource', (wire) => wanted.has(wire), options, ['Finding']),
      resourceType: spec.resourceType,
    },
    service: { ...service, archived: false, count: 1, eventFirstSeen: time, eventLastSeen: time },
    ...(spec.inSequence
      ? {
          associatedAttackSequenceArn: `arn:aws:guardduty:us-east-1:${DEFAULT_ACCOUNT_ID}:detector/d0000000000000000000000000000001/finding/seq${id.slice(3)}`,
        }
      : {}),
  };
}

/** One finding of every family in {@link FAMILIES}, seeds `firstSeed`, `firstSeed + 1`, …. */
export function generateFamilies(
  options: Omit<GenerateOptions, 'seed'> & { firstSeed?: number } = {},
): GeneratedFinding[] {
  const first = options.firstSeed ?? 1;
  return FAMILIES.map((spec, i) => ({ spec, detail: generateFinding(spec, { ...options, seed: first + i * 10 }) }));
}

/**
 * One finding per `Resource` member of the model, carrying that member alone under a resource type
 * named after it (`ebsSnapshotDetails` → `EbsSnapshot`): every resource the model lists, including ones
 * added after this code was written, must get a label naming it.
 */
export function generatePerResourceMember(
  options: Omit<GenerateOptions, 'seed'> = {},
): { member: string; detail: Json }[] {
  const model = options.model ?? loadGuardDutyModel();
  return membersOf(model, 'Resource')
    .filter(([wire]) => wire !== 'resourceType')
    .map(([wire], i) => {
      const resourceType = wire.replace(/Details$/, '').replace(/^./, (c) => c.toUpperCase());
      const spec: FamilySpec = {
        family: `member-${wire}`,
        type: 'Unknown:Model/Member',
        resourceType,
        resource: [wire],
        names: () => [],
      };
      return { member: wire, detail: generateFinding(spec, { ...options, seed: 500 + i }) };
    });
}

/** The EventBridge envelope GuardDuty puts around a finding. */
export function findingEnvelope(detail: Json, index = 0): Json {
  return {
    version: '0',
    id: `00000000-0000-4000-8000-${String(900000 + index).padStart(12, '0')}`,
    'detail-type': 'GuardDuty Finding',
    source: 'aws.guardduty',
    account: ADMIN_ACCOUNT_ID,
    time: detail.updatedAt,
    region: detail.region,
    resources: [],
    detail,
  };
}
