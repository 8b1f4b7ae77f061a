import { createHash } from 'node:crypto';
import { alertView, accountText, regionText } from '../../core/message/index.ts';
import { findingKey, issueKey } from '../../core/state-keys.ts';
import type { NotifyGroup } from '../../core/repeats/index.ts';
import type { Finding, RoutedFinding } from '../../core/types.ts';
import type { SeverityBand } from '../../shared/severity.ts';
import { DETAIL_MAX_CHARS, PAGERDUTY_EVENTS_API } from './limits.ts';

/**
 * The events the hub sends to PagerDuty's Events API v2, made from the neutral message model
 * (`alertView`): a `trigger` per notification, `resolve` when the finding is archived, `acknowledge`.
 * The routing key is not part of an event: it is added only to the request body (`send.ts`), so an
 * event can be logged, previewed or kept on an outgoing message without it.
 */

/** What an event does to the alert of its `dedup_key`. */
export type EventAction = 'trigger' | 'acknowledge' | 'resolve';

/** PagerDuty's severities. */
export type PagerDutySeverity = 'critical' | 'error' | 'warning' | 'info';

/** The severity each GuardDuty band pages with. */
export const SEVERITY_OF_BAND: Readonly<Record<SeverityBand, PagerDutySeverity>> = {
  critical: 'critical',
  high: 'error',
  medium: 'warning',
  low: 'info',
};

/** A trigger's `payload` (PagerDuty Common Event Format). */
export interface TriggerPayload {
  /** At most 1,024 characters. */
  readonly summary: string;
  /** The account and region(s): `prod (444444444444) us-east-1`. */
  readonly source: string;
  readonly severity: PagerDutySeverity;
  /** ISO 8601: when GuardDuty last updated the finding. */
  readonly timestamp: string;
  /** The resource: `AccessKey AKIA… (alice)`. */
  readonly component: string;
  /** The account. */
  readonly group: string;
  /** The finding type. */
  readonly class: string;
  readonly custom_details: Readonly<Record<string, string>>;
}

/** One event without its routing key. */
export interface PagerDutyEvent {
  readonly event_action: EventAction;
  /** The issue's identity, at most 255 characters: the same key updates, acknowledges or resolves one alert. */
  readonly dedup_key: string;
  readonly client?: string;
  readonly payload?: TriggerPayload;
  readonly links?: readonly { readonly href: string; readonly text: string }[];
}

/** What a trigger may say besides the finding. */
export interface TriggerOptions {
  /** Why it is sent now: the repeat gate's reason (`new`, `severity-rose`, …). */
  readonly why?: string;
  /** A rerouted finding's note: `Sent here because team-a answered 404 channel_not_found`. */
  readonly note?: string;
}

/**
 * The `dedup_key` of a finding: its issue's key (`issue#type#account#identity`) when its resource has an
 * exact global identity (the same alert for every region's copy), else its own (`finding#id`); a key
 * longer than PagerDuty's 255 characters becomes `sha256:` and its hash.
 */
export function dedupKeyOf(finding: Pick<Finding, 'id' | 'type' | 'accountId' | 'foldIdentity'>): string {
  return dedupKeyFor(issueKey(finding) ?? findingKey(finding));
}

/**
 * The `dedup_key` for an issue's or a finding's state key (`issue#…` or `finding#…`): the key itself,
 * or past PagerDuty's 255 characters `sha256:` and its hash. {@link dedupKeyOf} of a finding is this of
 * its issue's key, else its own.
 */
export function dedupKeyFor(key: string): string {
  if ([...key].length <= PAGERDUTY_EVENTS_API.dedupKeyMaxChars) return key;
  return `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

/** `text` cut to at most `maxChars` characters (code points, never half a surrogate pair), ending in `…` when cut. */
export function cutText(text: string, maxChars: number): string {
  const chars = [...text];
  return chars.length <= maxChars ? text : `${chars.slice(0, maxChars - 1).join('')}…`;
}

/** The trigger for `routed` (a finding, or an issue seen in several regions). */
export function triggerEvent(
  routed: RoutedFinding,
  config: { readonly accounts: Readonly<Record<string, { readonly name: string }>> },
  options: TriggerOptions = {},
): PagerDutyEvent {
  const { finding } = routed;
  const view = alertView(routed, config);
  const field = (name: string) => view.fields.find(([fieldName]) => fieldName === name)?.[1] ?? '';
  const summary = `${view.sample ? '[sample] ' : ''}${view.summary}`;
  const details: (readonly [string, string])[] = [
    ...view.fields,
    ['Finding id', findingIds(routed).join(', ')],
    ['Description', view.description],
    ...optional('Why now', options.why),
    ...optional('Note', options.note),
    ...optional('Sample', view.sample ? 'a sample GuardDuty made on request, not a detection' : undefined),
  ];
  return {
    event_action: 'trigger',
    dedup_key: dedupKeyOf(finding),
    client: 'guardduty-hub',
    payload: {
      summary: cutText(summary, PAGERDUTY_EVENTS_API.summaryMaxChars),
      source: `${accountText(config, finding.accountId)} ${regionText(routed)}`,
      severity: SEVERITY_OF_BAND[finding.band],
      timestamp: finding.updatedAt,
      component: field('Resource').split('\n')[0] ?? '',
      group: accountText(config, finding.accountId),
      class: finding.type,
      custom_details: Object.fromEntries(details.map(([name, value]) => [name, cutText(value, DETAIL_MAX_CHARS)])),
    },
    links: consoleLinks(routed, view.footer.linkLabel),
  };
}

/** What may follow a trigger: `acknowledge` or `resolve`. */
export type FollowUpAction = Exclude<EventAction, 'trigger'>;

/** The event that closes (`resolve`) or acknowledges the alert of `finding`'s issue. */
export function followUpEvent(action: FollowUpAction, finding: Parameters<typeof dedupKeyOf>[0]): PagerDutyEvent {
  return followUpEventFor(action, issueKey(finding) ?? findingKey(finding));
}

/** The event that closes or acknowledges the alert of the issue or finding whose state key is `key` (see {@link dedupKeyFor}). */
export function followUpEventFor(action: FollowUpAction, key: string): PagerDutyEvent {
  return { event_action: action, dedup_key: dedupKeyFor(key) };
}

/** `[[name, value]]`, or nothing without a value. */
function optional(name: string, value: string | undefined): (readonly [string, string])[] {
  return value === undefined ? [] : [[name, value]];
}

/** Every finding a notification stands for: a folded issue's members (one per region), else the finding. */
function membersOf(routed: RoutedFinding | NotifyGroup): readonly RoutedFinding[] {
  return 'members' in routed && routed.members.length > 0 ? routed.members : [routed];
}

function findingIds(routed: RoutedFinding): string[] {
  return membersOf(routed).map((member) => member.finding.id);
}

/** One link per region's finding: `Open in GuardDuty console (us-east-1)`. */
function consoleLinks(routed: RoutedFinding, label: string): { href: string; text: string }[] {
  const members = membersOf(routed);
  return members.map((member) => ({
    href: member.finding.consoleUrl,
    text: members.length > 1 ? `${label} (${member.finding.region})` : label,
  }));
}
