import { failed, type Section } from '../../aws/index.ts';
import { renderTable } from '../../output/index.ts';
import type { AlarmStatus } from './alarms.ts';
import { canaryLine } from './canary.ts';
import { ruleInDryRun, type RuleAssociation } from './detection-rules.ts';
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
 * with drift gets one row per part that drifted (features, members, filters, lists, rules, alarms) or
 * could not be read.
 */
export function driftBlock(drift: readonly RegionDrift[], regions: readonly RegionStatus[]): string {
  const rows = drift.flatMap((region) => {
    const status = regions.find((candidate) => candidate.region === region.region);
    const lines = [
      featuresLine(status),
      membersLine(status),
      filtersLine(region.filters),
      listsLine(region.threatLists),
      rulesLine(region.detectionRules),
      canaryLine(region.canary),
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

/**
 * Members: those the config expects that are not `Enabled` (removed, resigned, invited, not a member)
 * drift; members the config does not list are counted, never drift. A detector or member list that
 * could not be read shows in the GuardDuty block.
 */
function membersLine(region: RegionStatus | undefined): DriftLine {
  const line = (detail: string, drifted = false) => ({ what: 'members', detail, drifted });
  if (region === undefined || region.detector === null || failed(region.detector))
    return line('not read (no detector)');
  if (failed(region.members)) return line('not read (members unreadable)');
  const expected = region.members.filter((member) => member.expected === 'Enabled');
  const others = region.members.length - expected.length;
  const extra = others === 0 ? '' : `, ${others} not in config`;
  const notEnabled = expected.filter((member) => !member.ok);
  if (notEnabled.length === 0)
    return line(`${expected.length === 0 ? 'none expected' : `${expected.length} Enabled`}${extra}`);
  const names = notEnabled.map((m) => `${m.accountId}${m.name ? ` (${m.name})` : ''} ${m.status}`);
  return line(`${expected.length - notEnabled.length} Enabled; not Enabled: ${names.join(', ')}${extra}`, true);
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

/** Custom Detection Rules: one in dry run makes no findings, so it drifts; live ones are counted. */
function rulesLine(rules: Section<RuleAssociation[]>): DriftLine {
  const line = (detail: string, drifted = false) => ({ what: 'rules', detail, drifted });
  if (failed(rules)) return line(rules.error, true);
  if (rules.length === 0) return line('none');
  const dryRun = rules.filter(ruleInDryRun);
  const live = `${rules.length - dryRun.length} live`;
  if (dryRun.length === 0) return line(live);
  const until = (rule: RuleAssociation) => (rule.expiresAt ? ` until ${rule.expiresAt.slice(0, 10)}` : '');
  return line(`${live}; dry run: ${dryRun.map((rule) => `${rule.ruleId}${until(rule)}`).join(', ')}`, true);
}

function alarmsLine(alarms: Section<AlarmStatus[]>): DriftLine {
  const line = (detail: string, drifted = false) => ({ what: 'alarms', detail, drifted });
  if (failed(alarms)) return line(alarms.error, true);
  if (alarms.length === 0) return line('none found');
  const notOk = alarms.filter((alarm) => alarm.state !== 'OK');
  if (notOk.length === 0) return line(`${alarms.length}, all OK`);
  return line(`${alarms.length}; ${notOk.map((alarm) => `${alarm.name} ${alarm.state}`).join(', ')}`, true);
}
