import { webhookUrlRefusal } from '../../../lambdas/consumer/index.ts';

/**
 * The shape of a Slack webhook URL, checked without ever echoing the URL: the problems name what is
 * wrong in general terms only, because the URL is a secret (it names the channel and grants posting).
 */

/** Slack hosts that serve webhooks (commercial and GovSlack). */
export const SLACK_WEBHOOK_HOSTS = ['hooks.slack.com', 'hooks.slack-gov.com'] as const;

/** The kinds of URL accepted (`allowed-host`: a host `delivery.allowedWebhookHosts` lists, such as the sandbox's simulator). */
export type WebhookKind = 'incoming-webhook' | 'workflow-trigger' | 'allowed-host';

/** What `secrets set` expects, for messages. */
export const EXPECTED_WEBHOOK_FORMS =
  'https://hooks.slack.com/services/T…/B…/…, https://hooks.slack-gov.com/services/T…/B…/… or a workflow URL https://hooks.slack.com/triggers/T…/…/…';

/** The result of {@link checkWebhookUrl}: the kind, or what is wrong (never containing the input). */
export type WebhookCheck =
  | { readonly ok: true; readonly kind: WebhookKind }
  | { readonly ok: false; readonly problem: string };

const PATHS: readonly (readonly [RegExp, WebhookKind])[] = [
  [/^\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+$/, 'incoming-webhook'],
  [/^\/triggers\/T[A-Z0-9]+\/\d+\/[A-Za-z0-9]+$/, 'workflow-trigger'],
];

/** Checks that `text` (already trimmed) is a Slack incoming-webhook or workflow-trigger URL. */
export function checkWebhookUrl(text: string): WebhookCheck {
  if (text === '') return { ok: false, problem: 'the input is empty' };
  if (/\s/.test(text)) return { ok: false, problem: 'the input contains spaces or more than one line' };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, problem: 'the input is not a URL' };
  }
  if (url.protocol !== 'https:') return { ok: false, problem: 'the URL does not use https' };
  if (!(SLACK_WEBHOOK_HOSTS as readonly string[]).includes(url.hostname) || url.port !== '') {
    return { ok: false, problem: `the URL's host is not ${SLACK_WEBHOOK_HOSTS.join(' or ')}` };
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    return { ok: false, problem: 'the URL carries user info, a query or a fragment' };
  }
  const match = PATHS.find(([pattern]) => pattern.test(url.pathname));
  if (match === undefined) return { ok: false, problem: 'the URL path is not /services/T…/B…/… or /triggers/T…/…/…' };
  return { ok: true, kind: match[1] };
}

/**
 * {@link checkWebhookUrl}, and besides Slack's URLs any URL on a host `allowedHosts`
 * (`delivery.allowedWebhookHosts`) lists that the consumer would post to (its own rule: https, or
 * plain http to a listed loopback host). So `secrets set` and `secrets check` accept exactly what the
 * consumer accepts from a secret.
 */
export function checkWebhookUrlFor(text: string, allowedHosts: readonly string[]): WebhookCheck {
  const slack = checkWebhookUrl(text);
  if (slack.ok || allowedHosts.length === 0) return slack;
  const host = URL.canParse(text) ? new URL(text).hostname : undefined;
  if (host === undefined || !allowedHosts.includes(host)) return slack;
  const refusal = webhookUrlRefusal(text, allowedHosts);
  return refusal === undefined
    ? { ok: true, kind: 'allowed-host' }
    : { ok: false, problem: refusal.replace(/^the URL/, 'the URL on a listed host') };
}

/** What `secrets set` expects of a bot token, for messages. */
export const EXPECTED_BOT_TOKEN_FORM =
  'a Slack bot token xoxb-…-…-… (the Bot User OAuth Token under OAuth & Permissions in the app settings)';

/** The result of {@link checkBotToken}: fine, or what is wrong (never containing the input). */
export type BotTokenCheck =
  | { readonly ok: true; readonly kind: 'bot-token' }
  | { readonly ok: false; readonly problem: string };

/** Checks that `text` (already trimmed) is a Slack bot token (`xoxb-`); user (`xoxp-`) and app-level (`xapp-`) tokens are refused. */
export function checkBotToken(text: string): BotTokenCheck {
  if (text === '') return { ok: false, problem: 'the input is empty' };
  if (/\s/.test(text)) return { ok: false, problem: 'the input contains spaces or more than one line' };
  if (/^xox[pae]-|^xapp-/.test(text))
    return { ok: false, problem: 'the input is a user, app-level or legacy token, not a bot token' };
  if (!text.startsWith('xoxb-')) return { ok: false, problem: 'the input does not start with xoxb-' };
  if (!/^xoxb-[0-9]+-[0-9A-Za-z-]+$/.test(text))
    return { ok: false, problem: 'the input starts with xoxb- but is not digits, dashes and letters after it' };
  return { ok: true, kind: 'bot-token' };
}
