import { describe, expect, it } from 'vitest';
import { claimSecondsFor, expiresAtSeconds, findingKey, issueKey } from '../../core/repeats/index.ts';
import { makeHubConfig } from '../factories/index.ts';
import { T0_MS, makeFinding, repeatSettings } from './repeats-fixtures.ts';

describe('repeat settings and keys', () => {
  it('expires records 7 days after the longer of the renotify interval and the cross-region window', () => {
    const t0Seconds = T0_MS / 1000;
    expect(expiresAtSeconds(T0_MS, repeatSettings())).toBe(t0Seconds + 24 * 3600 + 7 * 86_400);
    expect(expiresAtSeconds(T0_MS, repeatSettings({ renotifyAfterHours: 0.5, crossRegionWindowMinutes: 90 }))).toBe(
      t0Seconds + 90 * 60 + 7 * 86_400,
    );
  });

  it('leases claims between the consumer timeout and the queue visibility timeout', () => {
    const config = makeHubConfig();
    const seconds = claimSecondsFor(config);
    expect(seconds).toBe(210);
    expect(seconds).toBeGreaterThan(config.consumer.timeoutSeconds);
    expect(seconds).toBeLessThan(config.queue.visibilityTimeoutSeconds);
  });

  it('keys a finding by id and an issue by type, account and exact resource identity, without the region', () => {
    const east = makeFinding({ id: 'a'.repeat(32), region: 'us-east-1', label: 'AKIAX (alice)' });
    const west = makeFinding({ id: 'b'.repeat(32), region: 'us-west-2', label: 'AKIAX (bob)' });
    expect(findingKey(east)).toBe(`finding#${'a'.repeat(32)}`);
    expect(issueKey(east)).toBe('issue#Recon:IAMUser/MaliciousIPCaller#444444444444#access-key:AKIAX');
    expect(issueKey(west)).toBe(issueKey(east));
  });

  it('has no issue key for a resource without an exact global identity, and hashes identities too long for a key', () => {
    const regional = makeFinding({ id: 'c'.repeat(32), label: 'container app', identity: null });
    const long = makeFinding({ identity: `s3-bucket:${'x'.repeat(3000)}` });
    expect(issueKey(regional)).toBeUndefined();
    expect(issueKey(long)).toMatch(/#sha256:[0-9a-f]{64}$/);
  });
});
