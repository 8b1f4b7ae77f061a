import { describe, expect, it } from 'vitest';
import { makeConfig } from '../factories/config.ts';
import { synthApp } from '../support/synth.ts';

// A Teams destination's Workflows URL secret is created empty by the hub stack, described as what it
// holds, and readable by the consumer, like every destination's secret; no URL is ever synthesized.

const HUB = 'hub';
const SECRET = 'guardduty-hub/teams/secops';

describe('a Teams destination in the hub stack', () => {
  const config = makeConfig({
    destinations: { secops: { type: 'teams', workflowUrlSecret: SECRET } },
    accounts: { '444444444444': { name: 'member3', email: 'aws+member3@example.com', destination: 'secops' } },
  });
  const app = synthApp(config);

  it('gets an empty secret described as a Teams Workflows webhook URL', () => {
    const secrets = app.resources(HUB, 'aws_secretsmanager_secret');
    const teams = secrets.find(([, body]) => body.name === SECRET);

    expect(teams?.[1].description).toBe(
      'Microsoft Teams Workflows webhook URL for guardduty-hub destination secops; the value is set by the operator',
    );
    expect(app.text).not.toMatch(/secret_string|secret_binary|logic\.azure\.com|powerplatform\.com/);
  });

  it('lets the consumer read it', () => {
    const [id] = app.resources(HUB, 'aws_secretsmanager_secret').find(([, body]) => body.name === SECRET)!;
    const [, policy] = app.resources(HUB, 'aws_iam_role_policy').find(([, body]) => body.name === 'consumer')!;

    const statements = (JSON.parse(String(policy.policy)) as { Statement: { Sid: string; Resource: string[] }[] })
      .Statement;
    const read = statements.find((statement) => statement.Sid === 'ReadWebhookSecrets');
    expect(read?.Resource).toContain(`\${aws_secretsmanager_secret.${id}.arn}`);
  });
});
