import { findingConsoleUrl } from '../../../shared/regions.ts';
import type {
  AttackSequence,
  Finding,
  RuntimeProcess,
  SequenceIndicator,
  SequenceSignal,
  Threat,
} from '../../../core/types.ts';
import { escapeTruncated, slackLink } from './escape.ts';
import { mrkdwn, timeText } from './format.ts';
import { listFields, listSection } from './lists.ts';
import type { Block } from './types.ts';

/**
 * The blocks that show what a finding family is about, below the description: an attack sequence's
 * tactics, indicators, signal timeline, resources, actors and endpoints; the sequence an ordinary
 * finding belongs to; malware threats and scanned items; a runtime finding's process. At most seven
 * blocks, each within Slack's limits, everything escaped.
 */

/** Entries shown per list before `…and N more`. */
const SHOWN = { signals: 12, people: 5, threats: 8, indicators: 10, values: 6 } as const;

/** Indicator keys that name MITRE ATT&CK tactics and techniques (shown on their own line). */
const ATTACK_KEYS = new Set(['ATTACK_TACTIC', 'ATTACK_TECHNIQUE']);

/** The family blocks of `finding`, in reading order (none for a plain finding). */
export function familyBlocks(finding: Finding): Block[] {
  const blocks: (Block | undefined)[] = [
    ...(finding.sequence === undefined ? [] : sequenceBlocks(finding.sequence)),
    partOfSequence(finding),
    listSection(
      finding.scanResult === undefined ? 'Threats' : 'Threats found',
      (finding.threats ?? []).map(threatLine),
      SHOWN.threats,
    ),
    listSection('Scanned', finding.scanned ?? [], SHOWN.threats),
    finding.process === undefined ? undefined : processBlock(finding.process),
  ];
  return blocks.filter((block): block is Block => block !== undefined);
}

function sequenceBlocks(sequence: AttackSequence): (Block | undefined)[] {
  const attack = sequence.indicators.filter((i) => ATTACK_KEYS.has(i.key));
  const others = sequence.indicators.filter((i) => !ATTACK_KEYS.has(i.key));
  return [
    listSection('Tactics and techniques', attack.map(indicatorLine), SHOWN.indicators),
    listSection('Indicators', others.map(indicatorLine), SHOWN.indicators),
    listSection('Signals', sequence.signals.map(signalLine), SHOWN.signals),
    listFields(
      [
        ['Resources', sequence.resources],
        ['Actors', sequence.actors],
        ['Endpoints', sequence.endpoints],
      ],
      SHOWN.people,
    ),
  ];
}

/** `Attack tactic: Discovery, Exfiltration (+2 more)`; an unknown key reads as its title, else the key. */
function indicatorLine(indicator: SequenceIndicator): string {
  const name = indicator.title ?? indicator.key;
  const values = indicator.values.slice(0, SHOWN.values).join(', ');
  const more = indicator.values.length > SHOWN.values ? ` (+${indicator.values.length - SHOWN.values} more)` : '';
  return values === '' ? name : `${name}: ${values}${more}`;
}

/** `2026-01-15 10:00 UTC – 2026-01-15 11:00 UTC · ×3 · FINDING Discovery:S3/…`. */
function signalLine(signal: SequenceSignal): string {
  const first = timeText(signal.firstSeen);
  const last = timeText(signal.lastSeen);
  const when = first === last ? first : `${first} – ${last}`;
  return `${when} · ×${signal.count} · ${signal.type} ${signal.name}`;
}

function threatLine(threat: Threat): string {
  const paths = threat.paths.length === 0 ? '' : ` in ${threat.paths.join(', ')}`;
  return `${threat.name}${paths}${threat.hash === undefined ? '' : ` · SHA-256 ${threat.hash}`}`;
}

/** `Part of attack sequence <console link>` for a finding GuardDuty tied to a sequence. */
function partOfSequence(finding: Finding): Block | undefined {
  const arn = finding.attackSequenceArn;
  if (arn === undefined) return undefined;
  // arn:aws:guardduty:REGION:ACCOUNT:detector/DETECTOR/finding/FINDING_ID
  const parts = arn.split(':');
  const id = parts[5]?.split('/finding/')[1];
  const region = parts[3] || finding.region;
  const link =
    id === undefined || id === ''
      ? escapeTruncated(arn, 500)
      : slackLink(findingConsoleUrl(region, id), `attack sequence ${id}`, 300);
  return { type: 'section', text: mrkdwn(`*Part of an attack sequence:* ${link}`) };
}

function processBlock(process: RuntimeProcess): Block | undefined {
  const pairs: (readonly [string, string | undefined])[] = [
    ['Process', process.pid === undefined ? process.name : `${process.name ?? '?'} (pid ${process.pid})`],
    ['Executable', process.executablePath],
    ['SHA-256', process.executableSha256],
    ['Parent', process.parent],
    ['User', process.user],
    ...process.context,
  ];
  const fields = pairs
    .filter((pair): pair is readonly [string, string] => pair[1] !== undefined)
    .slice(0, 10)
    .map(([name, value]) => mrkdwn(`*${escapeTruncated(name, 100)}*\n${escapeTruncated(value, 1_800)}`));
  return fields.length === 0 ? undefined : { type: 'section', fields };
}
