import { describe, expect, it } from 'vitest';
import { makeConfig } from '../factories/config.ts';
import { synthApp } from '../support/synth.ts';

// A PagerDuty destination's routing key is one more secret shell of the hub stack, which the consumer may
// read, like a webhook's: no value in Terraform, and no new kind of permission.

const HUB = 'hub';
const ONCALL = 'guardduty-hub/pagerduty/oncall';

describe('the hub stack with a PagerDuty destination', () => {
  it('makes an empty secret for the routing key and lets the consumer read it', () => {
    const config = makeConfig({ destinations: { oncall: { type: 'pagerduty', routingKeySecret: ONCALL } } });

    const app = synthApp(config);

    const secrets = app.resources(HUB, 'aws_secretsmanager_secret');
    const [id, secret] = secrets.find(([, body]) => body.name === ONCALL) ?? [];
    expect(secret?.description).toBe(
      'PagerDuty routing key for guardduty-hub destination oncall; the value is set by the operator',
    );
    for (const name of app.names) expect(app.resources(name, 'aws_secretsmanager_secret_version')).toEqual([]);
    const [, policy] = app.resources(HUB, 'aws_iam_role_policy').find(([, body]) => body.name === 'consumer') ?? [];
    const statements = (JSON.parse(String(policy?.policy)) as { Statement: { Sid: string; Resource: string[] }[] })
      .Statement;
    expect(statements.find((statement) => statement.Sid === 'ReadWebhookSecrets')?.Resource).toContain(
      `\${aws_secretsmanager_secret.${id}.arn}`,
    );
  });
});
