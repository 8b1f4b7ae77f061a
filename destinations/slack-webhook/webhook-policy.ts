import { SLACK_WEBHOOK_HOSTS } from '../../shared/config/webhook-hosts.ts';
import { hostedUrlRefusal } from '../../shared/config/url-policy.ts';

/**
 * Which webhook URLs the consumer posts to when they come from a secret: https to Slack's webhook
 * hosts (`hooks.slack.com`, `hooks.slack-gov.com`) or to a host `delivery.allowedWebhookHosts` names
 * exactly; plain http only to a loopback host listed there (a local simulator: nothing leaves the
 * machine). URLs a person gives on the command line are not checked (`staticWebhooks`).
 */

const SLACK_HOSTS = {
  accepts: (host: string) => (SLACK_WEBHOOK_HOSTS as readonly string[]).includes(host),
  described: `a Slack webhook host (${SLACK_WEBHOOK_HOSTS.join(', ')})`,
};

/**
 * Why `url` is refused, or `undefined` when it may be used. The reason names the scheme or host,
 * never the URL's path (which is the secret part).
 */
export function webhookUrlRefusal(url: string, allowedHosts: readonly string[] = []): string | undefined {
  return hostedUrlRefusal(url, SLACK_HOSTS, allowedHosts);
}
