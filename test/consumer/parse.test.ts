import { describe, expect, it } from 'vitest';
import { parseRecord } from '../../core/kinds/index.ts';
import type { Finding } from '../../core/types.ts';
import {
  ADMIN_ACCOUNT_ID,
  accessKey,
  atSeverity,
  eksCluster,
  forAccount,
  instance,
  makeFindingEvent,
  s3Bucket,
  type EventOverrides,
} from '../factories/index.ts';

/** Parses an event that must parse, and returns the finding. */
function parsed(overrides: EventOverrides): Finding {
  const result = parseRecord(JSON.stringify(makeFindingEvent(overrides)));
  if (!result.ok) throw new Error(`expected the event to parse, got: ${result.reason}`);
  return result.finding;
}

function reasonFor(body: string): string {
  const result = parseRecord(body);
  if (result.ok) throw new Error('expected the body to be rejected');
  return result.reason;
}

describe('parseRecord rejects what is not a GuardDuty finding event', () => {
  it.each([
    ['bad JSON', '{"source": "aws.guardduty",', /^body is not JSON/],
    ['a JSON array', '[1, 2]', /^body is not a JSON object \(got an array\)$/],
    ['a JSON string', '"hello"', /^body is not a JSON object \(got a string\)$/],
    ['JSON null', 'null', /^body is not a JSON object \(got null\)$/],
    [
      'another source',
      JSON.stringify(makeFindingEvent({ source: 'aws.securityhub' })),
      /^source must be aws\.guardduty \(got "aws\.securityhub"\)$/,
    ],
    ['no source', JSON.stringify(makeFindingEvent({ source: undefined })), /^source is missing$/],
    [
      'another detail-type',
      JSON.stringify(makeFindingEvent({ 'detail-type': 'Security Hub Findings - Imported' })),
      /^detail-type must be "GuardDuty Finding"/,
    ],
    ['no detail', JSON.stringify({ ...makeFindingEvent(), detail: undefined }), /^detail is missing$/],
    [
      'a detail that is not an object',
      JSON.stringify({ ...makeFindingEvent(), detail: 'x' }),
      /^detail must be an object/,
    ],
    ['no detail.id', JSON.stringify(makeFindingEvent({ detail: { id: undefined } })), /^detail\.id is missing$/],
    ['an empty detail.id', JSON.stringify(makeFindingEvent({ detail: { id: '  ' } })), /^detail\.id must not be empty/],
    ['no detail.type', JSON.stringify(makeFindingEvent({ detail: { type: undefined } })), /^detail\.type is missing$/],
    [
      'no detail.severity',
      JSON.stringify(makeFindingEvent({ detail: { severity: undefined } })),
      /^detail\.severity is missing$/,
    ],
    [
      'a non-numeric severity',
      JSON.stringify(makeFindingEvent({ detail: atSeverity('high') })),
      /^detail\.severity must be a number \(got "high"\)$/,
    ],
    [
      'no detail.accountId',
      JSON.stringify(makeFindingEvent({ detail: { accountId: undefined } })),
      /^detail\.accountId is missing$/,
    ],
    [
      'no region anywhere',
      JSON.stringify(makeFindingEvent({ region: undefined, detail: { region: undefined } })),
      /^detail\.region is missing/,
    ],
  ])('rejects %s with a short reason, without throwing', (_case, body, reason) => {
    // Act
    const result = parseRecord(body);

    // Assert
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toMatch(reason);
  });

  it('keeps reasons short even when the offending value is long', () => {
    const reason = reasonFor(JSON.stringify(makeFindingEvent({ source: 'x'.repeat(5000) })));

    expect(reason.length).toBeLessThan(120);
  });
});

