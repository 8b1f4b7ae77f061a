import { describe, expect, it } from 'vitest';
import { parseRecord } from '../../../lambdas/consumer/index.ts';
import { suppressCriteria, targetOf } from '../../../lambdas/triage/index.ts';
import { accessKey, eksCluster, instance, makeFindingEvent, s3Bucket } from '../../factories/index.ts';
import { loadGuardDutyModel } from '../../model/guardduty-model.ts';

// The criteria of "Suppress like this" use GuardDuty filter fields: checked against the field list the
// GuardDuty API model (botocore's, in the moto venv) documents for CreateFilter's FindingCriteria.

function documentedFilterFields(): Set<string> {
  const members = loadGuardDutyModel().shapes.CreateFilterRequest?.members as
    | Record<string, { documentation?: string }>
    | undefined;
  const doc = members?.FindingCriteria?.documentation ?? '';
  return new Set([...doc.matchAll(/<p>([A-Za-z0-9.]+)<\/p>/g)].map((match) => match[1]!));
}

function criteriaOf(resource: object) {
  const parsed = parseRecord(JSON.stringify(makeFindingEvent({ detail: resource })));
  if (!parsed.ok) throw new Error(parsed.reason);
  return suppressCriteria(targetOf({ finding: parsed.finding }));
}

describe('the criteria of Suppress like this', () => {
  it.each([
    [
      'an instance',
      instance({ instanceId: 'i-0123456789abcdef0' }),
      'resource.instanceDetails.instanceId',
      'i-0123456789abcdef0',
    ],
    [
      'an access key',
      accessKey({ accessKeyId: 'ASIAEXAMPLE00000001' }),
      'resource.accessKeyDetails.accessKeyId',
      'ASIAEXAMPLE00000001',
    ],
    ['one bucket', s3Bucket({ buckets: ['audit-logs'] }), 'resource.s3BucketDetails.name', 'audit-logs'],
    ['an EKS cluster', eksCluster({ cluster: 'prod-eks' }), 'resource.eksClusterDetails.name', 'prod-eks'],
  ])('name %s by a field GuardDuty documents for filters', (_name, resource, field, value) => {
    const fields = documentedFilterFields();

    const criteria = criteriaOf(resource);

    expect(Object.keys(criteria)).toEqual(['type', 'accountId', field]);
    expect(criteria[field]).toEqual({ Equals: [value] });
    for (const name of Object.keys(criteria)) expect(fields).toContain(name);
  });

  it('filters on type and account only when the resource has no single identifier (two buckets)', () => {
    expect(Object.keys(criteriaOf(s3Bucket({ buckets: ['a-bucket', 'b-bucket'] })))).toEqual(['type', 'accountId']);
  });

  it('makes ARCHIVE filters, an action the model allows', () => {
    expect(loadGuardDutyModel().shapes.FilterAction?.enum).toContain('ARCHIVE');
  });
});
