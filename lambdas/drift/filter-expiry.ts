import {
  SLACK_FILTER_MADE_BY,
  SLACK_FILTER_PREFIX,
  SLACK_FILTER_REMIND_DAYS,
  SLACK_FILTER_TAGS,
  type HubConfig,
} from '../../shared/index.ts';
import { mention, utcMinute } from '../../destinations/slack-app/triage/state.ts';
import { FILTER_RENEW_ACTION_ID, renewValue } from '../../destinations/slack-app/triage/renew-filter.ts';

/**
 * The expiry of filters made by "Suppress like this", a step of the scheduled drift check. Each run
 * lists the hub's Slack-made filters in every configured region (their tags say owner, expiry and the
 * finding's thread); a filter within {@link SLACK_FILTER_REMIND_DAYS} days of its expiry gets one
 * reminder in the thread (with Renew), and an expired one is removed from every region, then said so.
 *
 * Messages are never lost: each is first kept in the state table (`filter-expiry`, owed notices) and
 * posted from there, on this run or the next ones, until Slack takes it. A removal is marked before the
 * first DeleteFilter, so a run that stops half-way finishes it next time and still owes its notice.
 */

/** The GuardDuty calls of the step in one region (the hub account's detectors). */
export interface FilterExpiryGuardDuty {
  listDetectorIds(): Promise<readonly string[]>;
  /** Every filter name of the detector (all pages). */
  listFilterNames(detectorId: string): Promise<readonly string[]>;
  /** The filter's tags (`GetFilter`'s `Tags`). */
  filterTags(detectorId: string, name: string): Promise<Readonly<Record<string, string>>>;
  deleteFilter(detectorId: string, name: string): Promise<void>;
}

/** A message owed to a finding's thread. */
export interface OwedNotice {
  readonly channel: string;
  readonly threadTs: string;
  readonly text: string;
  /** The Renew button, in an attachment as the hub's other messages carry their blocks. */
  readonly attachments?: readonly Record<string, unknown>[];
  /** Posts tried and failed so far. */
  readonly attempts: number;
}

/** What the step keeps between runs (one item of the state table). */
export interface FilterExpiryState {
  /** Filter name → the expiry (ISO) its owner was reminded of. */
  readonly reminded: Readonly<Record<string, string>>;
  /** Filters past expiry whose removal started, with what their notice says. */
  readonly removing: Readonly<Record<string, SlackMadeFilter>>;
  readonly owed: readonly OwedNotice[];
}

/** Loads and saves {@link FilterExpiryState}. */
export interface FilterExpiryStore {
  load(): Promise<FilterExpiryState>;
  save(state: FilterExpiryState): Promise<void>;
}

/** One Slack-made filter, as its tags describe it (the same in every region). */
export interface SlackMadeFilter {
  readonly name: string;
  readonly owner: string;
  readonly expiresAtMs: number;
  readonly channel: string;
  readonly threadTs: string;
}

/** What the step needs. */
export interface FilterExpiryOptions {
  readonly config: Pick<HubConfig, 'regions'>;
  readonly guardduty: (region: string) => FilterExpiryGuardDuty;
  readonly store: FilterExpiryStore;
  /** Posts one notice in its thread (`chat.postMessage` with the channel's app token); throws when Slack does not take it. */
  readonly post: (notice: OwedNotice) => Promise<void>;
  readonly now: () => number;
}

/** What one run did. */
export interface FilterExpiryReport {
  readonly reminded: readonly string[];
  readonly removed: readonly string[];
  /** Notices still owed after this run (Slack did not take them; tried again next run). */
  readonly owed: number;
  readonly failures: readonly { readonly where: string; readonly error: string }[];
}

/** Posts tried before a notice is given up (logged as an error): a channel gone for good. */
export const MAX_NOTICE_ATTEMPTS = 50;

const DAY_MS = 86_400_000;
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The filter its tags describe, or undefined for a filter without the hub's Slack tags (made before expiry existed). */
export function slackMadeFilter(name: string, tags: Readonly<Record<string, string>>): SlackMadeFilter | undefined {
  const expiresAtMs = Date.parse(tags[SLACK_FILTER_TAGS.expires] ?? '');
  const channel = tags[SLACK_FILTER_TAGS.channel];
  const threadTs = tags[SLACK_FILTER_TAGS.thread];
  if (tags[SLACK_FILTER_TAGS.madeBy] !== SLACK_FILTER_MADE_BY || Number.isNaN(expiresAtMs)) return undefined;
  if (channel === undefined || threadTs === undefined) return undefined;
  return { name, owner: tags[SLACK_FILTER_TAGS.user] ?? '', expiresAtMs, channel, threadTs };
}