describe('parseRecord reads the fields the consumer uses', () => {
  it('routes on detail.accountId, never on the envelope account', () => {
    const finding = parsed({ account: ADMIN_ACCOUNT_ID, detail: forAccount('222222222222') });

    expect(finding.accountId).toBe('222222222222');
  });

  it.each([
    [8, 8, 'high'],
    ['8', 8, 'high'],
    [' 5.5 ', 5.5, 'medium'],
    [9.2, 9.2, 'critical'],
    [2, 2, 'low'],
  ] as const)('accepts severity %j as the score %d (%s)', (severity, score, band) => {
    const finding = parsed({ detail: atSeverity(severity) });

    expect(finding.severity).toBe(score);
    expect(finding.band).toBe(band);
  });

  it('normalizes epoch-second times (exponent floats) to ISO 8601', () => {
    const body = makeFindingEvent({ detail: { createdAt: 0, updatedAt: 0 } });
    const text = JSON.stringify(body)
      .replace('"createdAt":0', '"createdAt":1.646144449E9')
      .replace('"updatedAt":0,', '');

    const result = parseRecord(text);

    expect(result.ok && result.finding.updatedAt).toBe('2022-03-01T14:20:49.000Z');
  });

  it.each([
    ['2022-03-01T14:27:24.071Z', '2022-03-01T14:27:24.071Z'],
    ['2017-12-08T15:32:49Z', '2017-12-08T15:32:49.000Z'],
    [1646144449, '2022-03-01T14:20:49.000Z'],
    [1646144449123, '2022-03-01T14:20:49.123Z'],
    ['1646144449', '2022-03-01T14:20:49.000Z'],
  ])('normalizes updatedAt %j to %s', (updatedAt, iso) => {
    expect(parsed({ detail: { updatedAt } }).updatedAt).toBe(iso);
  });

  it('falls back from updatedAt to createdAt, then to the envelope time', () => {
    expect(parsed({ detail: { updatedAt: undefined, createdAt: '2024-05-01T00:00:00Z' } }).updatedAt).toBe(
      '2024-05-01T00:00:00.000Z',
    );
    expect(
      parsed({ time: '2024-06-01T00:00:00Z', detail: { updatedAt: 'soon', createdAt: undefined } }).updatedAt,
    ).toBe('2024-06-01T00:00:00.000Z');
  });

  it('reads first and last seen from service, undefined when absent or not a time', () => {
    const seen = parsed({ detail: { service: { eventFirstSeen: '2024-01-01T00:00:00Z', eventLastSeen: 1704067260 } } });
    const unseen = parsed({ detail: { service: { eventFirstSeen: undefined, eventLastSeen: 'yesterday' } } });

    expect([seen.firstSeen, seen.lastSeen]).toEqual(['2024-01-01T00:00:00.000Z', '2024-01-01T00:01:00.000Z']);
    expect([unseen.firstSeen, unseen.lastSeen]).toEqual([undefined, undefined]);
  });

  it.each([
    [undefined, 1],
    [7, 7],
    ['12', 12],
    [0, 1],
    ['many', 1],
  ])('reads service.count %j as %d', (count, expected) => {
    expect(parsed({ detail: { service: { count: count as number } } }).count).toBe(expected);
  });

  it('treats a missing service as count 1, not archived', () => {
    const finding = parsed({ detail: { service: undefined } });

    expect([finding.count, finding.archived]).toEqual([1, false]);
  });

  it('reads service.archived', () => {
    expect(parsed({ detail: { service: { archived: true } } }).archived).toBe(true);
  });

  it('takes the region from the envelope when detail.region is missing', () => {
    const finding = parsed({ region: 'eu-north-1', detail: { region: undefined } });

    expect(finding.region).toBe('eu-north-1');
    expect(finding.consoleUrl).toContain('region=eu-north-1');
  });

  it('defaults the partition from the region, aws for commercial regions', () => {
    expect(parsed({ detail: { partition: undefined } }).partition).toBe('aws');
    expect(parsed({ detail: { partition: undefined, region: 'cn-north-1' } }).partition).toBe('aws-cn');
  });

  it('links to the finding in the console of its partition, with the id URL-encoded', () => {
    const commercial = parsed({ detail: { id: 'abc123', region: 'us-west-1' } });
    const govcloud = parsed({ detail: { id: 'a/b&c', region: 'us-gov-west-1', partition: 'aws-us-gov' } });

    expect(commercial.consoleUrl).toBe(
      'https://console.aws.amazon.com/guardduty/home?region=us-west-1#/findings?macros=current&fId=abc123',
    );
    expect(govcloud.consoleUrl).toMatch(/^https:\/\/console\.amazonaws-us-gov\.com\/.*fId=a%2Fb%26c$/);
  });

  it('uses the type as the title when the title is missing, and an empty description', () => {
    const finding = parsed({ detail: { title: undefined, description: undefined, type: 'Recon:EC2/Portscan' } });

    expect([finding.title, finding.description]).toEqual(['Recon:EC2/Portscan', '']);
  });

  it('keeps text fields raw: escaping is the renderer’s job', () => {
    const finding = parsed({ detail: { title: '<!channel> & <https://x|y>' } });

    expect(finding.title).toBe('<!channel> & <https://x|y>');
  });
});

