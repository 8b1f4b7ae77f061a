import { GetFilterCommand, type GuardDutyClient } from '@aws-sdk/client-guardduty';
import { sourceFiltersFor, type HubConfig } from '../../../shared/index.ts';
import { call } from '../../aws/index.ts';
import { isSlackFilter, listFilterNames } from './slack-filters.ts';

/**
 * A region's GuardDuty filters against the config: every `suppress` rule with `at: source` that
 * applies in the region is an ARCHIVE filter of the region stack (`sourceFiltersFor`); any other
 * filter was made outside the config, from Slack ("Suppress like this") or by hand.
 */

/** A filter the config's source rules make in the region that GuardDuty does not have. */
export interface MissingFilter {
  readonly name: string;
  /** Index of the rule in `suppress`. */
  readonly ruleIndex: number;
}

/** Where a filter that the config does not make came from. */
export type FilterOrigin = 'slack' | 'outside the config';

/** A filter GuardDuty has that the config does not make. */
export interface UnknownFilter {
  readonly name: string;
  /** `ARCHIVE` (hides findings) or `NOOP` (a saved view). */
  readonly action: string | undefined;
  /** `slack`: made by "Suppress like this" (listed under the filters made from Slack). */
  readonly origin: FilterOrigin;
}

/** The filters of one region's detector, against the config. */
export interface FilterDrift {
  /** Filters the config makes here (in `suppress` order) that GuardDuty lacks. */
  readonly missing: MissingFilter[];
  /** Filters GuardDuty has (in name order) that the config does not make. */
  readonly unknown: UnknownFilter[];
}

/** `ListFilters` against the config's source filters for `region`; `GetFilter` for each filter the config does not make. */
export async function readFilterDrift(
  guardduty: GuardDutyClient,
  config: Pick<HubConfig, 'hub' | 'suppress'>,
  region: string,
  detectorId: string,
): Promise<FilterDrift> {
  const present = new Set(await listFilterNames(guardduty, detectorId));
  const expected = sourceFiltersFor(config, region);
  const expectedNames = new Set(expected.map((filter) => filter.name));
  const missing = expected
    .filter((filter) => !present.has(filter.name))
    .map(({ name, ruleIndex }) => ({ name, ruleIndex }));
  const unknown: UnknownFilter[] = [];
  for (const name of [...present].filter((candidate) => !expectedNames.has(candidate)).sort()) {
    unknown.push(await describeUnknownFilter(guardduty, detectorId, name));
  }
  return { missing, unknown };
}

async function describeUnknownFilter(
  guardduty: GuardDutyClient,
  detectorId: string,
  name: string,
): Promise<UnknownFilter> {
  const filter = await call('GetFilter', () =>
    guardduty.send(new GetFilterCommand({ DetectorId: detectorId, FilterName: name })),
  );
  const origin = isSlackFilter(name, filter.Tags ?? {}) ? 'slack' : 'outside the config';
  return { name, action: filter.Action, origin };
}

/** True when a filter outside the config hides findings: it archives, and nobody made it from Slack (those `status` lists apart). */
export function filterWeakensDetection(filter: UnknownFilter): boolean {
  return filter.origin !== 'slack' && filter.action !== 'NOOP';
}
