import { Construct } from 'constructs';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret/index.js';
import { destinationSecret, destinationTypeOf, type DestinationType, type HubConfig } from '../../shared/index.ts';

/** Props of {@link WebhookSecrets}. */
export interface WebhookSecretsProps {
  /** `destinations`. */
  readonly config: Pick<HubConfig, 'destinations'>;
}

/** Secret names in config order, each once (two destinations may share a webhook); app destinations' bot token secrets and Teams destinations' Workflows URL secrets too. */
export function webhookSecretNames(config: Pick<HubConfig, 'destinations'>): string[] {
  return [...new Set(Object.values(config.destinations).map(destinationSecret))];
}

/** What the secret of each destination type holds, as its description says. */
const WHAT_SECRET_HOLDS: Readonly<Record<DestinationType, string>> = {
  'slack-webhook': 'Slack webhook URL',
  'slack-app': 'Slack bot token',
  pagerduty: 'PagerDuty routing key',
  teams: 'Microsoft Teams Workflows webhook URL',
};

/**
 * One Secrets Manager secret per webhook, created empty: the operator stores the URL
 * (`guardduty-hub secrets set`), so it never passes through config, Terraform state or the plan.
 */
export class WebhookSecrets extends Construct {
  /** Secrets by secret name. */
  readonly secrets: ReadonlyMap<string, SecretsmanagerSecret>;
  /** The type of the destinations each secret serves (two destinations share a secret only as webhooks). */
  private readonly typeOf: ReadonlyMap<string, DestinationType>;

  constructor(scope: Construct, id: string, props: WebhookSecretsProps) {
    super(scope, id);
    const users = (name: string) =>
      Object.entries(props.config.destinations)
        .filter(([, destination]) => destinationSecret(destination) === name)
        .map(([destination]) => destination);
    this.typeOf = new Map(
      webhookSecretNames(props.config).map((name) => [name, destinationTypeOf(props.config, users(name)[0] ?? '')]),
    );
    this.secrets = new Map(
      webhookSecretNames(props.config).map((name) => [
        name,
        // The id derives from the secret name (':' never occurs in one), so adding or removing a
        // destination never renames, and so never replaces, another destination's secret.
        new SecretsmanagerSecret(this, `Webhook:${name.replaceAll('/', ':')}`, {
          name,
          description: `${WHAT_SECRET_HOLDS[this.typeOf.get(name) ?? 'slack-webhook']} for guardduty-hub destination ${users(name).join(', ')}; the value is set by the operator`,
        }),
      ]),
    );
  }

  /** ARNs of the app destinations' bot token secrets, each once. */
  get botTokenArns(): string[] {
    return this.arnsOf('slack-app');
  }

  /** ARNs of the PagerDuty destinations' routing key secrets, each once. */
  get routingKeyArns(): string[] {
    return this.arnsOf('pagerduty');
  }

  /** ARNs of the secrets of destinations of `type`, in config order. */
  private arnsOf(type: DestinationType): string[] {
    return [...this.secrets.entries()]
      .filter(([name]) => this.typeOf.get(name) === type)
      .map(([, secret]) => secret.arn);
  }

  /** ARNs of every webhook secret. */
  get arns(): string[] {
    return [...this.secrets.values()].map((secret) => secret.arn);
  }
}