/** Where each Slack-made filter is (region → detector), with its latest expiry across regions. */
async function collect(
  options: FilterExpiryOptions,
  failures: { where: string; error: string }[],
): Promise<Map<string, { filter: SlackMadeFilter; where: { region: string; detectorId: string }[] }>> {
  const found = new Map<string, { filter: SlackMadeFilter; where: { region: string; detectorId: string }[] }>();
  for (const region of options.config.regions) {
    try {
      const guardduty = options.guardduty(region);
      for (const detectorId of await guardduty.listDetectorIds()) {
        for (const name of await guardduty.listFilterNames(detectorId)) {
          if (!name.startsWith(SLACK_FILTER_PREFIX)) continue;
          const filter = slackMadeFilter(name, await guardduty.filterTags(detectorId, name));
          if (filter === undefined) continue;
          const seen = found.get(name);
          const latest = seen === undefined || seen.filter.expiresAtMs < filter.expiresAtMs ? filter : seen.filter;
          found.set(name, { filter: latest, where: [...(seen?.where ?? []), { region, detectorId }] });
        }
      }
    } catch (error) {
      failures.push({ where: region, error: messageOf(error) });
    }
  }
  return found;
}

/** The reminder in the finding's thread, with a Renew button. */
export function reminderNotice(filter: SlackMadeFilter, extendDays: number): OwedNotice {
  const text =
    `:hourglass_flowing_sand: ${mention(filter.owner)} the GuardDuty filter \`${filter.name}\` made here with "Suppress like this" ` +
    `expires ${utcMinute(filter.expiresAtMs)}: the hub then removes it from every region and findings like this reach this channel again. ` +
    `Renew keeps it ${extendDays} more days.`;
  const button = {
    type: 'button',
    action_id: FILTER_RENEW_ACTION_ID,
    text: { type: 'plain_text', text: 'Renew' },
    value: renewValue(filter.name),
  };
  return {
    channel: filter.channel,
    threadTs: filter.threadTs,
    text,
    attachments: [{ fallback: text, blocks: [{ type: 'actions', block_id: 'gdh-filter-renew', elements: [button] }] }],
    attempts: 0,
  };
}

/** The notice after a removal. */
export function removalNotice(filter: SlackMadeFilter, regions: readonly string[]): OwedNotice {
  const where = regions.length > 0 ? regions.join(', ') : 'every region (it was already gone)';
  const text =
    `:loud_sound: The GuardDuty filter \`${filter.name}\` (made by ${mention(filter.owner)} with "Suppress like this") expired ` +
    `${utcMinute(filter.expiresAtMs)} and was removed from ${where}. Findings like this reach this channel again.`;
  return { channel: filter.channel, threadTs: filter.threadTs, text, attempts: 0 };
}

/** One run: reminders and removals decided, removals done, owed notices posted. */
export async function runFilterExpiry(options: FilterExpiryOptions, extendDays: number): Promise<FilterExpiryReport> {
  const failures: { where: string; error: string }[] = [];
  const found = await collect(options, failures);
  const state = await options.store.load();
  const nowMs = options.now();
  const reminded = { ...state.reminded };
  const removing = { ...state.removing };
  const owed = [...state.owed];
  const remindedNow: string[] = [];
  for (const { filter } of found.values()) {
    const iso = new Date(filter.expiresAtMs).toISOString();
    if (nowMs >= filter.expiresAtMs) removing[filter.name] ??= filter;
    else if (nowMs >= filter.expiresAtMs - SLACK_FILTER_REMIND_DAYS * DAY_MS && reminded[filter.name] !== iso) {
      owed.push(reminderNotice(filter, extendDays));
      reminded[filter.name] = iso;
      remindedNow.push(filter.name);
    }
  }
  await options.store.save({ reminded, removing, owed });
  const removed = await removeExpired(options, found, { reminded, removing, owed }, failures);
  const left = await postOwed(options, owed, failures);
  await options.store.save({ reminded, removing, owed: left });
  return { reminded: remindedNow, removed, owed: left.length, failures };
}

/** Deletes each filter marked for removal wherever it still is; once gone everywhere, owes its notice. */
async function removeExpired(
  options: FilterExpiryOptions,
  found: Awaited<ReturnType<typeof collect>>,
  state: { reminded: Record<string, string>; removing: Record<string, SlackMadeFilter>; owed: OwedNotice[] },
  failures: { where: string; error: string }[],
): Promise<string[]> {
  const removed: string[] = [];
  for (const [name, filter] of Object.entries(state.removing)) {
    const where = found.get(name)?.where ?? [];
    const results = await Promise.allSettled(
      where.map(({ region, detectorId }) => options.guardduty(region).deleteFilter(detectorId, name)),
    );
    results.forEach((result, i) => {
      if (result.status === 'rejected')
        failures.push({ where: `${where[i]?.region} ${name}`, error: messageOf(result.reason) });
    });
    if (results.some((result) => result.status === 'rejected')) continue;
    state.owed.push(
      removalNotice(
        filter,
        where.map(({ region }) => region),
      ),
    );
    delete state.removing[name];
    delete state.reminded[name];
    removed.push(name);
  }
  return removed;
}

/** Posts every owed notice; returns those Slack did not take (one more attempt counted), dropping the hopeless. */
async function postOwed(
  options: FilterExpiryOptions,
  owed: readonly OwedNotice[],
  failures: { where: string; error: string }[],
): Promise<OwedNotice[]> {
  const left: OwedNotice[] = [];
  for (const notice of owed) {
    try {
      await options.post(notice);
    } catch (error) {
      failures.push({ where: `Slack ${notice.channel} ${notice.threadTs}`, error: messageOf(error) });
      if (notice.attempts + 1 < MAX_NOTICE_ATTEMPTS) left.push({ ...notice, attempts: notice.attempts + 1 });
    }
  }
  return left;
}
