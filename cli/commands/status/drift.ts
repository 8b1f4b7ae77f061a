import { alarmNamePrefix, regionStackName, type HubConfig } from '../../../shared/index.ts';
import { failed, section, type AwsClients, type Section } from '../../aws/index.ts';
import { readAlarms, type AlarmStatus } from './alarms.ts';
import { canaryAttention, readCanary, type CanaryStatus } from './canary.ts';
import { filterWeakensDetection, readFilterDrift, type FilterDrift } from './filter-drift.ts';
import { goLiveCommand, readRuleAssociations, ruleInDryRun, type RuleAssociation } from './detection-rules.ts';
import type { RegionStatus } from './guardduty.ts';
import {
  NO_THREAT_LISTS,
  THREAT_LIST_KINDS,
  THREAT_LIST_SPECS,
  deactivateCommand,
  listWeakensDetection,
  readThreatLists,
  type ThreatListsStatus,
} from './threat-lists.ts';

/**
 * Drift per region: what GuardDuty and CloudWatch hold in a region against what the config makes
 * there. The detector's state and features are in `regions[].detector`, members in
 * `regions[].members`, Slack-made filters in `slackFilters`; this adds filters in the config but
 * missing, filters outside the config, the IP and threat lists, the Custom Detection Rule
 * associations, the region's canary (its item in the state table, judged at the time of reading),
 * and the region's alarms.
 */

/** One configured region's drift. */
export interface RegionDrift {
  readonly region: string;
  /** The detector's filters against the config; none without a detector. */
  readonly filters: Section<FilterDrift>;
  /** The detector's IP sets, threat intel sets and threat and trusted entity sets; none without a detector. */
  readonly threatLists: ThreatListsStatus;
  /** The account's Custom Detection Rule associations in the region; none without a detector. */
  readonly detectionRules: Section<RuleAssociation[]>;
  /** The region's alarms (`<hub.name>-*`): the region stack's forwarder alarms, and in the hub region the hub's (the same as `alarms`). */
  readonly alarms: Section<AlarmStatus[]>;
  /** The region's end-to-end canary, as the drift check last saw it. */
  readonly canary: Section<CanaryStatus>;
}

/** Reads one region's drift; `hubAlarms` are the hub region's alarms, already read. Every read is its own section. */
export async function readRegionDrift(
  clients: AwsClients,
  config: HubConfig,
  region: RegionStatus,
  hubAlarms: Section<AlarmStatus[]>,
): Promise<RegionDrift> {
  const guardduty = clients.guardduty(region.region);
  const detector = region.detector === null || failed(region.detector) ? undefined : region.detector;
  const [filters, threatLists, detectionRules, alarms, canary] = await Promise.all([
    detector === undefined
      ? { missing: [], unknown: [] }
      : section(() => readFilterDrift(guardduty, config, region.region, detector.id)),
    detector === undefined ? NO_THREAT_LISTS : readThreatLists(guardduty, detector.id),
    detector === undefined ? [] : section(() => readRuleAssociations(guardduty)),
    region.region === config.hub.region
      ? hubAlarms
      : section(() => readAlarms(clients.cloudwatch(region.region), alarmNamePrefix(config), region.region)),
    readCanary(clients, config, region.region, Date.now()),
  ]);
  return { region: region.region, filters, threatLists, detectionRules, alarms, canary };
}

/**
 * What needs attention in the drift, one line each naming the region, what and the fix: a config
 * filter missing, a filter outside the config that archives findings (not one made from Slack), an
 * ACTIVE trusted list, a Custom Detection Rule in dry run, a late canary, and a region's alarm in ALARM or unreadable (the hub region's are listed from
 * `alarms`). A GuardDuty read that failed says so in its place only, as the Slack filters do: a role
 * without the newer list permissions still gets exit 0 when all else is well. Detector features
 * show but never need attention: the config does not choose them, and leaving a paid protection
 * plan off is a common, deliberate choice.
 */
export function driftAttention(
  drift: readonly RegionDrift[],
  regions: readonly RegionStatus[],
  hubRegion: string,
): string[] {
  return drift.flatMap((region) => {
    const detectorId = detectorIdIn(regions, region.region);
    return [
      ...filterAttention(region, detectorId),
      ...threatListAttention(region, detectorId),
      ...ruleAttention(region),
      ...canaryAttention(region.region, region.canary),
      ...(region.region === hubRegion ? [] : alarmAttention(region)),
    ];
  });
}

/** The region's detector id for a fix command (a region with drift has a readable detector). */
function detectorIdIn(regions: readonly RegionStatus[], region: string): string {
  const detector = regions.find((candidate) => candidate.region === region)?.detector;
  return detector === undefined || detector === null || failed(detector) ? '<detector id>' : detector.id;
}

function filterAttention({ region, filters }: RegionDrift, detectorId: string): string[] {
  if (failed(filters)) return [];
  const stack = regionStackName(region);
  return [
    ...filters.missing.map(
      (filter) =>
        `${region}: filter ${filter.name} of suppress[${filter.ruleIndex}] is missing in GuardDuty: deploy the ${stack} stack (cdktf deploy ${stack})`,
    ),
    ...filters.unknown
      .filter(filterWeakensDetection)
      .map(
        (filter) =>
          `${region}: filter ${filter.name} (${filter.action ?? 'action unknown'}) is not in the config and hides findings: move it into suppress: or delete it (aws guardduty delete-filter --region ${region} --detector-id ${detectorId} --filter-name ${filter.name})`,
      ),
  ];
}

function threatListAttention({ region, threatLists }: RegionDrift, detectorId: string): string[] {
  return THREAT_LIST_KINDS.flatMap((kind) => {
    const lists = threatLists[kind];
    const label = THREAT_LIST_SPECS[kind].label;
    if (failed(lists)) return [];
    return lists
      .filter((list) => listWeakensDetection(kind, list))
      .map(
        (list) =>
          `${region}: ${label} ${list.name} is ACTIVE and not in the config: GuardDuty makes no findings for what it lists (${list.location ?? 'location unknown'}); deactivate it (${deactivateCommand(kind, region, detectorId, list)}) or delete it`,
      );
  });
}

function ruleAttention({ region, detectionRules }: RegionDrift): string[] {
  if (failed(detectionRules)) return [];
  return detectionRules
    .filter(ruleInDryRun)
    .map(
      (rule) =>
        `${region}: Custom Detection Rule ${rule.ruleId} runs in dry run${rule.expiresAt ? ` until ${rule.expiresAt}` : ''}: GuardDuty counts its matches in CloudWatch metrics but makes no findings; switch it to live (${goLiveCommand(region, rule)}) or delete the association`,
    );
}

/** A region's alarms in ALARM, each with its description (what to check); the hub region's come from `alarms`. */
function alarmAttention({ region, alarms }: RegionDrift): string[] {
  if (failed(alarms)) return [`${region}: alarms: ${alarms.error}`];
  return alarms
    .filter((alarm) => alarm.state === 'ALARM')
    .map((alarm) => `${region}: alarm ${alarm.name} is in ALARM${alarm.description ? `: ${alarm.description}` : ''}`);
}
