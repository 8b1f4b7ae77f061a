import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import {
  botTokenFromSecretValue,
  routingKeyFromSecretValue,
  secretText,
  webhookFromSecretValue,
} from '../../../lambdas/consumer/index.ts';
import { destinationSecret, destinationTypeOf, type DestinationType, type HubConfig } from '../../../shared/index.ts';
import { awsErrorName, describeAwsError, toCliError } from '../../aws/index.ts';
import { NoCredentialsError } from '../../errors.ts';
import { checkRoutingKey } from './routing-key.ts';
import { checkSigningSecret } from './signing-secret.ts';
import { checkBotToken, checkWebhookUrlFor } from './webhook-url.ts';
import { checkWorkflowUrl } from './workflow-url.ts';

/** The state of one destination's webhook secret; never its value. */
export interface SecretCheck {
  readonly destination: string;
  readonly secret: string;
  /** `present`, `missing` (no secret or no value), `malformed` (not a Slack webhook URL) or `error` (could not be read). */
  readonly status: 'present' | 'missing' | 'malformed' | 'error';
  /** What was found, in words that never include the value. */
  readonly detail: string;
  /** When the value last changed, ISO 8601. */
  readonly lastChangedAt: string | undefined;
}

/** The state of a secret that is no destination's (the triage signing secret); never its value. */
export type OtherSecretCheck = Omit<SecretCheck, 'destination'>;

/** What `secrets check` prints. */
export interface SecretsReport {
  readonly region: string;
  readonly destinations: SecretCheck[];
  /** The triage endpoint's Slack signing secret; absent without `triage:`. */
  readonly signingSecret?: OtherSecretCheck;
  readonly attention: string[];
}

/** Checks every destination's secret, in config order, then the triage signing secret. */
export async function checkSecrets(secrets: SecretsManagerClient, config: HubConfig): Promise<SecretsReport> {
  const destinations: SecretCheck[] = [];
  for (const [destination, entry] of Object.entries(config.destinations)) {
    const judge = judgeFor(destinationTypeOf(config, destination), config.delivery.allowedWebhookHosts);
    destinations.push({ destination, ...(await checkOne(secrets, destinationSecret(entry), judge)) });
  }
  const attention = destinations
    .filter((d) => d.status !== 'present')
    .map(
      (d) =>
        `${d.destination}: secret ${d.secret} is ${d.status} (${d.detail}); store it with \`guardduty-hub secrets set ${d.destination}\``,
    );
  if (config.triage === undefined) return { region: config.hub.region, destinations, attention };
  const signingSecret = await checkOne(secrets, config.triage.signingSecret, judgeSigningSecret);
  if (signingSecret.status !== 'present') {
    attention.push(
      `triage: signing secret ${signingSecret.secret} is ${signingSecret.status} (${signingSecret.detail}); store it with \`guardduty-hub secrets set --signing-secret\``,
    );
  }
  return { region: config.hub.region, destinations, signingSecret, attention };
}

/** What a secret's value is, in words that never include it. */
type Judgement = { readonly status: 'present' | 'missing' | 'malformed'; readonly detail: string };

async function checkOne(
  secrets: SecretsManagerClient,
  secret: string,
  judge: (value: string | undefined) => Judgement,
): Promise<OtherSecretCheck> {
  const result = (status: SecretCheck['status'], detail: string, lastChangedAt?: Date): OtherSecretCheck => ({
    secret,
    status,
    detail,
    lastChangedAt: lastChangedAt?.toISOString(),
  });
  let lastChanged: Date | undefined;
  try {
    const described = await secrets.send(new DescribeSecretCommand({ SecretId: secret }));
    if (described.DeletedDate !== undefined)
      return result('missing', `scheduled for deletion on ${described.DeletedDate.toISOString()}`);
    lastChanged = described.LastChangedDate ?? described.CreatedDate;
    const { SecretString: value } = await secrets.send(new GetSecretValueCommand({ SecretId: secret }));
    const { status, detail } = judge(value);
    return result(status, detail, lastChanged);
  } catch (error) {
    const cliError = toCliError('DescribeSecret', error);
    if (cliError instanceof NoCredentialsError) throw cliError;
    if (awsErrorName(error) === 'ResourceNotFoundException') {
      return result(
        'missing',
        lastChanged === undefined ? 'the secret does not exist' : 'the secret has no current value',
        lastChanged,
      );
    }
    return result('error', describeAwsError(error), lastChanged);
  }
}

/** A webhook secret's value: plain or JSON `{url}`, on Slack or a host `allowedHosts` lists, as the consumer accepts it. */
function judgeWebhook(allowedHosts: readonly string[]): (value: string | undefined) => Judgement {
  return (value) => {
    const url = webhookFromSecretValue(value);
    if (url === undefined)
      return value
        ? { status: 'malformed', detail: 'the value is not a URL' }
        : { status: 'missing', detail: 'the value is empty' };
    const check = checkWebhookUrlFor(url.trim(), allowedHosts);
    return check.ok ? { status: 'present', detail: check.kind } : { status: 'malformed', detail: check.problem };
  };
}

/** How the secret of a destination of `type` is judged. */
function judgeFor(type: DestinationType, allowedHosts: readonly string[]): (value: string | undefined) => Judgement {
  if (type === 'pagerduty') return judgeRoutingKey;
  if (type === 'teams') return judgeWorkflowUrl(allowedHosts);
  return type === 'slack-app' ? judgeBotToken : judgeWebhook(allowedHosts);
}

/** A routing key secret's value: plain or JSON `{routingKey}`, 32 letters and digits, as the consumer accepts it. */
function judgeRoutingKey(value: string | undefined): Judgement {
  if (!value?.trim()) return { status: 'missing', detail: 'the value is empty' };
  if (routingKeyFromSecretValue(value) !== undefined) return { status: 'present', detail: 'routing-key' };
  const check = checkRoutingKey(value.trim());
  return { status: 'malformed', detail: check.ok ? 'the value is not a routing key' : check.problem };
}

/** A Teams Workflows URL secret's value: plain or JSON `{url}`, on a Workflows host or a listed one, with its `sig`. */
function judgeWorkflowUrl(allowedHosts: readonly string[]): (value: string | undefined) => Judgement {
  return (value) => {
    const url = secretText(value, ['url', 'workflowUrl']);
    if (url === undefined) return { status: 'missing', detail: 'the value is empty' };
    const check = checkWorkflowUrl(url, allowedHosts);
    return check.ok ? { status: 'present', detail: check.kind } : { status: 'malformed', detail: check.problem };
  };
}

/** A bot token secret's value: `present` (`bot-token`), `missing` or `malformed`. */
function judgeBotToken(value: string | undefined): Judgement {
  if (!value?.trim()) return { status: 'missing', detail: 'the value is empty' };
  if (botTokenFromSecretValue(value) !== undefined) return { status: 'present', detail: 'bot-token' };
  const check = checkBotToken(value.trim());
  return { status: 'malformed', detail: check.ok ? 'the value is not a bot token' : check.problem };
}

/** The signing secret's value: 32 hexadecimal characters. */
function judgeSigningSecret(value: string | undefined): Judgement {
  if (!value?.trim()) return { status: 'missing', detail: 'the value is empty' };
  const check = checkSigningSecret(value.trim());
  return check.ok ? { status: 'present', detail: 'signing-secret' } : { status: 'malformed', detail: check.problem };
}
