import { FAMILIES, findingEnvelope, generateFinding } from '../model/families.ts';
import { loadGuardDutyModel, type GuardDutyModel } from '../model/guardduty-model.ts';
import { makeCloudTrailDetail, makeCloudTrailEvent, WEAKENING_REQUESTS } from './cloudtrail.ts';
import { attackSequence } from './families.ts';
import { ADMIN_ACCOUNT_ID, accessKey, instance, makeFindingEvent } from './finding.ts';
import { makeMalwarePlanStatusEvent, makePostScanActionFailedEvent, makeRuntimeCoverageEvent } from './coverage.ts';
import { makeScanResultEvent } from './scan-result.ts';

/**
 * The sample events the repository ships in `examples/events/` (one file each), so that a clone can
 * try `preview`, `replay` and the sandbox without anything from outside it: one finding of every
 * family of the GuardDuty API model (`test/model/families.ts`, with a title and description that say
 * what they are), a Low finding the forwarders drop, a finding of the example's member account, an
 * attack sequence, a Malware Protection scan result, a tamper event (CloudTrail) and one event of each
 * GuardDuty coverage detail-type. Everything is
 * fixed (ids, times), so the files are exactly what this module returns: `npx tsx
 * scripts/sample-events.ts` writes them, and a test compares them.
 */

/** One shipped event: its file name under `examples/events/` and the event. */
export interface SampleEvent {
  readonly file: string;
  readonly event: Record<string, unknown>;
}

/** The member account of config/example.yml and examples/sandbox.yml (`member1`). */
export const SAMPLE_MEMBER_ACCOUNT = '222222222222';

/** The id of the member's finding (the one `sandbox click` presses buttons on in the README). */
export const SAMPLE_MEMBER_FINDING_ID = '0123456789abcdef0123456789abcdef';

/** What every generated finding says about itself, so nobody takes a sample for a real finding. */
const GENERATED_NOTE = 'A sample event of guardduty-hub, generated from the GuardDuty API model; not a real finding.';

/** One finding of every model family, in the model's shape, with a readable title and description. */
function familyEvents(model: GuardDutyModel): SampleEvent[] {
  return FAMILIES.map((spec, i) => {
    const detail = generateFinding(spec, { seed: 1 + i * 10, model });
    const subject = spec.names(detail)[0] ?? spec.resourceType;
    const titled = {
      ...detail,
      title: `${spec.type} on ${subject}`,
      description: `${GENERATED_NOTE} Family: ${spec.family}.`,
    };
    return { file: `finding-${spec.family}.json`, event: findingEnvelope(titled, i) };
  });
}

/** Hand-built events with exact, readable values (the factories' own shapes). */
function handBuiltEvents(): SampleEvent[] {
  const member = makeFindingEvent({
    id: '00000000-0000-4000-8000-000000000101',
    detail: {
      id: SAMPLE_MEMBER_FINDING_ID,
      accountId: SAMPLE_MEMBER_ACCOUNT,
      type: 'Backdoor:EC2/C&CActivity.B!DNS',
      title: 'Command and Control server domain name queried by EC2 instance i-0a1b2c3d4e5f60789.',
      description:
        'EC2 instance i-0a1b2c3d4e5f60789 is querying a domain name associated with a known Command & Control server.',
      severity: 8,
      ...instance({ instanceId: 'i-0a1b2c3d4e5f60789', name: 'build-runner' }),
    },
  });
  const low = makeFindingEvent({
    id: '00000000-0000-4000-8000-000000000102',
    detail: {
      id: '11111111111111111111111111111102',
      type: 'Recon:EC2/PortProbeUnprotectedPort',
      title: 'Unprotected port on EC2 instance i-0fedcba9876543210 is being probed.',
      description:
        'EC2 instance i-0fedcba9876543210 has an unprotected port which is being probed by a known malicious host.',
      severity: 2,
      ...instance({ instanceId: 'i-0fedcba9876543210' }),
    },
  });
  const sequence = makeFindingEvent({
    id: '00000000-0000-4000-8000-000000000103',
    detail: { id: '11111111111111111111111111111103', ...attackSequence() },
  });
  const keyFinding = makeFindingEvent({
    id: '00000000-0000-4000-8000-000000000104',
    detail: {
      id: '11111111111111111111111111111104',
      type: 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS',
      title: 'Credentials for instance role build-runner used from an external IP address.',
      description:
        'Credentials created exclusively for an EC2 instance through an instance launch role are being used from an external IP address.',
      severity: 8,
      ...accessKey({ accessKeyId: 'ASIAEXAMPLE0000000001', userName: 'build-runner', userType: 'AssumedRole' }),
    },
  });
  return [
    { file: 'member1-command-and-control.json', event: member as unknown as Record<string, unknown> },
    { file: 'low-port-probe.json', event: low as unknown as Record<string, unknown> },
    { file: 'attack-sequence.json', event: sequence as unknown as Record<string, unknown> },
    { file: 'access-key-exfiltration.json', event: keyFinding as unknown as Record<string, unknown> },
    { file: 'malware-scan-result.json', event: scanResult() },
    { file: 'tamper-create-filter.json', event: tamperEvent() },
    ...coverageEvents(),
  ];
}

