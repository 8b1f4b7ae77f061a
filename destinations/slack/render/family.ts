import type { ViewSection } from '../../../core/message/index.ts';
import { escapeTruncated, slackLink } from './escape.ts';
import { mrkdwn } from './format.ts';
import { listFields, listSection } from './lists.ts';
import type { Block } from './types.ts';

/**
 * A family section of a finding's view (`core/message`) as a Slack block: a list in a section (the
 * first few, then `…and N more`), lists side by side as fields, name/value fields, or a line with a
 * link. Everything escaped and within Slack's limits.
 */
export function sectionBlock(section: ViewSection): Block | undefined {
  switch (section.kind) {
    case 'list':
      return listSection(section.title, section.entries, section.shown);
    case 'lists':
      return listFields(section.lists, section.shown);
    case 'fields': {
      const fields = section.fields.map(([name, value]) =>
        mrkdwn(`*${escapeTruncated(name, 100)}*\n${escapeTruncated(value, 1_800)}`),
      );
      return fields.length === 0 ? undefined : { type: 'section', fields };
    }
    case 'link': {
      const link =
        section.url === undefined ? escapeTruncated(section.label, 500) : slackLink(section.url, section.label, 300);
      return { type: 'section', text: mrkdwn(`*${section.prefix}* ${link}`) };
    }
  }
}
