import { SLACK_LIMITS } from '../limits.ts';
import type { RoutedFinding } from '../../../core/types.ts';
import type { SlackPayload } from './types.ts';
import { escapeSlack, escapeTruncated, slackLink, truncateMrkdwn, truncatePlain } from './escape.ts';
import { alertView, type AlertView, type ViewField } from '../../../core/message/index.ts';
import { contextBlock, mrkdwn, noteBlock } from './format.ts';
import { sectionBlock } from './family.ts';
import type { Block, RenderConfig } from './types.ts';

/** What a sample finding's header and notification text start with (GuardDuty's console says the same). */
export const SAMPLE_MARK = '[SAMPLE]';

/** Longest title shown in the linked title line (raw characters before escaping grow it). */
const TITLE_CHARS = 500;

/**
 * One finding as one Slack message, rendered from its neutral view (`core/message`): severity
 * header, linked title, fields (account, region, type, resource, count, first and last seen),
 * description, the family's sections, and a link to the GuardDuty console. A finding folded from
 * several regions gets a `Regions` field naming them all. Everything from the finding is escaped.
 */
export function renderSingle(routed: RoutedFinding, config: RenderConfig, note?: string): SlackPayload {
  return renderView(alertView(routed, config), config, note);
}

/** A view as one Slack message: blocks inside an attachment of the severity's colour. */
export function renderView(view: AlertView, config: Pick<RenderConfig, 'colors'>, note?: string): SlackPayload {
  // GuardDuty's console marks samples [SAMPLE]; so do the header and the notification text.
  const sample = view.sample ? `${SAMPLE_MARK} ` : '';
  const field = ([name, rawValue]: ViewField) =>
    mrkdwn(truncateMrkdwn(`*${name}*\n${escapeSlack(rawValue)}`, SLACK_LIMITS.fieldTextChars));
  const header = truncatePlain(`${sample}${view.severity} · ${view.what}`, SLACK_LIMITS.headerTextChars);
  const blocks: (Block | undefined)[] = [
    noteBlock(note, SLACK_LIMITS.contextTextChars),
    { type: 'header', text: { type: 'plain_text', text: header } },
    { type: 'section', text: mrkdwn(`*${slackLink(view.url, view.title, TITLE_CHARS)}*`) },
    { type: 'section', fields: view.fields.map(field) },
    view.description === ''
      ? undefined
      : { type: 'section', text: mrkdwn(escapeTruncated(view.description, SLACK_LIMITS.sectionTextChars)) },
    ...view.sections.map(sectionBlock),
    contextBlock(
      `${slackLink(view.url, view.footer.linkLabel, 100)} · ${view.footer.idLabel} ${escapeTruncated(view.footer.id, 200)}`,
    ),
  ];
  return {
    text: escapeTruncated(`${sample}${view.summary}`, SLACK_LIMITS.topLevelTextChars),
    attachments: [{ color: config.colors[view.band], blocks: blocks.filter((b): b is Block => b !== undefined) }],
  };
}