/**
 * One event of each coverage detail-type, each about a resource of its own (so a replay of the folder,
 * one batch, does not collapse a loss and its restore into one), in an account the example config does
 * not name (fixed ids).
 */
function coverageEvents(): SampleEvent[] {
  const id = (n: number) => `c0e4a9e0-0000-4000-8000-0000000002${String(n).padStart(2, '0')}`;
  const runtime = (n: number, healthy: boolean) =>
    makeRuntimeCoverageEvent({ id: id(n), healthy, instanceId: `i-0abc1234def56789${n}` });
  const plan = (n: number, status: 'ACTIVE' | 'WARNING' | 'ERROR') =>
    makeMalwarePlanStatusEvent({ id: id(n), status, bucket: `protected-bucket-${n}` });
  return [
    { file: 'coverage-runtime-unhealthy.json', event: runtime(1, false) },
    { file: 'coverage-runtime-healthy.json', event: runtime(2, true) },
    { file: 'coverage-malware-plan-active.json', event: plan(3, 'ACTIVE') },
    { file: 'coverage-malware-plan-warning.json', event: plan(4, 'WARNING') },
    { file: 'coverage-malware-plan-error.json', event: plan(5, 'ERROR') },
    { file: 'coverage-post-scan-action-failed.json', event: makePostScanActionFailedEvent({ id: id(6) }) },
  ];
}

function scanResult(): Record<string, unknown> {
  const event = makeScanResultEvent({
    id: '5ca9e5e5-0000-4000-8000-000000000105',
    bucket: 'uploads-bucket',
    key: 'incoming/invoice.zip',
    versionId: 'v1',
  });
  const detail = event.detail as Record<string, Record<string, unknown>>;
  return {
    ...event,
    resources: [`arn:aws:guardduty:us-east-1:${String(event.account)}:malware-protection-plan/b4c7f464ab3a4example`],
    detail: { ...detail, s3ObjectDetails: { ...detail.s3ObjectDetails, eTag: 'd41d8cd98f00b204e9800998ecf8427e' } },
  };
}

function tamperEvent(): Record<string, unknown> {
  const detail = makeCloudTrailDetail('CreateFilter', {
    accountId: ADMIN_ACCOUNT_ID,
    requestParameters: WEAKENING_REQUESTS.CreateFilter,
    overrides: { requestID: '7f0c2a4e-0000-4000-8000-000000000106', eventID: '7f0c2a4e-0000-4000-8000-000000000107' },
  });
  return { ...makeCloudTrailEvent(detail), id: '7f0c2a4e-0000-4000-8000-000000000108' };
}

/** Every shipped event, in file-name order. */
export function sampleEvents(model: GuardDutyModel = loadGuardDutyModel()): SampleEvent[] {
  return [...familyEvents(model), ...handBuiltEvents()].sort((a, b) => a.file.localeCompare(b.file));
}

/** A file's text: the event as two-space JSON and a final newline. */
export function sampleEventText(sample: SampleEvent): string {
  return `${JSON.stringify(sample.event, null, 2)}\n`;
}
