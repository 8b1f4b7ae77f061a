import { DescribeSecretCommand, GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { botTokenFromSecretValue, webhookFromSecretValue } from '../../../consumer/index.ts';
import { destinationSecret, type HubConfig } from '../../../shared/index.ts';
import { awsErrorName, describeAwsError, toCliError } from '../../aws/index.ts';
import { NoCredentialsError } from '../../errors.ts';
import { checkBotToken, checkWebhookUrl } from './webhook-url.ts';

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

/** What `secrets check` prints. */
export interface SecretsReport {
  readonly region: string;
  readonly destinations: SecretCheck[];
  readonly attention: string[];
}

/** Checks every destination's secret, in config order. */
export async function checkSecrets(secrets: SecretsManagerClient, config: HubConfig): Promise<SecretsReport> {
  const destinations: SecretCheck[] = [];
  for (const [destination, entry] of Object.entries(config.destinations)) {
    destinations.push(await checkOne(secrets, destination, destinationSecret(entry), entry.app !== undefined));
  }
  const attention = destinations
    .filter((d) => d.status !== 'present')
    .map((d) => `${d.destination}: secret ${d.secret} is ${d.status} (${d.detail}); store it with \`guardduty-hub secrets set ${d.destination}\``);
  return { region: config.hub.region, destinations, attention };
}

async function checkOne(secrets: SecretsManagerClient, destination: string, secret: string, app: boolean): Promise<SecretCheck> {
  const result = (status: SecretCheck['status'], detail: string, lastChangedAt?: Date): SecretCheck => ({
    destination,
    secret,
    status,
    detail,
    lastChangedAt: lastChangedAt?.toISOString(),
  });
  let lastChanged: Date | undefined;
  try {
    const described = await secrets.send(new DescribeSecretCommand({ SecretId: secret }));
    if (described.DeletedDate !== undefined) return result('missing', `scheduled for deletion on ${described.DeletedDate.toISOString()}`);
    lastChanged = described.LastChangedDate ?? described.CreatedDate;
    const { SecretString: value } = await secrets.send(new GetSecretValueCommand({ SecretId: secret }));
    if (app) return tokenResult(value, (status, detail) => result(status, detail, lastChanged));
    const url = webhookFromSecretValue(value);
    if (url === undefined) return result(value ? 'malformed' : 'missing', value ? 'the value is not a URL' : 'the value is empty', lastChanged);
    const check = checkWebhookUrl(url.trim());
    if (!check.ok) return result('malformed', check.problem, lastChanged);
    return result('present', check.kind, lastChanged);
  } catch (error) {
    const cliError = toCliError('DescribeSecret', error);
    if (cliError instanceof NoCredentialsError) throw cliError;
    if (awsErrorName(error) === 'ResourceNotFoundException') {
      return result('missing', lastChanged === undefined ? 'the secret does not exist' : 'the secret has no current value', lastChanged);
    }
    return result('error', describeAwsError(error), lastChanged);
  }
}

/** The check of a bot token secret's value (never echoed): `present` (`bot-token`), `missing` or `malformed`. */
function tokenResult(value: string | undefined, result: (status: SecretCheck['status'], detail: string) => SecretCheck): SecretCheck {
  if (!value?.trim()) return result('missing', 'the value is empty');
  const token = botTokenFromSecretValue(value);
  if (token !== undefined) return result('present', 'bot-token');
  const check = checkBotToken(value.trim());
  return result('malformed', check.ok ? 'the value is not a bot token' : check.problem);
}
