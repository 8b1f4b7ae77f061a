import { describe, expect, it } from 'vitest';
import { destinationSecret, destinationTypeOf, validateConfig } from '../../shared/index.ts';
import { problemsOf, withChange } from './problems.ts';

// A PagerDuty destination is `type: pagerduty` with `routingKeySecret`: the field is required for that
// type and refused for every other, and every problem is named with its key path.

const ONCALL = { type: 'pagerduty', routingKeySecret: 'guardduty-hub/pagerduty/oncall' };

describe('PagerDuty destinations in the config', () => {
  it('takes type: pagerduty with the name of the secret holding the routing key', () => {
    const doc = withChange((d) => {
      d.destinations.oncall = ONCALL;
      d.accounts['222222222222'].destination = 'oncall';
    });

    const config = validateConfig(doc, 'test.yml');

    expect(destinationTypeOf(config, 'oncall')).toBe('pagerduty');
    expect(destinationSecret(config.destinations.oncall!)).toBe('guardduty-hub/pagerduty/oncall');
  });

  it('needs routingKeySecret for type: pagerduty, and refuses Slack fields beside it', () => {
    const missing = withChange((d) => (d.destinations.oncall = { type: 'pagerduty' }));
    const mixed = withChange(
      (d) =>
        (d.destinations.oncall = {
          ...ONCALL,
          webhookSecret: 'guardduty-hub/slack/oncall',
          app: { botTokenSecret: 'guardduty-hub/slack/app', channel: 'C0123ABCD' },
        }),
    );

    expect(problemsOf(missing)).toEqual([
      'destinations.oncall.routingKeySecret: is required for type: pagerduty: the name of the Secrets Manager secret that holds the routing key (guardduty-hub secrets set NAME stores it)',
    ]);
    expect(problemsOf(mixed)).toEqual([
      'destinations.oncall.webhookSecret: is not for type: pagerduty (a PagerDuty destination takes routingKeySecret only): remove it',
      'destinations.oncall.app: is not for type: pagerduty (a PagerDuty destination takes routingKeySecret only): remove it',
    ]);
  });

  it('refuses routingKeySecret on any other destination, with the rest of its problems', () => {
    const onWebhook = withChange((d) => (d.destinations['team-a'].routingKeySecret = 'guardduty-hub/pagerduty/team-a'));
    const alone = withChange((d) => (d.destinations.oncall = { routingKeySecret: 'guardduty-hub/pagerduty/oncall' }));

    expect(problemsOf(onWebhook)).toEqual([
      'destinations.team-a.routingKeySecret: is only for PagerDuty destinations: add type: pagerduty (and drop webhookSecret or app), or remove it',
    ]);
    expect(problemsOf(alone)).toEqual([
      'destinations.oncall.routingKeySecret: is only for PagerDuty destinations: add type: pagerduty (and drop webhookSecret or app), or remove it',
      'destinations.oncall: needs webhookSecret (a webhook), app: { botTokenSecret, channel } (a Slack app), ' +
        'type: pagerduty with routingKeySecret or type: teams with workflowUrlSecret',
    ]);
  });

  it('refuses a routing key pasted where the name of its secret belongs, and a secret name that is no name', () => {
    const pasted = withChange(
      (d) => (d.destinations.oncall = { type: 'pagerduty', routingKeySecret: 'e93facc04764012d7bfb002500d5d1a6' }),
    );
    const badName = withChange((d) => (d.destinations.oncall = { type: 'pagerduty', routingKeySecret: 'on call!' }));

    expect(problemsOf(pasted)).toEqual([
      'destinations.oncall.routingKeySecret: looks like a PagerDuty routing key; routing keys are secrets: put it in Secrets Manager (guardduty-hub secrets set NAME) and name the secret here',
    ]);
    expect(problemsOf(badName)).toEqual([
      'destinations.oncall.routingKeySecret: must be a Secrets Manager secret name (letters, digits and /_+=.@-)',
    ]);
  });

  it('may be the default destination and an account’s, named like any other', () => {
    const doc = withChange((d) => {
      d.destinations.oncall = ONCALL;
      d.defaults.destination = 'oncall';
      d.accounts['222222222222'].destination = 'pager';
    });

    expect(problemsOf(doc)).toEqual([
      'accounts.222222222222.destination: names destination "pager", which is not under destinations (known: security, team-a, oncall)',
    ]);
  });
});
