import { isWorkflowHost, workflowUrlRefusal } from '../../../shared/index.ts';

/**
 * The shape of a Microsoft Teams Workflows webhook URL ("When a Teams webhook request is received"),
 * checked without ever echoing it: its `sig` query parameter grants posting to the channel.
 */

/** What `secrets set` expects of a Teams destination, for messages. */
export const EXPECTED_WORKFLOW_URL_FORM =
  "the trigger's HTTP POST URL: https://….logic.azure.com:443/workflows/…/triggers/manual/paths/invoke?…&sig=… or https://….environment.api.powerplatform.com:443/powerautomate/automations/direct/workflows/…&sig=…";

/** The result of {@link checkWorkflowUrl}: the kind, or what is wrong (never containing the input). */
export type WorkflowUrlCheck =
  | { readonly ok: true; readonly kind: 'teams-workflow' | 'allowed-host' }
  | { readonly ok: false; readonly problem: string };

/**
 * Checks that `text` (trimmed) is a URL the consumer would post to for a Teams destination (https on a
 * Workflows host, or a host `allowedHosts` lists) and, on Microsoft's hosts, a trigger URL with its
 * `sig` (without it the trigger answers 401 to an anonymous post).
 */
export function checkWorkflowUrl(text: string, allowedHosts: readonly string[]): WorkflowUrlCheck {
  if (text === '') return { ok: false, problem: 'the input is empty' };
  if (/\s/.test(text)) return { ok: false, problem: 'the input contains spaces or more than one line' };
  const refusal = workflowUrlRefusal(text, allowedHosts);
  if (refusal !== undefined) return { ok: false, problem: refusal };
  const url = new URL(text);
  if (!isWorkflowHost(url.hostname)) return { ok: true, kind: 'allowed-host' };
  if (!/\/workflows\/[^/]+\/triggers\//.test(url.pathname))
    return { ok: false, problem: 'the URL path is not a workflow trigger (…/workflows/ID/triggers/…)' };
  if (!url.searchParams.has('sig'))
    return { ok: false, problem: 'the URL has no sig= parameter: copy the whole HTTP POST URL of the trigger' };
  return { ok: true, kind: 'teams-workflow' };
}
