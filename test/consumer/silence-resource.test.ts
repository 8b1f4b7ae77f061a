import { describe, expect, it } from 'vitest';
import { matchesSilence } from '../../core/silences/index.ts';

// The resource matcher of silences made from Slack for "this finding": the finding's resource
// criterion must be exactly the one named; a finding without one never matches it.

const finding = (instanceId: string | undefined) => ({
  type: 'Recon:EC2/PortProbeUnprotectedPort',
  accountId: '222222222222',
  region: 'us-east-1',
  severity: 5,
  ...(instanceId === undefined
    ? {}
    : { resourceCriterion: { field: 'resource.instanceDetails.instanceId', value: instanceId } }),
});
const matchers = {
  type: 'Recon:EC2/PortProbeUnprotectedPort',
  accounts: ['222222222222'],
  regions: ['us-east-1'],
  resource: { field: 'resource.instanceDetails.instanceId', value: 'i-0aaa' },
};

describe('silence matchers: resource', () => {
  it('matches the named resource only', () => {
    expect(matchesSilence(matchers, finding('i-0aaa'))).toBe(true);
    expect(matchesSilence(matchers, finding('i-0bbb'))).toBe(false);
    expect(matchesSilence(matchers, finding(undefined))).toBe(false);
  });

  it('needs the other matchers to hold too', () => {
    expect(matchesSilence(matchers, { ...finding('i-0aaa'), region: 'eu-west-1' })).toBe(false);
    expect(matchesSilence({ resource: matchers.resource }, finding('i-0aaa'))).toBe(false);
  });
});
