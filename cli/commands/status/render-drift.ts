import { failed, type Section } from '../../aws/index.ts';
import { renderTable } from '../../output/index.ts';
import type { AlarmStatus } from './alarms.ts';
import type { RegionDrift } from './drift.ts';
import type { FilterDrift, UnknownFilter } from './filter-drift.ts';
import { disabledFeatures, type RegionStatus } from './guardduty.ts';
import { THREAT_LIST_KINDS, THREAT_LIST_SPECS, type ThreatListsStatus } from './threat-lists.ts';

/** One line of a region's drift: what it is about, its text, and whether it shows drift. */
interface DriftLine {
  readonly what: string;
  readonly detail: string;
  readonly drifted: boolean;
}

/**
 * The drift block, compact: a region without drift is one row summing up what was read; a region
 * with drift gets one row per part that drifted (features, filters, lists, alarms) or could not be read.
 */
export function driftBlock(drift: readonly RegionDrift[], regions: readonly RegionStatus[]): string {
  const rows = drift.flatMap((region) => {
    const lines = [
      featuresLine(regions.find((candidate) => candidate.region === region.region)),
      filtersLine(region.filters),
      listsLine(region.threatLists),
      alarmsLine(region.alarms),
    ];
    const drifted = lines.filter((line) => line.drifted);
    if (drifted.length === 0)
      return [[region.region, 'ok', lines.map((line) => `${line.what} ${line.detail}`).join(', ')]];
    return drifted.map((line, i) => [i === 0 ? region.region : '', line.what, line.detail]);
  });
  return `Drift (config against GuardDuty and CloudWatch, per region)\n${renderTable({ rows }, '  ')}`;
}

/** Features: the detector's own problems (none, unreadable) show in the GuardDuty block, not here. */
function featuresLine(region: RegionStatus | undefined): DriftLine {
  const line = (detail: string, drifted = false) => ({ what: 'features', detail, drifted });
  const detector = region?.detector;
  if (detector === undefined || detector === null) return line('not read (no detector)');
  if (failed(detector)) return line('not read (detector unreadable)');
  if (detector.features.length === 0) return line('none listed');
  const disabled = disabledFeatures(detector);
  const enabled = detector.features.filter((feature) => feature.status === 'ENABLED').length;
  if (disabled.length === 0) return line(`all ${enabled} enabled`);
  return line(`${enabled} enabled; disabled: ${disabled.join(', ')}`, true);
}

function filtersLine(filters: Section<FilterDrift>): DriftLine {
  if (failed(filters)) return { what: 'filters', detail: filters.error, drifted: true };
  const parts = [
    ...(filters.missing.length === 0
      ? []
      : [`missing: ${filters.missing.map((f) => `${f.name} (suppress[${f.ruleIndex}])`).join(', ')}`]),
    ...(filters.unknown.length === 0 ? [] : [`not in config: ${filters.unknown.map(unknownFilterText).join(', ')}`]),
  ];
  return {
    what: 'filters',
    detail: parts.length === 0 ? 'as in the config' : parts.join('; '),
    drifted: parts.length > 0,
  };
}

function unknownFilterText(filter: UnknownFilter): string {
  return filter.origin === 'slack'
    ? `${filter.name} (made from Slack, listed below)`
    : `${filter.name} (${filter.action ?? '?'})`;
}

function listsLine(lists: ThreatListsStatus): DriftLine {
  const parts = THREAT_LIST_KINDS.flatMap((kind) => {
    const found = lists[kind];
    const label = THREAT_LIST_SPECS[kind].label;
    if (failed(found)) return [`${label}s: ${found.error}`];
    return found.map((list) => `${label} ${list.name} ${list.status}`);
  });
  return { what: 'lists', detail: parts.length === 0 ? 'none' : parts.join('; '), drifted: parts.length > 0 };
}

function alarmsLine(alarms: Section<AlarmStatus[]>): DriftLine {
  const line = (detail: string, drifted = false) => ({ what: 'alarms', detail, drifted });
  if (failed(alarms)) return line(alarms.error, true);
  if (alarms.length === 0) return line('none found');
  const notOk = alarms.filter((alarm) => alarm.state !== 'OK');
  if (notOk.length === 0) return line(`${alarms.length}, all OK`);
  return line(`${alarms.length}; ${notOk.map((alarm) => `${alarm.name} ${alarm.state}`).join(', ')}`, true);
}
