import { LOOPBACK_HOSTS } from './webhook-hosts.ts';

/**
 * The one rule for a URL the consumer posts to when it comes from a secret: https to one of the
 * destination type's own hosts, or to a host `delivery.allowedWebhookHosts` names exactly; plain http
 * only to a loopback host listed there (a local simulator: nothing leaves the machine). Pure, with no
 * schema library: the consumer bundle imports it.
 */

/** The hosts a destination type accepts on its own, and how a refusal names them. */
export interface OwnHosts {
  /** True for a host of the type's own. */
  readonly accepts: (host: string) => boolean;
  /** `a Slack webhook host (hooks.slack.com, hooks.slack-gov.com)`. */
  readonly described: string;
}

/**
 * Why `url` is refused, or `undefined` when it may be used. The reason names the scheme or host,
 * never the URL's path or query (which hold the secret part).
 */
export function hostedUrlRefusal(url: string, own: OwnHosts, allowedHosts: readonly string[] = []): string | undefined {
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
    return 'the URL is http, not https: findings would cross the network in clear text (plain http is accepted only to a loopback host listed in delivery.allowedWebhookHosts)';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    return `the URL's scheme ${parsed.protocol} is not https`;
  if (!own.accepts(host) && !listed) {
    return `host ${host} is not ${own.described} and not listed in delivery.allowedWebhookHosts`;
  }
  return undefined;
}
