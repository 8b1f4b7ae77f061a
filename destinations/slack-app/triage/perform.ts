import { SLACK_FILTER_REMIND_DAYS, type TriageAction } from '../../../shared/index.ts';
import { escapeEntities } from '../../slack/render/index.ts';
import { criteriaText, suppressCriteria, suppressFilterName } from './criteria.ts';
import { TriageGuardDutyError, TriagePayloadError } from './errors.ts';
import type { TriageGuardDuty } from './guardduty.ts';
import { mention, utcMinute } from './state.ts';
import type { TriageTarget } from './target.ts';

/**
 * One action's effect in GuardDuty, and the thread reply saying what was done. Acknowledge touches
 * nothing in GuardDuty; Archive and Unarchive use the hub's detector in the finding's region (the
 * administrator's detector covers its members' findings); Suppress makes one filter in every
 * configured region, "already exists" counting as done.
 */

/** What an action did in GuardDuty: the regions, and the filter made. */
export interface Performed {
  readonly regions: readonly string[];
  readonly filter?: string;
  /** When the filter expires unless renewed, epoch ms. */
  readonly expiresAtMs?: number;
}

/** Where a suppression's filter is announced and when it expires (its tags). */
export interface SuppressContext {
  readonly expiresAtMs?: number;
  readonly thread?: { readonly channel: string; readonly ts: string };
}

/** The filter name `action` would make (only suppress makes one). */
export function filterNameFor(action: TriageAction, target: TriageTarget): string | undefined {
  return action === 'suppress' ? suppressFilterName(suppressCriteria(target)) : undefined;
}

/** Does `action` on `target`; throws {@link TriageGuardDutyError} naming the region that failed. */
export async function perform(
  action: TriageAction,
  target: TriageTarget,
  userId: string,
  guardduty: TriageGuardDuty,
  regions: readonly string[],
  context: SuppressContext = {},
): Promise<Performed> {
  switch (action) {
    case 'acknowledge':
      return { regions: [] };
    case 'archive':
      await guardduty.archive(target.region, [target.findingId]);
      return { regions: [target.region] };
    case 'unarchive':
      await guardduty.unarchive(target.region, [target.findingId]);
      return { regions: [target.region] };
    case 'suppress': {
      const criteria = suppressCriteria(target);
      const name = suppressFilterName(criteria);
      const description = `Made from Slack by ${userId} ("Suppress like this" on finding ${target.findingId})`.slice(
        0,
        512,
      );
      const results = await Promise.allSettled(
        regions.map((region) =>
          guardduty.createFilter(region, {
            name,
            description,
            criteria,
            userId,
            findingId: target.findingId,
            ...context,
          }),
        ),
      );
      const failed = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
      if (failed.length > 0) throw failed.find((error) => error instanceof TriageGuardDutyError) ?? failed[0];
      return {
        regions,
        filter: name,
        ...(context.expiresAtMs === undefined ? {} : { expiresAtMs: context.expiresAtMs }),
      };
    }
    case 'silence':
      // The front opens the modal; a silence is made by its submission, never by a job.
      throw new TriagePayloadError('Silence… opens a modal: the front answers it, not the worker');
  }
}

/** The thread reply after `action` (mrkdwn; finding text escaped). */
export function replyFor(
  action: TriageAction,
  target: TriageTarget,
  userId: string,
  atMs: number,
  performed: Performed,
): string {
  const who = `${mention(userId)} at ${utcMinute(atMs)}`;
  switch (action) {
    case 'acknowledge':
      return `:eyes: Acknowledged by ${who}.`;
    case 'archive':
      return `:file_folder: Archived in GuardDuty by ${who} (ArchiveFindings in ${target.region}).`;
    case 'unarchive':
      return `:open_file_folder: Unarchived in GuardDuty by ${who} (UnarchiveFindings in ${target.region}).`;
    case 'suppress':
      return (
        `:mute: Suppressed like this by ${who}: GuardDuty filter \`${performed.filter ?? ''}\` (action ARCHIVE) in ${performed.regions.join(', ')} ` +
        `for findings with\n\`\`\`${escapeEntities(criteriaText(suppressCriteria(target)))}\`\`\`\n` +
        (performed.expiresAtMs === undefined
          ? ''
          : `It is removed ${utcMinute(performed.expiresAtMs)} unless renewed; ${mention(userId)} is reminded here ${SLACK_FILTER_REMIND_DAYS} days before. `) +
        `Move it into the config's \`suppress:\` rules (see \`guardduty-hub status\`).`
      );
    case 'silence':
      return `:no_bell: Silenced by ${who}.`;
  }
}
