import { validateEvent } from '../pagerduty/index.ts';
import { SIMULATOR_FILES, recorded } from './simulators.ts';

/**
 * The sandbox's PagerDuty and Microsoft Teams: what `up` stores in those destinations' secrets, and
 * what the daemon's PagerDuty Events API v2 simulator and Teams Workflows simulator received.
 */

/**
 * The routing key `sandbox up` stores in every PagerDuty destination's `routingKeySecret` (32 letters
 * and digits, as an Events API v2 Integration Key); the sandbox's PagerDuty simulator has it registered.
 */
export const SANDBOX_ROUTING_KEY = 'SANDBOXR0UT1NGKEY000000000000001';

/** The path of a Teams destination's workflow on the sandbox's Workflows simulator (a trigger's path, as Microsoft's). */
export function sandboxWorkflowPath(destination: string): string {
  return `/workflows/${destination}/triggers/manual/paths/invoke`;
}

/**
 * The Workflows webhook URL `sandbox up` stores in a Teams destination's `workflowUrlSecret`: the
 * simulator's plain-http loopback URL, with the query of a real trigger URL (`sig` included).
 */
export function sandboxWorkflowUrl(teamsUrl: string, destination: string): string {
  return `${teamsUrl}${sandboxWorkflowPath(destination)}?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=sandbox`;
}

/** One request the PagerDuty simulator received (its raw body holds the routing key). */
export interface ReceivedPagerDutyEvent {
  readonly status: number;
  readonly raw: string;
  readonly receivedAtMs: number;
}

/** One request the Teams Workflows simulator received. */
export interface ReceivedTeamsRequest {
  /** The workflow's path (see {@link sandboxWorkflowPath}), without the query. */
  readonly path: string;
  readonly status: number;
  readonly raw: string;
  readonly receivedAtMs: number;
  /** The error code answered, when the post was refused. */
  readonly code?: string;
}

/** Every event the PagerDuty simulator has received so far. */
export function pagerDutyRequests(dir: string): ReceivedPagerDutyEvent[] {
  return recorded(dir, SIMULATOR_FILES.pagerDutyReceived);
}

/** Every post the Teams Workflows simulator has received so far. */
export function teamsRequests(dir: string): ReceivedTeamsRequest[] {
  return recorded(dir, SIMULATOR_FILES.teamsReceived);
}

/** An event the PagerDuty simulator accepted, as `publish` reports it (never its routing key). */
export interface PagerDutyPage {
  readonly action: string;
  readonly dedupKey: string;
  /** The trigger's `payload.severity` and `payload.summary` (empty for acknowledge and resolve). */
  readonly severity: string;
  readonly summary: string;
}

/** The events the PagerDuty simulator accepted (202) after the first `before` it received. */
export function pagerDutyPagesSince(dir: string, before: number): PagerDutyPage[] {
  return pagerDutyRequests(dir)
    .slice(before)
    .filter((request) => request.status === 202)
    .flatMap(({ raw }) => {
      const validation = validateEvent(raw);
      if (!validation.ok) return [];
      const { action, dedupKey, payload } = validation.event;
      return [
        {
          action,
          dedupKey: dedupKey ?? '',
          severity: String(payload?.severity ?? ''),
          summary: String(payload?.summary ?? ''),
        },
      ];
    });
}

/** What a Teams message shows first: its card's fallback text. */
function fallbackTextOf(raw: string): string {
  const message: { attachments?: { content?: { fallbackText?: unknown } }[] } = JSON.parse(raw);
  return String(message.attachments?.[0]?.content?.fallbackText ?? '');
}

/** Per Teams destination: the messages its workflow accepted (202) after the first `before` posts, each by its card's fallback text. */
export function teamsMessagesSince(
  dir: string,
  before: number,
  destinations: readonly string[],
): Record<string, string[]> {
  const accepted = teamsRequests(dir)
    .slice(before)
    .filter((request) => request.status === 202);
  return Object.fromEntries(
    destinations.map((destination) => [
      destination,
      accepted.filter((r) => r.path === sandboxWorkflowPath(destination)).map((r) => fallbackTextOf(r.raw)),
    ]),
  );
}
