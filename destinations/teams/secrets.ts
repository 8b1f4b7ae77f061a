import { cachedPerDestination, readSecretValue, secretText, type SecretReader } from '../../core/port/secrets.ts';
import { workflowUrlRefusal } from '../../shared/config/workflow-hosts.ts';
import { TeamsUrlRefusedError, TeamsUrlSecretError } from './errors.ts';

/** Finds the Workflows webhook URL of a Teams destination. Throws `TeamsUrlSecretError` when it cannot. */
export interface WorkflowUrlResolver {
  workflowUrl(destination: string): Promise<string>;
}

/**
 * Workflows URLs from Secrets Manager: `destinations.NAME.workflowUrlSecret` names the secret, whose
 * value is the URL (or a JSON object with a `url` field). A URL that is not https to a Workflows host
 * (or to one of `allowedHosts`, `delivery.allowedWebhookHosts`) is refused with a `TeamsUrlRefusedError`.
 * Each URL is read once per instance; a failed or refused read is not kept, so the next invocation
 * reads the secret again (fixing it needs no redeploy).
 */
export function secretWorkflowUrls(
  destinations: Readonly<Record<string, { readonly workflowUrlSecret?: string | undefined }>>,
  read: SecretReader,
  allowedHosts: readonly string[] = [],
): WorkflowUrlResolver {
  const load = async (destination: string): Promise<string> => {
    const secretId = Object.hasOwn(destinations, destination)
      ? destinations[destination]?.workflowUrlSecret
      : undefined;
    if (secretId === undefined) throw new TeamsUrlSecretError(destination, 'not a Teams destination', true);
    const value = await readSecretValue(
      read,
      secretId,
      (name, permanent, cause) =>
        new TeamsUrlSecretError(destination, `secret ${secretId}: ${name}`, permanent, { cause }),
    );
    const url = secretText(value, ['url', 'workflowUrl']);
    if (url === undefined) throw new TeamsUrlSecretError(destination, `secret ${secretId} holds no URL`, true);
    const refusal = workflowUrlRefusal(url, allowedHosts);
    if (refusal !== undefined) throw new TeamsUrlRefusedError(destination, secretId, refusal);
    return url;
  };
  return { workflowUrl: cachedPerDestination(load) };
}

/** Workflows URLs given directly (replay's `--teams NAME=URL`, tests): a person chose them, so any host is used. */
export function staticWorkflowUrls(
  urls: ReadonlyMap<string, string> | Readonly<Record<string, string>>,
): WorkflowUrlResolver {
  const map = urls instanceof Map ? urls : new Map(Object.entries(urls));
  return {
    async workflowUrl(destination) {
      const url = map.get(destination);
      if (url === undefined) throw new TeamsUrlSecretError(destination, 'no Workflows URL given for it', true);
      return url;
    },
  };
}
