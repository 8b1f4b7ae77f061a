/**
 * Which webhook hosts a secret may name: Slack's own, plus `delivery.allowedWebhookHosts`. Pure
 * constants and one function, with no schema library: the consumer bundle imports this file.
 */

/** Slack's incoming-webhook hosts: always accepted (https only). */
export const SLACK_WEBHOOK_HOSTS = ['hooks.slack.com', 'hooks.slack-gov.com'] as const;

/** Hosts that never leave the machine: the only ones to which a listed host may be plain http. */
export const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost']);

/** A lower-case DNS host name or IPv4 address: dot-separated labels of letters, digits and hyphens. */
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

/**
 * What is wrong with an entry of `delivery.allowedWebhookHosts`, or `undefined`: an exact host name,
 * without scheme, path, port or wildcard. The message never repeats the value (it may hold a secret path).
 */
export function webhookHostProblem(value: string): string | undefined {
  if (value.includes('://'))
    return 'must be a host name only, without a scheme: write hooks.example.com, not https://hooks.example.com';
  if (value.includes('*')) return 'must be an exact host name: wildcards (*) are not allowed, list each host';
  if (value.includes('/')) return 'must be a host name only, without a path';
  if (value.includes(':')) return 'must be a host name only, without a port';
  if (value !== value.toLowerCase()) return 'must be written in lower case';
  if (!HOST_NAME.test(value))
    return 'must be a host name such as hooks.example.com (letters, digits, hyphens and dots)';
  return undefined;
}
