import { BASE_TIME, DEFAULT_ACCOUNT_ID, type DetailOverrides } from './finding.ts';

/**
 * Hand-built parts of the newer finding families, for tests that need exact values (the model-driven
 * generator in test/model/ covers every family with generated ones).
 */

/** One `sequence.signals[]` entry. */
export function sequenceSignal(
  index: number,
  options: { name?: string; type?: string; count?: number } = {},
): Record<string, unknown> {
  const first = Date.parse(BASE_TIME) + index * 60_000;
  return {
    uid: `signal-${index}`,
    type: options.type ?? 'FINDING',
    name: options.name ?? `Discovery:S3/AnomalousBehavior.${index}`,
    description: `signal ${index}`,
    firstSeenAt: new Date(first).toISOString(),
    lastSeenAt: new Date(first + 30 * 60_000).toISOString(),
    count: options.count ?? index + 1,
    severity: 5,
  };
}

/** One `sequence.actors[]` entry: an IAM user with a session. */
export function sequenceActor(index: number): Record<string, unknown> {
  return {
    id: `actor-${index}`,
    user: {
      name: `user-${index}`,
      uid: `AIDA${index}`,
      type: 'IAMUser',
      credentialUid: `AKIA${index}`,
      account: { uid: DEFAULT_ACCOUNT_ID },
    },
    session: { uid: `session-${index}`, mfaStatus: 'DISABLED' },
  };
}

/** The parts of `service.detection.sequence`; any left out get one small default each. */
export interface SequenceParts {
  readonly signals?: readonly Record<string, unknown>[];
  readonly actors?: readonly Record<string, unknown>[];
  readonly resources?: readonly Record<string, unknown>[];
  readonly endpoints?: readonly Record<string, unknown>[];
  readonly indicators?: readonly Record<string, unknown>[];
  readonly description?: string;
}

/** An attack sequence finding (`AttackSequence:S3/CompromisedData`, Critical 9.5). `detection: false` leaves it out. */
export function attackSequence(parts: SequenceParts | false = {}): DetailOverrides {
  const sequence =
    parts === false
      ? undefined
      : {
          uid: 'sequence-uid-1',
          description: parts.description ?? 'A sequence of actions consistent with data exfiltration from S3.',
          signals: parts.signals ?? [
            sequenceSignal(1, { type: 'CLOUD_TRAIL', name: 'ListBuckets' }),
            sequenceSignal(2),
            sequenceSignal(3, { type: 'S3_DATA_EVENTS', name: 'GetObject' }),
          ],
          actors: parts.actors ?? [sequenceActor(1)],
          resources: parts.resources ?? [
            {
              uid: 'arn:aws:s3:::customer-data',
              name: 'customer-data',
              accountId: DEFAULT_ACCOUNT_ID,
              resourceType: 'S3_BUCKET',
              region: 'us-east-1',
            },
          ],
          endpoints: parts.endpoints ?? [
            {
              id: 'endpoint-1',
              ip: '198.51.100.7',
              domain: 'exfil.example',
              port: 443,
              location: { city: 'Berlin', country: 'DE' },
              autonomousSystem: { name: 'Example Net', number: 64500 },
            },
          ],
          sequenceIndicators: parts.indicators ?? [
            { key: 'ATTACK_TACTIC', values: ['Discovery', 'Exfiltration'], title: 'MITRE ATT&CK tactics' },
            { key: 'ATTACK_TECHNIQUE', values: ['T1619', 'T1530'], title: 'MITRE ATT&CK techniques' },
            { key: 'HIGH_RISK_API', values: ['s3:GetObject'], title: 'High-risk APIs' },
            { key: 'TOR_IP', values: ['198.51.100.7'] },
          ],
        };
  return {
    type: 'AttackSequence:S3/CompromisedData',
    title: 'Potential data exfiltration from S3',
    description: 'GuardDuty correlated signals into an attack sequence against S3 data.',
    severity: 9.5,
    resource: { resourceType: 'AttackSequence' },
    service: sequence === undefined ? {} : { detection: { sequence } },
  };
}
