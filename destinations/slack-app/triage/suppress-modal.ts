import { ARCHIVED_CORRELATION_COST, SLACK_FILTER_REMIND_DAYS, SUPPRESS_BACKTEST_DAYS } from '../../../shared/index.ts';
import { BAND_LABEL, SEVERITY_BANDS } from '../../../shared/severity.ts';
import { escapeEntities, truncatePlain } from '../../slack/render/escape.ts';
import type { Block } from '../../slack/render/types.ts';
import type { Backtest } from './backtest.ts';
import { criteriaText, suppressCriteria } from './criteria.ts';
import type { SilenceSubject } from './silence-modal.ts';
import { utcMinute } from './state.ts';

/**
 * The "Suppress like this" modal, which replaced a static confirm dialog so that the cost shows
 * before the filter is made: the filter's criteria, what it would have matched in the last
 * {@link SUPPRESS_BACKTEST_DAYS} days (by account and severity, and how many in an attack sequence),
 * the correlation it takes from GuardDuty ({@link ARCHIVED_CORRELATION_COST}), when it expires, and
 * "Silence instead". It opens at once with the criteria and "Counting…" (no submit), and is updated
 * with the figures; its `private_metadata` is the Silence… modal's sealed subject, so "Silence
 * instead" can turn it into that modal and a submission names only what a signed click showed.
 */

/** `callback_id` of the modal: its `view_submission` makes the filter. */
export const SUPPRESS_CALLBACK_ID = 'gdh-triage-suppress';

/** `action_id` of the modal's "Silence instead" button. */
export const SILENCE_INSTEAD_ACTION_ID = 'gdh-triage-silence-instead';

/** Slack's limit on a section's text, in characters. */
const SECTION_TEXT_MAX_CHARS = 3000;

/** What the full modal shows beside its subject. */
export interface SuppressModalFacts {
  readonly regions: readonly string[];
  /** The figures, or why there are none (the history could not be read in time). */
  readonly backtest: Backtest | { readonly problem: string };
  /** When the filter would expire, epoch ms. */
  readonly expiresAtMs: number;
  /** Offer "Silence instead" (the finding may be silenced from Slack and someone may silence). */
  readonly silenceOffered: boolean;
  /** Account names from the config, for the figures. */
  readonly accountNames: Readonly<Record<string, string>>;
}

const plain = (text: string) => ({ type: 'plain_text', text });
const section = (text: string): Block => ({
  type: 'section',
  text: { type: 'mrkdwn', text: truncatePlain(text, SECTION_TEXT_MAX_CHARS) },
});

/** The modal's frame: title, callback, metadata, Cancel. */
function frame(metadata: string, blocks: Block[], submit: boolean): Record<string, unknown> {
  return {
    type: 'modal',
    callback_id: SUPPRESS_CALLBACK_ID,
    private_metadata: metadata,
    title: plain('Suppress like this?'),
    ...(submit ? { submit: plain('Create filter') } : {}),
    close: plain('Cancel'),
    blocks,
  };
}

/** The criteria block: what the filter matches, where it is made. */
function criteriaBlock(subject: SilenceSubject, regions: readonly string[]): Block {
  const criteria = escapeEntities(criteriaText(suppressCriteria(subject.target)));
  return section(
    `Creates a GuardDuty filter (action ARCHIVE) in ${regions.join(', ')} for findings with:\n\`\`\`${criteria}\`\`\``,
  );
}

/** The view `views.open` shows at once: the criteria and "Counting…", no submit. */
export function suppressLoadingView(
  subject: SilenceSubject,
  metadata: string,
  regions: readonly string[],
): Record<string, unknown> {
  const counting = `:hourglass_flowing_sand: Counting the findings of the last ${SUPPRESS_BACKTEST_DAYS} days this filter would have matched…`;
  return frame(metadata, [criteriaBlock(subject, regions), section(counting)], false);
}

/** The figures as mrkdwn lines. */
export function backtestText(backtest: Backtest, accountNames: Readonly<Record<string, string>>): string {
  const window = `*Last ${SUPPRESS_BACKTEST_DAYS} days:*`;
  const atLeast = backtest.complete ? '' : 'at least ';
  if (backtest.total === 0) return `${window} no finding the hub notified matches these criteria.`;
  const noun = backtest.total === 1 ? 'finding' : 'findings';
  const sequence =
    backtest.inSequence === 0
      ? 'none of them in an attack sequence'
      : `*${atLeast}${backtest.inSequence} in an attack sequence*`;
  const lines = backtest.byAccount.map(({ accountId, bands }) => {
    const name = accountNames[accountId];
    const counts = [...SEVERITY_BANDS]
      .reverse()
      .filter((band) => bands[band] > 0)
      .map((band) => `${bands[band]} ${BAND_LABEL[band]}`);
    return `• ${accountId}${name === undefined ? '' : ` (${escapeEntities(name)})`}: ${counts.join(' · ')}`;
  });
  return [
    `${window} ${atLeast}${backtest.total} ${noun} the hub notified would have been archived (${sequence}).`,
    ...lines,
  ].join('\n');
}

/** The full modal: criteria, figures, the correlation cost, the expiry, "Create filter" and "Silence instead". */
export function suppressModal(
  subject: SilenceSubject,
  metadata: string,
  facts: SuppressModalFacts,
): Record<string, unknown> {
  const figures =
    'problem' in facts.backtest
      ? `*Last ${SUPPRESS_BACKTEST_DAYS} days:* could not be counted (${escapeEntities(facts.backtest.problem)}).`
      : backtestText(facts.backtest, facts.accountNames);
  const expiry = `The filter expires ${utcMinute(facts.expiresAtMs)} unless renewed; you are reminded in the finding's thread ${SLACK_FILTER_REMIND_DAYS} days before.`;
  const silence: Block = facts.silenceOffered
    ? {
        type: 'actions',
        block_id: 'gdh-suppress-instead',
        elements: [
          { type: 'button', action_id: SILENCE_INSTEAD_ACTION_ID, text: plain('Silence instead'), value: 'silence' },
        ],
      }
    : section(
        'Silence instead is not offered here: this finding cannot be silenced from Slack, or nobody may silence.',
      );
  const blocks = [
    criteriaBlock(subject, facts.regions),
    section(figures),
    section(
      `:warning: ${ARCHIVED_CORRELATION_COST}. A silence quiets the hub only, for a set time, and GuardDuty keeps correlating.`,
    ),
    { type: 'context', elements: [{ type: 'mrkdwn', text: expiry }] },
    silence,
  ];
  return frame(metadata, blocks, true);
}

/** A view that replaces a modal to say why nothing was done (`views.update`, or a submission's `response_action: update`). */
export function noticeView(title: string, text: string): Record<string, unknown> {
  return {
    type: 'modal',
    title: plain(truncatePlain(title, 24)),
    close: plain('Close'),
    blocks: [section(escapeEntities(text))],
  };
}
