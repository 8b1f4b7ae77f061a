import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../shared/index.ts';
import { problemsOf } from './problems.ts';

/** A minimal valid document with `suppress` and `guard` as given. */
function doc(extra: Record<string, unknown>): Record<string, unknown> {
  return {
    hub: { account: '111111111111', region: 'us-west-2' },
    regions: ['us-east-1', 'us-west-2'],
    defaults: { destination: 'security' },
    destinations: { security: { webhookSecret: 'guardduty-hub/slack/security' } },
    ...extra,
  };
}

describe('suppress[].at', () => {
  it('defaults to hub, and source rules that a GuardDuty filter can express are accepted', () => {
    const config = validateConfig(
      doc({
        suppress: [
          { type: 'Recon:*' },
          { type: 'Recon:EC2/Portscan', accounts: ['222222222222'], below: 'high', at: 'source' },
        ],
      }),
      'test.yml',
    );

    expect(config.suppress.map((rule) => rule.at)).toEqual(['hub', 'source']);
  });

  it('refuses source rules a filter cannot express, saying why and suggesting at: hub', () => {
    const problems = problemsOf(
      doc({
        suppress: [
          { type: 'Recon:*', at: 'source' },
          { below: 4.5, at: 'source' },
          { accounts: Array.from({ length: 51 }, (_, i) => String(100_000_000_000 + i)), at: 'source' },
          { type: 'Recon:*' },
        ],
      }),
    );

    expect(problems).toEqual([
      'suppress[0]: cannot be a GuardDuty filter: type Recon:* is a wildcard, and aws_guardduty_filter (hashicorp/aws 5.100.0) matches exact types only; use at: hub to apply it in the consumer',
      'suppress[1]: cannot be a GuardDuty filter: below 4.5 is not a whole number, and GuardDuty filters compare severity with whole numbers only; use at: hub to apply it in the consumer',
      'suppress[2]: cannot be a GuardDuty filter: it lists 51 accounts, and a GuardDuty filter condition takes at most 50; use at: hub to apply it in the consumer',
    ]);
  });

  it('refuses more source rules than GuardDuty keeps filters in a region', () => {
    const rules = Array.from({ length: 101 }, (_, i) => ({ type: `Custom:Type/N${i}`, at: 'source' }));

    expect(problemsOf(doc({ suppress: rules }))).toEqual([
      'suppress[100]: is source rule 101; GuardDuty keeps at most 100 filters per region; use at: hub for the rest',
    ]);
  });

  it('refuses a source rule that repeats another (one GuardDuty filter for both), naming the first', () => {
    const rule = { type: 'Recon:EC2/Portscan', accounts: ['333333333333'], at: 'source' };

    expect(problemsOf(doc({ suppress: [rule, { type: 'Recon:EC2/Portscan' }, { ...rule }] }))).toEqual([
      'suppress[2]: is the same rule as suppress[0] (both at: source, so one GuardDuty filter): remove one of the two',
    ]);
  });

  it('refuses an unknown place and a rule that names nothing but its place', () => {
    expect(problemsOf(doc({ suppress: [{ type: 'X', at: 'edge' }, { at: 'source' }] }))).toEqual([
      'suppress[0].at: must be source or hub',
      'suppress[1]: must name at least one of type, accounts, regions or below',
    ]);
  });
});

describe('guard', () => {
  it('defaults to tamper alerts on, no quiet principals, quiet changes shown quietly, a drift check every 5 minutes', () => {
    expect(validateConfig(doc({}), 'test.yml').guard).toEqual({
      tamperAlerts: true,
      quietPrincipals: [],
      quietChanges: 'quiet',
      driftCheck: true,
      driftCheckMinutes: 5,
      canary: { enabled: true, everyMinutes: 60, marginMinutes: 15, findingType: 'Recon:EC2/PortProbeUnprotectedPort' },
    });
  });

  it('refuses a canary more often than the drift check runs, and a finding type that is not one', () => {
    expect(
      problemsOf(doc({ guard: { driftCheckMinutes: 30, canary: { everyMinutes: 20, findingType: 'not a type' } } })),
    ).toEqual([
      'guard.canary.findingType: must be a GuardDuty finding type such as Recon:EC2/PortProbeUnprotectedPort',
    ]);
    expect(problemsOf(doc({ guard: { driftCheckMinutes: 30, canary: { everyMinutes: 20 } } }))).toEqual([
      'guard.canary.everyMinutes: must be at least guard.driftCheckMinutes (30): the drift check makes the canaries',
    ]);
    expect(problemsOf(doc({ guard: { canary: { everyMinutes: 5, marginMinutes: 1000 } } }))).toEqual([
      'guard.canary.everyMinutes: must be a whole number from 15 to 1440',
      'guard.canary.marginMinutes: must be a whole number from 5 to 240',
    ]);
  });

  it('refuses a drift check interval outside EventBridge Scheduler minutes 1–60', () => {
    expect(problemsOf(doc({ guard: { driftCheckMinutes: 0 } }))).toEqual([
      'guard.driftCheckMinutes: must be a whole number from 1 to 60',
    ]);
  });

  it('refuses a quiet principal that is not an IAM ARN and an unknown quietChanges', () => {
    expect(problemsOf(doc({ guard: { quietPrincipals: ['deploy-role'], quietChanges: 'hide' } }))).toEqual([
      'guard.quietPrincipals[0]: must be an IAM role or user ARN such as arn:aws:iam::111111111111:role/deploy',
      'guard.quietChanges: must be quiet or drop',
    ]);
  });
});
