import { LOOPBACK_HOSTS, SLACK_WEBHOOK_HOSTS } from '../../shared/config/webhook-hosts.ts';

/**
 * Which webhook URLs the consumer posts to when they come from a secret: https to Slack's webhook
 * hosts (`hooks.slack.com`, `hooks.slack-gov.com`) or to a host `delivery.allowedWebhookHosts` names
 * exactly; plain http only to a loopback host listed there (a local simulator: nothing leaves the
 * machine). URLs a person gives on the command line are not checked (`staticWebhooks`).
 */

/**
 * Why `url` is refused, or `undefined` when it may be used. The reason names the scheme or host,
 * never the URL's path (which is the secret part).
 */
export function webhookUrlRefusal(url: string, allowedHosts: readonly string[] = []): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'the value is not a URL';
  }
  const host = parsed.hostname;
  const listed = allowedHosts.includes(host);
  if (parsed.username !== '' || parsed.password !== '') return 'the URL carries a user name or password';
  if (parsed.protocol === 'http:' && !(listed && LOOPBACK_HOSTS.has(host))) {
    return `the URL is http, not https: findings would cross the network in clear text (plain http is accepted only to a loopback host listed in delivery.allowedWebhookHosts)`;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    return `the URL's scheme ${parsed.protocol} is not https`;
  if (!(SLACK_WEBHOOK_HOSTS as readonly string[]).includes(host) && !listed) {
    return `host ${host} is not a Slack webhook host (${SLACK_WEBHOOK_HOSTS.join(', ')}) and not listed in delivery.allowedWebhookHosts`;
  }
  return undefined;
}
