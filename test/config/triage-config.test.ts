import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../shared/index.ts';
import { problemsOf } from './problems.ts';

const APP = { app: { botTokenSecret: 'guardduty-hub/slack/alerts-bot', channel: 'C0123ABCD9' } };

/** A minimal valid document with the destinations and `triage` given. */
function doc(destinations: Record<string, unknown>, triage: unknown): Record<string, unknown> {
  return {
    hub: { account: '111111111111', region: 'us-west-2' },
    regions: ['us-west-2'],
    defaults: { destination: 'security' },
    destinations: { security: { webhookSecret: 'guardduty-hub/slack/security' }, ...destinations },
    triage,
  };
}

describe('triage', () => {
  it('is absent by default: no buttons, no endpoint', () => {
    expect(validateConfig(doc({}, undefined), 'test.yml').triage).toBeUndefined();
  });

  it('defaults every action to nobody, so only what is listed is allowed', () => {
    const config = validateConfig(
      doc(
        { alerts: APP },
        { signingSecret: 'guardduty-hub/slack/signing', allow: { archive: ['U0123ABCD9', 'S0SECOPS01'] } },
      ),
      'test.yml',
    );

    expect(config.triage?.allow).toEqual({
      acknowledge: [],
      archive: ['U0123ABCD9', 'S0SECOPS01'],
      unarchive: [],
      suppress: [],
      silence: [],
    });
  });

  it('refuses triage without an app destination, a missing secret name, unknown actions and ids that are not Slack users or groups', () => {
    expect(problemsOf(doc({}, { allow: { archive: ['#secops', 'U0123ABCD9'], delete: ['U0123ABCD9'] } }))).toEqual([
      'triage.signingSecret: is required: the name of the Secrets Manager secret that holds the Slack app signing secret',
      'triage.allow.archive[0]: must be a Slack user id (U…, W…) or user group id (S…): in Slack, open the profile or group and copy its member or group ID',
      'triage.allow.delete: is not a known key',
    ]);
    expect(problemsOf(doc({}, { signingSecret: 'guardduty-hub/slack/signing' }))).toEqual([
      'triage: needs an app destination (destinations.NAME.app): buttons are only on Slack app messages; add one or remove triage',
    ]);
  });

  it('keeps Slack-made filters 90 days by default; suppressExpiryDays takes a whole number of days from 1 to 365', () => {
    const triage = (extra: Record<string, unknown>) => ({ signingSecret: 'guardduty-hub/slack/signing', ...extra });

    expect(validateConfig(doc({ alerts: APP }, triage({})), 'test.yml').triage?.suppressExpiryDays).toBe(90);
    expect(
      validateConfig(doc({ alerts: APP }, triage({ suppressExpiryDays: 14 })), 'test.yml').triage?.suppressExpiryDays,
    ).toBe(14);
    for (const bad of [0, 366, 7.5, '30'])
      expect(problemsOf(doc({ alerts: APP }, triage({ suppressExpiryDays: bad })))).toEqual([
        'triage.suppressExpiryDays: must be a whole number from 1 to 365',
      ]);
  });
});