describe('parseRecord summarizes the resource by type', () => {
  it('names an instance by id and Name tag, with image and public IP', () => {
    const { resource } = parsed({
      detail: instance({ instanceId: 'i-0abc', name: 'web-1', imageId: 'ami-1', publicIp: '203.0.113.9' }),
    });

    expect(resource).toEqual({
      type: 'Instance',
      label: 'i-0abc (web-1)',
      details: [
        ['Image', 'ami-1'],
        ['Instance type', 't3.micro'],
        ['Public IP', '203.0.113.9'],
      ],
    });
  });

  it('names an instance without a public IP or name tag by id alone', () => {
    const { resource } = parsed({ detail: instance({ instanceId: 'i-0abc' }) });

    expect(resource.label).toBe('i-0abc');
    expect(resource.details.map(([name]) => name)).not.toContain('Public IP');
  });

  it('falls back to the network interface when an instance has no id', () => {
    const detail = instance();
    delete (detail.resource.instanceDetails as Record<string, unknown>).instanceId;

    const { resource } = parsed({ detail });

    expect(resource.label).toBe('network interface eni-0abc1234567890def');
    expect(resource.details).toContainEqual(['Private IP', '10.0.0.12']);
  });

  it('names an access key by id and user, with principal and user type', () => {
    const { resource } = parsed({
      detail: accessKey({ accessKeyId: 'AKIA1', userName: 'alice', principalId: 'AIDA1', userType: 'IAMUser' }),
    });

    expect(resource).toEqual({
      type: 'AccessKey',
      label: 'AKIA1 (alice)',
      details: [
        ['Principal', 'AIDA1'],
        ['User type', 'IAMUser'],
      ],
    });
  });

  it('names S3 buckets, with the access key that acted on them', () => {
    const { resource } = parsed({
      detail: s3Bucket({ buckets: ['a', 'b'], accessKey: { accessKeyId: 'AKIA2', userName: 'bob' } }),
    });

    expect(resource.label).toBe('buckets a, b');
    expect(resource.details).toContainEqual(['Access key', 'AKIA2 (bob)']);
  });

  it('shortens a long bucket list', () => {
    const { resource } = parsed({ detail: s3Bucket({ buckets: ['a', 'b', 'c', 'd', 'e'] }) });

    expect(resource.label).toBe('buckets a, b, c (+2 more)');
  });

  it('names an EKS cluster with namespace, pod and Kubernetes user', () => {
    const { resource } = parsed({
      detail: eksCluster({ cluster: 'prod', namespace: 'payments', pod: 'api-1', user: 'dev' }),
    });

    expect(resource).toEqual({
      type: 'EKSCluster',
      label: 'cluster prod',
      details: [
        ['Namespace', 'payments'],
        ['pods', 'api-1'],
        ['Kubernetes user', 'dev'],
      ],
    });
  });

  it.each([
    [
      'Container',
      { containerDetails: { name: 'nginx', image: 'nginx:1.27' } },
      'container nginx',
      ['Image', 'nginx:1.27'],
    ],
    [
      'ECSCluster',
      {
        ecsClusterDetails: {
          name: 'jobs',
          taskDetails: { definitionArn: 'arn:td/1', containers: [{ name: 'w', image: 'img' }] },
        },
      },
      'ECS cluster jobs',
      ['Task definition', 'arn:td/1'],
    ],
    [
      'Lambda',
      { lambdaDetails: { functionName: 'fn', functionVersion: '$LATEST' } },
      'function fn',
      ['Version', '$LATEST'],
    ],
    [
      'RDSDBInstance',
      {
        rdsDbInstanceDetails: { dbInstanceIdentifier: 'db-1', engine: 'aurora-postgresql' },
        rdsDbUserDetails: { user: 'app' },
      },
      'DB instance db-1',
      ['DB user', 'app'],
    ],
  ])('summarizes a %s resource', (resourceType, details, label, detail) => {
    const { resource } = parsed({ detail: { resource: { resourceType, ...details } } });

    expect(resource.type).toBe(resourceType);
    expect(resource.label).toBe(label);
    expect(resource.details).toContainEqual(detail);
  });

  it('gives an unknown type its best id-ish value', () => {
    const { resource } = parsed({
      detail: { resource: { resourceType: 'FutureThing', futureThingDetails: { thingArn: 'arn:x', thingId: 'ft-1' } } },
    });

    expect(resource).toEqual({ type: 'FutureThing', label: 'FutureThing ft-1', details: [] });
  });

  it('survives a missing or malformed resource', () => {
    expect(parsed({ detail: { resource: undefined } }).resource).toEqual({
      type: 'Unknown',
      label: 'Unknown',
      details: [],
    });
    expect(parsed({ detail: { resource: { resourceType: 'Instance', instanceDetails: 'x' } } }).resource.label).toBe(
      'Instance',
    );
  });
});
