import type { TriageAction, TriageConfig } from '../../../shared/index.ts';
import type { TriageSlack } from './slack.ts';

/**
 * Who may do what: `triage.allow.<action>` lists Slack user ids (`U…`, `W…`) and user group ids (`S…`).
 * Group members come from `usergroups.users.list` with the destination's bot token (scope
 * `usergroups:read`), kept for a short while. An action nobody is listed for is refused to everyone.
 */
export interface Authorizer {
  /** True when `userId` may do `action`. A group that cannot be read counts as not containing the user. */
  allowed(userId: string, action: TriageAction, token: string): Promise<boolean>;
}

/** Seconds a group's member list is kept. */
export const GROUP_CACHE_SECONDS = 60;

/** The authorizer of `triage`, reading groups through `slack`; `onGroupError` hears about unreadable groups. */
export function createAuthorizer(
  triage: Pick<TriageConfig, 'allow'>,
  slack: Pick<TriageSlack, 'call'>,
  now: () => number,
  onGroupError: (groupId: string, error: unknown) => void,
): Authorizer {
  const cache = new Map<string, { readonly users: ReadonlySet<string>; readonly untilMs: number }>();
  const members = async (groupId: string, token: string): Promise<ReadonlySet<string>> => {
    const cached = cache.get(groupId);
    if (cached !== undefined && cached.untilMs > now()) return cached.users;
    const answer = await slack.call('usergroups.users.list', token, { usergroup: groupId });
    const users = new Set(
      Array.isArray(answer.users) ? answer.users.filter((user): user is string => typeof user === 'string') : [],
    );
    cache.set(groupId, { users, untilMs: now() + GROUP_CACHE_SECONDS * 1000 });
    return users;
  };
  return {
    async allowed(userId, action, token) {
      const listed = triage.allow[action];
      if (listed.includes(userId)) return true;
      for (const groupId of listed.filter((id) => id.startsWith('S'))) {
        try {
          if ((await members(groupId, token)).has(userId)) return true;
        } catch (error) {
          onGroupError(groupId, error);
        }
      }
      return false;
    },
  };
}
