import { describe, expect, it } from 'vitest';
import {
  WORKFLOW_URL_IN_CONFIG,
  destinationSecret,
  destinationTypeOf,
  validateConfig,
  workflowUrlRefusal,
} from '../../shared/index.ts';
import { baseDoc, problemsOf, withChange } from './problems.ts';

// A Microsoft Teams destination is `type: teams` with `workflowUrlSecret`: the type is never implied,
// the secret is required for it and refused for any other type, and every problem names its key path.

const TEAMS = { type: 'teams', workflowUrlSecret: 'guardduty-hub/teams/secops' };

describe('a Microsoft Teams destination in the config', () => {
  it('takes type: teams with workflowUrlSecret, whose secret the stacks and the CLI use', () => {
    const config = validateConfig(
      withChange((d) => {
        d.destinations.secops = TEAMS;
      }),
      'test.yml',
    );

    expect(destinationTypeOf(config, 'secops')).toBe('teams');
    expect(destinationSecret(config.destinations.secops!)).toBe('guardduty-hub/teams/secops');
  });

  it('names every problem of a teams destination with its key path', () => {
    const problems = problemsOf(
      withChange((d) => {
        d.destinations.secops = {
          type: 'teams',
          webhookSecret: 'guardduty-hub/slack/x',
          app: { botTokenSecret: 'a', channel: 'C0123ABCD' },
        };
      }),
    );

    expect(problems).toEqual([
      'destinations.secops.workflowUrlSecret: is required for type: teams: the name of the Secrets Manager secret that holds the Teams Workflows webhook URL (guardduty-hub secrets set NAME stores it)',
      'destinations.secops.webhookSecret: is not for type: teams (a Microsoft Teams destination takes workflowUrlSecret only): remove it',
      'destinations.secops.app: is not for type: teams (a Microsoft Teams destination takes workflowUrlSecret only): remove it',
    ]);
  });

  it('refuses workflowUrlSecret under any other type, and a malformed secret name', () => {
    const untyped = withChange((d) => {
      d.destinations.secops = { workflowUrlSecret: 'guardduty-hub/teams/secops' };
    });
    const slack = withChange((d) => {
      d.destinations['team-a'].workflowUrlSecret = 'guardduty-hub/teams/secops';
    });
    const badName = withChange((d) => {
      d.destinations.secops = { type: 'teams', workflowUrlSecret: 'not a name!' };
    });

    expect(problemsOf(untyped)).toEqual([
      'destinations.secops.workflowUrlSecret: is only for Microsoft Teams destinations: add type: teams (and drop webhookSecret or app), or remove it',
      'destinations.secops: needs webhookSecret (a webhook), app: { botTokenSecret, channel } (a Slack app), ' +
        'type: pagerduty with routingKeySecret or type: teams with workflowUrlSecret',
    ]);
    expect(problemsOf(slack)).toEqual([
      'destinations.team-a.workflowUrlSecret: is only for Microsoft Teams destinations: add type: teams (and drop webhookSecret or app), or remove it',
    ]);
    expect(problemsOf(badName)).toEqual([
      'destinations.secops.workflowUrlSecret: must be a Secrets Manager secret name (letters, digits and /_+=.@-)',
    ]);
  });

  it('refuses a Workflows URL pasted into the config, without repeating it', () => {
    const url = 'https://prod-27.westus.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?sig=SECRET';
    const problems = problemsOf(
      withChange((d) => {
        d.destinations.secops = { type: 'teams', workflowUrlSecret: url };
      }),
    );

    expect(problems).toEqual([`destinations.secops.workflowUrlSecret: ${WORKFLOW_URL_IN_CONFIG}`]);
    expect(problems.join('\n')).not.toContain('SECRET');
  });

  it('keeps the base document valid (the tests above change one thing each)', () => {
    expect(problemsOf(baseDoc())).toEqual([]);
  });
});

describe('which Workflows URLs a secret may hold', () => {
  it('accepts https on Microsoft’s Workflows hosts, and a listed host', () => {
    expect(
      workflowUrlRefusal('https://prod-27.westus.logic.azure.com:443/workflows/a/triggers/manual/paths/invoke?sig=s'),
    ).toBe(undefined);
    expect(
      workflowUrlRefusal(
        'https://default0a1b.09.environment.api.powerplatform.com:443/powerautomate/automations/direct/workflows/a/triggers/manual/paths/invoke?sig=s',
      ),
    ).toBe(undefined);
    expect(workflowUrlRefusal('https://hooks.example.test/x', ['hooks.example.test'])).toBe(undefined);
    expect(workflowUrlRefusal('http://127.0.0.1:9/workflows/a', ['127.0.0.1'])).toBe(undefined);
  });

  it('refuses http, other hosts, look-alikes and user names, naming the host but never the path', () => {
    const refusals = [
      'http://prod-27.westus.logic.azure.com/workflows/a?sig=SECRET',
      'https://logic.azure.com.evil.example/workflows/a?sig=SECRET',
      'https://evil-logic.azure.com.example/workflows/a?sig=SECRET',
      'https://user:pw@prod-27.westus.logic.azure.com/workflows/a?sig=SECRET',
      'https://hooks.slack.com/services/T/B/SECRET',
      'http://127.0.0.1:9/workflows/a?sig=SECRET',
    ].map((url) => workflowUrlRefusal(url));

    expect(refusals).toEqual([
      expect.stringMatching(/^the URL is http, not https/),
      'host logic.azure.com.evil.example is not a Teams Workflows host (*.logic.azure.com, *.environment.api.powerplatform.com) and not listed in delivery.allowedWebhookHosts',
      'host evil-logic.azure.com.example is not a Teams Workflows host (*.logic.azure.com, *.environment.api.powerplatform.com) and not listed in delivery.allowedWebhookHosts',
      'the URL carries a user name or password',
      'host hooks.slack.com is not a Teams Workflows host (*.logic.azure.com, *.environment.api.powerplatform.com) and not listed in delivery.allowedWebhookHosts',
      expect.stringMatching(/^the URL is http, not https/),
    ]);
    expect(refusals.join('\n')).not.toContain('SECRET');
  });
});
