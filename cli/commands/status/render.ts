import { deadLetterQueueLabel, failed, type Section } from '../../aws/index.ts';
import { formatSeconds, formatTime, orNa, renderTable } from '../../output/index.ts';
import { describeMatchers } from '../../../shared/index.ts';
import { renderAttention } from '../common.ts';
import { mappingLabel, show, type MappingSettings, type MappingStatus } from './mapping.ts';
import { driftBlock } from './render-drift.ts';
import type { StatusReport } from './report.ts';
import type { SlackFiltersStatus } from './slack-filters.ts';

/** The text form of a status report: one block per section, then what needs attention. */
export function renderStatus(report: StatusReport): string {
  return [
    `guardduty-hub ${report.hub.name}: account ${report.hub.account}, hub region ${report.hub.region} (config ${report.config})\n`,
    queuesBlock(report),
    alarmsBlock(report),
    mappingBlock(report.mapping),
    guarddutyBlock(report),
    driftBlock(report.drift, report.regions),
    destinationsBlock(report),
    ...silencesBlock(report),
    ...slackFiltersBlock(report.slackFilters),
    renderAttention(report.attention),
  ].join('\n');
}

function queuesBlock(report: StatusReport): string {
  const age = report.queue.oldestMessageAgeSeconds;
  const ageText = failed(age) ? 'error' : age === null ? 'n/a' : formatSeconds(age);
  const rows = [
    [
      'hub queue',
      report.queue.name,
      String(report.queue.visible),
      String(report.queue.inFlight),
      String(report.queue.delayed),
      ageText,
    ],
  ];
  for (const dlq of report.deadLetterQueues) {
    const label = deadLetterQueueLabel(dlq);
    const q = dlq.queue;
    rows.push(
      failed(q)
        ? [label, q.error, '', '', '', '']
        : [label, q.name, String(q.visible), String(q.inFlight), String(q.delayed), ''],
    );
  }
  return `Queues\n${renderTable({ header: ['', 'name', 'visible', 'in flight', 'delayed', 'oldest (5 min max)'], rows }, '  ')}`;
}

function alarmsBlock(report: StatusReport): string {
  const title = `Alarms (${report.hub.name}-*)`;
  if (failed(report.alarms)) return `${title}\n  ${report.alarms.error}\n`;
  if (report.alarms.length === 0) return `${title}\n  none found\n`;
  const rows = report.alarms.map((alarm) => [alarm.name, alarm.state, formatTime(alarm.since)]);
  return `${title}\n${renderTable({ header: ['name', 'state', 'since'], rows }, '  ')}`;
}

function mappingBlock(mapping: Section<MappingStatus>): string {
  if (failed(mapping)) return `Event source mapping\n  ${mapping.error}\n`;
  const title = `Event source mapping (${mapping.functionName}${mapping.uuid ? `, ${mapping.uuid}` : ''})`;
  const deployed = mapping.deployed;
  if (deployed === null) return `${title}\n  ${mapping.differences.join('; ')}\n`;
  const rows = (Object.keys(mapping.expected) as (keyof MappingSettings)[]).map((key) => [
    mappingLabel(key),
    show(deployed[key]),
    show(mapping.expected[key]),
    deployed[key] === mapping.expected[key] ? '' : 'differs',
  ]);
  return `${title}\n${renderTable({ header: ['setting', 'deployed', 'config', ''], rows }, '  ')}`;
}

function guarddutyBlock(report: StatusReport): string {
  const rows: string[][] = [];
  for (const region of report.regions) {
    if (failed(region.detector)) {
      rows.push([region.region, 'error', '', '', '', region.detector.error]);
      continue;
    }
    if (region.detector === null) {
      rows.push([region.region, 'none', '', '', '', 'no detector']);
      continue;
    }
    const detector = `${region.detector.id}${region.detector.status && region.detector.status !== 'ENABLED' ? ` (${region.detector.status})` : ''}`;
    if (failed(region.members)) {
      rows.push([region.region, detector, '', '', '', region.members.error]);
      continue;
    }
    if (region.members.length === 0) rows.push([region.region, detector, '', '', '', 'no members expected']);
    for (const member of region.members) {
      const verdict = member.expected === 'not in config' ? 'not in config' : member.ok ? 'ok' : 'expected Enabled';
      rows.push([region.region, detector, orNa(member.name), member.accountId, member.status, verdict]);
    }
  }
  return `GuardDuty\n${renderTable({ header: ['region', 'detector', 'member', 'account', 'status', ''], rows }, '  ')}`;
}

/** The destination types, their destinations and the findings they took in the last day. */
function destinationsBlock(report: StatusReport): string {
  const rows = report.destinations.map(({ type, destinations, deliveredLast24h }) => [
    type,
    destinations.join(', '),
    failed(deliveredLast24h) ? deliveredLast24h.error : String(deliveredLast24h),
  ]);
  return `Destinations\n${renderTable({ header: ['type', 'destinations', 'findings delivered (24 h)'], rows }, '  ')}`;
}

/** The active silences with what each held; nothing when there are none. */
function silencesBlock(report: StatusReport): string[] {
  const title = 'Silences (findings skipped by the hub; GuardDuty keeps them)';
  if (failed(report.silences)) return [`${title}\n  ${report.silences.error}\n`];
  if (report.silences.length === 0) return [];
  const rows = report.silences.map((silence) => [
    silence.id,
    describeMatchers(silence.matchers),
    formatTime(new Date(silence.endsAtMs)),
    String(silence.held),
    silence.reason,
  ]);
  return [`${title}\n${renderTable({ header: ['id', 'matches', 'until', 'held', 'why'], rows }, '  ')}`];
}

/**
 * The Slack-made filters: one row per suppression, its `suppress:` rule beneath; read errors per
 * region. Nothing without `triage:` unless some were found (left from before triage was removed).
 */
function slackFiltersBlock(status: SlackFiltersStatus): string[] {
  if (!status.triageConfigured && status.suppressions.length === 0) return [];
  const title = 'Filters made from Slack (move them into suppress: to keep them in the config)';
  const errors = status.regions.flatMap(({ region, filters }) =>
    failed(filters) ? [`  ${region}: ${filters.error}`] : [],
  );
  if (status.suppressions.length === 0)
    return [`${title}\n  none${errors.length > 0 ? ` readable\n${errors.join('\n')}` : ''}\n`];
  const rows = status.suppressions.map((s) => [
    s.name,
    s.regions.join(', '),
    orNa(s.madeBy),
    orNa(s.finding),
    orNa(s.expires),
  ]);
  const rules = status.suppressions.map((s) => {
    const rule =
      s.suggestion.yaml === undefined
        ? `  ${s.name}: no suppress rule can express it`
        : `  ${s.name}:\n    ${s.suggestion.yaml}`;
    const lost =
      s.suggestion.notExpressible.length === 0
        ? ''
        : `\n    (a rule cannot say: ${s.suggestion.notExpressible.join('; ')}; without it the rule suppresses more)`;
    return rule + lost;
  });
  const table = renderTable({ header: ['filter', 'regions', 'made by', 'from finding', 'expires'], rows }, '  ');
  return [`${[`${title}\n${table}`, `  as suppress: rules\n${rules.join('\n')}`, ...errors].join('\n')}\n`];
}
