import { GetFilterCommand, ListFiltersCommand, type GuardDutyClient } from '@aws-sdk/client-guardduty';
import { SLACK_FILTER_MADE_BY, SLACK_FILTER_PREFIX, SLACK_FILTER_TAGS, type HubConfig } from '../../../shared/index.ts';
import { call, failed, section, type Section } from '../../aws/index.ts';
import type { RegionStatus } from './guardduty.ts';
import { suggestSuppressRule, type Criteria, type SuppressSuggestion } from './suppress-suggestion.ts';

/** One GuardDuty filter made from Slack ("Suppress like this"), as `status` shows it. */
export interface SlackFilter {
  readonly name: string;
  /** `ARCHIVE` (what the button makes) or `NOOP`. */
  readonly action: string | undefined;
  readonly rank: number | undefined;
  readonly description: string | undefined;
  /** The Slack user id (`U…`) who confirmed it (tag {@link SLACK_FILTER_TAGS.user}). */
  readonly madeBy: string | undefined;
  /** The finding it was made from (tag {@link SLACK_FILTER_TAGS.finding}). */
  readonly finding: string | undefined;
  /** When the drift check removes it unless renewed, ISO 8601 (tag {@link SLACK_FILTER_TAGS.expires}); none on filters made before. */
  readonly expires: string | undefined;
  /** `FindingCriteria.Criterion` as GuardDuty returns it. */
  readonly criteria: Criteria;
}

/** The Slack-made filters of one region. */
export interface RegionSlackFilters {
  readonly region: string;
  /** Empty when the region has no detector. */
  readonly filters: Section<SlackFilter[]>;
}

/** Filters with the same name and criteria across regions (one "Suppress like this" makes one per region), with their `suppress:` rule. */
export interface SlackSuppression {
  readonly name: string;
  readonly regions: readonly string[];
  readonly madeBy: string | undefined;
  readonly finding: string | undefined;
  /** The latest expiry among its regions (Renew pushes it out in every region). */
  readonly expires: string | undefined;
  readonly criteria: Criteria;
  readonly suggestion: SuppressSuggestion;
}

/** What `status` reports about Slack-made filters. */
export interface SlackFiltersStatus {
  /** True when the config has `triage:` (filters may also be left from before it was removed). */
  readonly triageConfigured: boolean;
  readonly regions: RegionSlackFilters[];
  /** One entry per suppression, in the order first seen (config region order). */
  readonly suppressions: SlackSuppression[];
}

/**
 * Every filter of the detector whose name has {@link SLACK_FILTER_PREFIX} and that is tagged
 * {@link SLACK_FILTER_TAGS.madeBy} = {@link SLACK_FILTER_MADE_BY}: `ListFilters` (all pages), then
 * `GetFilter` for the criteria and tags of each candidate.
 */
export async function readSlackFilters(guardduty: GuardDutyClient, detectorId: string): Promise<SlackFilter[]> {
  const names = await listFilterNames(guardduty, detectorId);
  const filters: SlackFilter[] = [];
  for (const name of names.filter((candidate) => candidate.startsWith(SLACK_FILTER_PREFIX))) {
    const filter = await call('GetFilter', () =>
      guardduty.send(new GetFilterCommand({ DetectorId: detectorId, FilterName: name })),
    );
    const tags = filter.Tags ?? {};
    if (!isSlackFilter(name, tags)) continue;
    filters.push({
      name,
      action: filter.Action,
      rank: filter.Rank,
      description: filter.Description,
      madeBy: tags[SLACK_FILTER_TAGS.user],
      finding: tags[SLACK_FILTER_TAGS.finding],
      expires: tags[SLACK_FILTER_TAGS.expires],
      criteria: filter.FindingCriteria?.Criterion ?? {},
    });
  }
  return filters;
}

/** The names of every filter of the detector: `ListFilters`, all pages. */
export async function listFilterNames(guardduty: GuardDutyClient, detectorId: string): Promise<string[]> {
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await call('ListFilters', () =>
      guardduty.send(new ListFiltersCommand({ DetectorId: detectorId, NextToken: nextToken })),
    );
    names.push(...(page.FilterNames ?? []));
    nextToken = page.NextToken || undefined;
  } while (nextToken);
  return names;
}

/** True for a filter made from Slack: its name has {@link SLACK_FILTER_PREFIX} and it is tagged made-by=slack. */
export function isSlackFilter(name: string, tags: Readonly<Record<string, string>>): boolean {
  return name.startsWith(SLACK_FILTER_PREFIX) && tags[SLACK_FILTER_TAGS.madeBy] === SLACK_FILTER_MADE_BY;
}

/** Reads each region that has a detector (from `regions`, which `status` already read) and groups the suppressions. */
export async function readSlackFiltersStatus(
  guardduty: (region: string) => GuardDutyClient,
  config: Pick<HubConfig, 'regions' | 'triage'>,
  regions: readonly RegionStatus[],
  read: (client: GuardDutyClient, detectorId: string) => Promise<SlackFilter[]> = readSlackFilters,
): Promise<SlackFiltersStatus> {
  const perRegion = await Promise.all(
    regions.map(async ({ region, detector }): Promise<RegionSlackFilters> => {
      if (detector === null || failed(detector)) return { region, filters: [] };
      return { region, filters: await section(() => read(guardduty(region), detector.id)) };
    }),
  );
  return {
    triageConfigured: config.triage !== undefined,
    regions: perRegion,
    suppressions: groupSuppressions(perRegion, config.regions),
  };
}

/** Filters of the same name and criteria are one suppression, whatever the regions they are in. */
export function groupSuppressions(
  regions: readonly RegionSlackFilters[],
  configuredRegions: readonly string[],
): SlackSuppression[] {
  const groups = new Map<string, { filter: SlackFilter; regions: string[]; expires: string | undefined }>();
  for (const { region, filters } of regions) {
    if (failed(filters)) continue;
    for (const filter of filters) {
      const key = JSON.stringify([filter.name, filter.criteria]);
      const group = groups.get(key) ?? { filter, regions: [], expires: undefined };
      group.regions.push(region);
      if (filter.expires !== undefined && (group.expires === undefined || filter.expires > group.expires))
        group.expires = filter.expires;
      groups.set(key, group);
    }
  }
  return [...groups.values()].map(({ filter, regions: where, expires }) => ({
    name: filter.name,
    regions: where,
    madeBy: filter.madeBy,
    finding: filter.finding,
    expires,
    criteria: filter.criteria,
    suggestion: suggestSuppressRule(filter.criteria, where, configuredRegions),
  }));
}
