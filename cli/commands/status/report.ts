import { alarmNamePrefix, functionName, type HubConfig } from '../../../shared/index.ts';
import {
  deadLetterQueueLabel,
  failed,
  noDetectorProblem,
  section,
  type AwsClients,
  type Section,
} from '../../aws/index.ts';
import { readAlarms, type AlarmStatus } from './alarms.ts';
import { readDestinations, type DestinationTypeStatus } from './destinations.ts';
import { listSilences, silenceStoreOf, type SilenceRow } from '../silences/silences.ts';
import { driftAttention, readRegionDrift, type RegionDrift } from './drift.ts';
import { readRegion, type RegionStatus } from './guardduty.ts';
import { readMapping, type MappingStatus } from './mapping.ts';
import { readQueues, type QueuesStatus } from './queues.ts';
import { readSlackFiltersStatus, type SlackFiltersStatus } from './slack-filters.ts';

/** Everything `status` reports; `--json` prints it as is. */
export interface StatusReport {
  /** The config file read. */
  readonly config: string;
  readonly hub: { readonly account: string; readonly region: string; readonly name: string };
  /** When the report was read, ISO 8601. */
  readonly readAt: string;
  readonly queue: QueuesStatus['queue'];
  /** The hub queue's DLQ (kept for scripts; also the first entry of `deadLetterQueues`). */
  readonly dlq: QueuesStatus['dlq'];
  /** Every DLQ with its depth: hub queue, hub rule target, each region's forwarder target. */
  readonly deadLetterQueues: QueuesStatus['deadLetterQueues'];
  readonly alarms: Section<AlarmStatus[]>;
  readonly mapping: Section<MappingStatus>;
  /** One entry per configured region, in config order. */
  readonly regions: RegionStatus[];
  /** The destination types of the config, each with its destinations and the findings they took in the last day. */
  readonly destinations: DestinationTypeStatus[];
  /** The active silences (config and CLI), each with what it held so far. */
  readonly silences: Section<SilenceRow[]>;
  /**
   * GuardDuty filters made from Slack ("Suppress like this"), per region, and each suppression as the
   * `suppress:` rule that would make it from the config. Informational: they never need attention.
   */
  readonly slackFilters: SlackFiltersStatus;
  /**
   * Per configured region, in config order: filters in the config but missing, filters outside the
   * config (those made from Slack labelled so), IP and threat lists, Custom Detection Rule
   * associations (one in dry run needs attention), and the region's alarms. Members not `Enabled`
   * are in `regions[].members` and `attention`.
   */
  readonly drift: RegionDrift[];
  /** What needs attention, one line each; empty when all is well (exit 0). */
  readonly attention: string[];
}

/** Reads the whole report; sections that fail say so instead of failing the report. */
export async function readStatus(
  clients: AwsClients,
  config: HubConfig,
  configPath: string,
  now: Date,
): Promise<StatusReport> {
  const hubRegion = config.hub.region;
  const queues = await readQueues(clients, config, now);
  const [alarms, mapping, regions, destinations, silences] = await Promise.all([
    section(() => readAlarms(clients.cloudwatch(hubRegion), alarmNamePrefix(config), hubRegion)),
    section(() => readMapping(clients.lambda(hubRegion), functionName(config), queues.queue.arn, config)),
    Promise.all(config.regions.map((region) => readRegion(clients.guardduty(region), config, region))),
    readDestinations(clients.cloudwatch(hubRegion), config, now),
    section(async () => (await listSilences(silenceStoreOf(clients, config), config, now.getTime(), false)).silences),
  ]);
  const [slackFilters, drift] = await Promise.all([
    readSlackFiltersStatus((region) => clients.guardduty(region), config, regions),
    Promise.all(regions.map((region) => readRegionDrift(clients, config, region, alarms))),
  ]);
  const parts = {
    queue: queues.queue,
    dlq: queues.dlq,
    deadLetterQueues: queues.deadLetterQueues,
    alarms,
    mapping,
    regions,
    destinations,
    silences,
    slackFilters,
  };
  return {
    config: configPath,
    hub: { account: config.hub.account, region: hubRegion, name: config.hub.name },
    readAt: now.toISOString(),
    ...parts,
    drift,
    attention: [...attentionItems(parts), ...driftAttention(drift, regions, hubRegion)],
  };
}

/** The lines of `attention`, in the order of the report's sections. */
export function attentionItems(
  report: Pick<StatusReport, 'queue' | 'deadLetterQueues' | 'alarms' | 'mapping' | 'regions'>,
): string[] {
  const items: string[] = [];
  if (failed(report.queue.oldestMessageAgeSeconds))
    items.push(`oldest message age: ${report.queue.oldestMessageAgeSeconds.error}`);
  items.push(...report.deadLetterQueues.flatMap(deadLetterAttention));
  if (failed(report.alarms)) items.push(`alarms: ${report.alarms.error}`);
  else for (const alarm of report.alarms) if (alarm.state === 'ALARM') items.push(`alarm ${alarm.name} is in ALARM`);
  if (failed(report.mapping)) items.push(`event source mapping: ${report.mapping.error}`);
  else items.push(...report.mapping.differences);
  for (const region of report.regions) {
    if (failed(region.detector)) {
      items.push(`${region.region}: ${region.detector.error}`);
      continue;
    }
    if (region.detector === null) {
      items.push(`${region.region}: ${noDetectorProblem(region.region)}`);
      continue;
    }
    if (region.detector.status !== undefined && region.detector.status !== 'ENABLED') {
      items.push(`${region.region}: detector ${region.detector.id} is ${region.detector.status}`);
    }
    if (failed(region.members)) {
      items.push(`${region.region}: members: ${region.members.error}`);
      continue;
    }
    for (const member of region.members) {
      if (member.ok) continue;
      const who = member.name ? `${member.accountId} (${member.name})` : member.accountId;
      items.push(`${region.region}: member ${who} is ${member.status}, expected Enabled`);
    }
  }
  return items;
}

/** What a DLQ needs: nothing when empty, else how many it holds and the commands for them. */
function deadLetterAttention(dlq: StatusReport['deadLetterQueues'][number]): string[] {
  const label = deadLetterQueueLabel(dlq);
  if (failed(dlq.queue)) return [dlq.queue.error.startsWith(label) ? dlq.queue.error : `${label}: ${dlq.queue.error}`];
  const depth = dlq.queue.visible + dlq.queue.inFlight + dlq.queue.delayed;
  if (depth === 0) return [];
  const flag = `--queue ${dlq.id}`;
  return [
    `${label} ${dlq.queue.name} holds ${depth} message${depth === 1 ? '' : 's'}: inspect with \`dlq peek ${flag}\`, send on with \`dlq redrive ${flag}\``,
  ];
}
