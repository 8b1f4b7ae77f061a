import type { TriageAction } from '../../../shared/index.ts';

/**
 * The triage state of one parent message, kept on its record in the state table (JSON text) and shown
 * on the parent: who acknowledged, archived or unarchived, and suppressed, and when.
 */

/** Who did something, and when. */
export interface TriageMark {
  /** Slack user id (`U…`, `W…`). */
  readonly by: string;
  /** Epoch milliseconds. */
  readonly atMs: number;
}

/** What was done from Slack on one finding. */
export interface TriageState {
  readonly acknowledged?: TriageMark;
  /** The last Archive (`archived: true`) or Unarchive (`archived: false`). */
  readonly archive?: TriageMark & { readonly archived: boolean };
  /** The filter "Suppress like this" made. */
  readonly suppressed?: TriageMark & { readonly filter: string };
}

/** The state in a record's text (an unreadable text counts as nothing done). */
export function parseTriageState(text: string | undefined): TriageState {
  if (text === undefined || text === '') return {};
  try {
    const raw = JSON.parse(text) as TriageState | null;
    return raw !== null && typeof raw === 'object' ? raw : {};
  } catch {
    return {};
  }
}

/** True when `action` would change nothing: its outcome is already the state (a double click). */
export function alreadyDone(state: TriageState, action: TriageAction): boolean {
  switch (action) {
    case 'acknowledge':
      return state.acknowledged !== undefined;
    case 'archive':
      return state.archive?.archived === true;
    case 'unarchive':
      return state.archive !== undefined && !state.archive.archived;
    case 'suppress':
      return state.suppressed !== undefined;
    case 'silence':
      // A silence is its own record, not a mark on the parent: another one is never "already done".
      return false;
  }
}

/** The state after `action` by `mark` (`filter`: the name of the filter a suppression made). */
export function withAction(state: TriageState, action: TriageAction, mark: TriageMark, filter = ''): TriageState {
  switch (action) {
    case 'acknowledge':
      return { ...state, acknowledged: mark };
    case 'archive':
    case 'unarchive':
      return { ...state, archive: { ...mark, archived: action === 'archive' } };
    case 'suppress':
      return { ...state, suppressed: { ...mark, filter } };
    case 'silence':
      return state;
  }
}

/** A Slack user id as a mention (`<@U…>`); anything else is not rendered (ids come from Slack, but still). */
export function mention(userId: string): string {
  return /^[UW][A-Z0-9]{2,}$/.test(userId) ? `<@${userId}>` : 'someone';
}

/** `2026-12-02 04:31 UTC` */
export function utcMinute(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The state as one mrkdwn line for the parent, or undefined when nothing was done. */
export function stateLine(state: TriageState): string | undefined {
  const parts: string[] = [];
  if (state.acknowledged)
    parts.push(`Acknowledged by ${mention(state.acknowledged.by)} at ${utcMinute(state.acknowledged.atMs)}`);
  if (state.archive)
    parts.push(
      `${state.archive.archived ? 'Archived' : 'Unarchived'} by ${mention(state.archive.by)} at ${utcMinute(state.archive.atMs)}`,
    );
  if (state.suppressed)
    parts.push(
      `Suppressed like this by ${mention(state.suppressed.by)} at ${utcMinute(state.suppressed.atMs)} (filter \`${state.suppressed.filter}\`)`,
    );
  return parts.length === 0 ? undefined : parts.join(' · ');
}
