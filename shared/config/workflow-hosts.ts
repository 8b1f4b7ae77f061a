import { hostedUrlRefusal } from './url-policy.ts';

/**
 * Which Microsoft Teams Workflows webhook URLs a secret may hold: https to a host under Microsoft's
 * Workflows (Power Automate) trigger domains, or to a host `delivery.allowedWebhookHosts` names
 * exactly (plain http only to a loopback host listed there: a local simulator). Pure constants and one
 * function, with no schema library: the consumer bundle and the CLI both import this file.
 *
 * The "When a Teams webhook request is received" trigger gives a URL on one of two hosts:
 * `https://prod-NN.<region>.logic.azure.com:443/workflows/<id>/triggers/manual/paths/invoke?…&sig=…`
 * (Azure Logic Apps callback URLs, as `Get-AzLogicAppTriggerCallbackUrl` on Microsoft Learn shows) and,
 * for flows made since 2025, `https://<environment>.NN.environment.api.powerplatform.com:443/powerautomate/
 * automations/direct/workflows/<id>/triggers/manual/paths/invoke?…&sig=…`. The `sig` query parameter
 * authorizes the post: the whole URL is a secret.
 */

/** Host suffixes of Teams Workflows webhook URLs: always accepted over https. */
export const TEAMS_WORKFLOW_HOST_SUFFIXES = ['.logic.azure.com', '.environment.api.powerplatform.com'] as const;

/** True when `host` is a Workflows trigger host (a name under one of {@link TEAMS_WORKFLOW_HOST_SUFFIXES}). */
export function isWorkflowHost(host: string): boolean {
  return TEAMS_WORKFLOW_HOST_SUFFIXES.some((suffix) => host.endsWith(suffix) && host.length > suffix.length);
}

const WORKFLOW_HOSTS = {
  accepts: isWorkflowHost,
  described: `a Teams Workflows host (*${TEAMS_WORKFLOW_HOST_SUFFIXES.join(', *')})`,
};

/**
 * Why `url` may not be posted to as a Teams Workflows webhook, or `undefined` when it may. The reason
 * names the scheme or the host, never the path or query (the `sig` there is the secret part).
 */
export function workflowUrlRefusal(url: string, allowedHosts: readonly string[] = []): string | undefined {
  return hostedUrlRefusal(url, WORKFLOW_HOSTS, allowedHosts);
}
