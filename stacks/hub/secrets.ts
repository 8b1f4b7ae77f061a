import { Construct } from 'constructs';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret/index.js';
import { destinationSecret, type HubConfig } from '../../shared/index.ts';

/** Props of {@link WebhookSecrets}. */
export interface WebhookSecretsProps {
  /** `destinations`. */
  readonly config: Pick<HubConfig, 'destinations'>;
}

/** Secret names in config order, each once (two destinations may share a webhook); app destinations' bot token secrets too. */
export function webhookSecretNames(config: Pick<HubConfig, 'destinations'>): string[] {
  return [...new Set(Object.values(config.destinations).map(destinationSecret))];
}

/**
 * One Secrets Manager secret per webhook, created empty: the operator stores the URL
 * (`guardduty-hub secrets set`), so it never passes through config, Terraform state or the plan.
 */
export class WebhookSecrets extends Construct {
  /** Secrets by secret name. */
  readonly secrets: ReadonlyMap<string, SecretsmanagerSecret>;
  private readonly tokenNames: ReadonlySet<string>;
  private readonly routingKeyNames: ReadonlySet<string>;

  constructor(scope: Construct, id: string, props: WebhookSecretsProps) {
    super(scope, id);
    const users = (name: string) =>
      Object.entries(props.config.destinations)
        .filter(([, destination]) => destinationSecret(destination) === name)
        .map(([destination]) => destination);

    this.tokenNames = new Set(
      Object.values(props.config.destinations).flatMap((destination) =>
        destination.app ? [destination.app.botTokenSecret] : [],
      ),
    );
    this.routingKeyNames = new Set(
      Object.values(props.config.destinations).flatMap((destination) =>
        destination.routingKeySecret === undefined ? [] : [destination.routingKeySecret],
      ),
    );
    const whatHolds = (name: string) => {
      if (this.tokenNames.has(name)) return 'Slack bot token';
      return this.routingKeyNames.has(name) ? 'PagerDuty routing key' : 'Slack webhook URL';
    };
    this.secrets = new Map(
      webhookSecretNames(props.config).map((name) => [
        name,
        // The id derives from the secret name (':' never occurs in one), so adding or removing a
        // destination never renames, and so never replaces, another destination's secret.
        new SecretsmanagerSecret(this, `Webhook:${name.replaceAll('/', ':')}`, {
          name,
          description: `${whatHolds(name)} for guardduty-hub destination ${users(name).join(', ')}; the value is set by the operator`,
        }),
      ]),
    );
  }

  /** ARNs of the app destinations' bot token secrets, each once. */
  get botTokenArns(): string[] {
    return this.arnsOf(this.tokenNames);
  }

  /** ARNs of the PagerDuty destinations' routing key secrets, each once. */
  get routingKeyArns(): string[] {
    return this.arnsOf(this.routingKeyNames);
  }

  /** ARNs of the secrets named in `names`, in config order. */
  private arnsOf(names: ReadonlySet<string>): string[] {
    return [...this.secrets.entries()].filter(([name]) => names.has(name)).map(([, secret]) => secret.arn);
  }

  /** ARNs of every webhook secret. */
  get arns(): string[] {
    return [...this.secrets.values()].map((secret) => secret.arn);
  }
}
