import { WebhookRefusedError, WebhookSecretError } from '../slack/errors.ts';
import { webhookUrlRefusal } from './webhook-policy.ts';
import { cachedPerDestination, readSecretValue, secretText, type SecretReader } from '../../core/port/secrets.ts';

export {
  PERMANENT_SECRET_ERRORS,
  cachedPerDestination,
  readSecretValue,
  secretText,
  type SecretReader,
} from '../../core/port/secrets.ts';

/** Finds the webhook URL of a destination. Throws `WebhookSecretError` when it cannot. */
export interface WebhookResolver {
  webhookUrl(destination: string): Promise<string>;
}

/** Options of {@link secretsManagerWebhooks}. */
export interface SecretWebhookOptions {
  /**
   * Hosts accepted besides Slack's webhook hosts (`delivery.allowedWebhookHosts`), exact names.
   * Default none: only https to `hooks.slack.com` and `hooks.slack-gov.com`.
   */
  readonly allowedHosts?: readonly string[];
}

/**
 * Webhook URLs from Secrets Manager: `destinations.NAME.webhookSecret` names the secret, whose value
 * is the URL (or a JSON object with a `url` field). A URL that is not https to a Slack webhook host
 * (or to one of `allowedHosts`) is refused with a `WebhookRefusedError` (permanent). Each URL is read
 * once and kept for the life of the instance; a failed or refused read is not kept, so the next
 * invocation reads the secret again.
 */
export function secretsManagerWebhooks(
  secretNames: Readonly<Record<string, { readonly webhookSecret?: string | undefined }>>,
  read: SecretReader,
  options: SecretWebhookOptions = {},
): WebhookResolver {
  const load = async (destination: string): Promise<string> => {
    const secretId = Object.hasOwn(secretNames, destination) ? secretNames[destination]?.webhookSecret : undefined;
    if (secretId === undefined) {
      const reason = Object.hasOwn(secretNames, destination)
        ? 'not a webhook destination (it is a Slack app destination)'
        : 'not a configured destination';
      throw new WebhookSecretError(destination, reason, true);
    }
    const value = await readSecretValue(
      read,
      secretId,
      (name, permanent, cause) =>
        new WebhookSecretError(destination, `secret ${secretId}: ${name}`, permanent, { cause }),
    );
    const url = webhookFromSecretValue(value);
    if (url === undefined)
      throw new WebhookSecretError(destination, `secret ${secretId} does not hold a webhook URL`, true);
    const refusal = webhookUrlRefusal(url, options.allowedHosts);
    if (refusal !== undefined) throw new WebhookRefusedError(destination, secretId, refusal);
    return url;
  };
  return { webhookUrl: cachedPerDestination(load) };
}

/** Webhook URLs given directly (replay's `--webhook NAME=URL`, tests): a person chose them, so any host is used. */
export function staticWebhooks(urls: ReadonlyMap<string, string> | Readonly<Record<string, string>>): WebhookResolver {
  const map = urls instanceof Map ? urls : new Map(Object.entries(urls));
  return {
    async webhookUrl(destination) {
      const url = map.get(destination);
      if (url === undefined)
        throw new WebhookSecretError(destination, 'no webhook URL given for this destination', true);
      return url;
    },
  };
}

/** The URL in a secret value: the plain string, or the `url` / `webhookUrl` field of a JSON object. */
export function webhookFromSecretValue(value: string | undefined): string | undefined {
  const candidate = secretText(value, ['url', 'webhookUrl']);
  if (candidate === undefined) return undefined;
  try {
    const url = new URL(candidate);
    return url.protocol === 'https:' || url.protocol === 'http:' ? candidate : undefined;
  } catch {
    return undefined;
  }
}
