import { findingConsoleUrl } from '../../shared/regions.ts';
import { BAND_LABEL } from '../../shared/severity.ts';
import type {
  AttackSequence,
  Finding,
  RoutedFinding,
  RuntimeProcess,
  SequenceIndicator,
  SequenceSignal,
  Threat,
} from '../types.ts';
import { recapView } from './recap-view.ts';
import type { AlertView, ViewSection } from './view-types.ts';

export type { AlertView, ViewField, ViewSection } from './view-types.ts';
import { accountText, regionsOf, regionText, severityText, timeText } from './text.ts';

/**
 * The destination-neutral message model: what any destination shows of one finding (or of one issue
 * seen in several regions), as raw text and links. Each destination adapter renders it in its own
 * markup (Slack blocks, an Adaptive Card, a page's summary), escapes every text taken from the
 * finding, and cuts to its own limits; none works out what to say for itself.
 */

/** What an alert of each kind is, where it is not a plain finding. */
const WHAT: Partial<Record<Finding['kind'], string>> = {
  'scan-result': 'GuardDuty malware scan result',
  coverage: 'GuardDuty coverage change',
};

/** The footer's link label and what the id names, by kind. */
const FOOTER: Partial<Record<Finding['kind'], { readonly linkLabel: string; readonly idLabel: string }>> & {
  readonly finding: { readonly linkLabel: string; readonly idLabel: string };
} = {
  finding: { linkLabel: 'Open in GuardDuty console', idLabel: 'finding' },
  'scan-result': { linkLabel: 'Open the object in the S3 console', idLabel: 'scan result event' },
  coverage: { linkLabel: 'Open coverage in the GuardDuty console', idLabel: 'coverage of' },
};

/** Entries shown per list before `…and N more`. */
const SHOWN = { signals: 12, people: 5, threats: 8, indicators: 10, values: 6 } as const;

/** Indicator keys that name MITRE ATT&CK tactics and techniques (shown on their own line). */
const ATTACK_KEYS = new Set(['ATTACK_TACTIC', 'ATTACK_TECHNIQUE']);

/** The view of `routed` (its regions named when it stands for several; a silence's recap, its own). */
export function alertView(
  routed: RoutedFinding,
  config: { readonly accounts: Readonly<Record<string, { readonly name: string }>> },
): AlertView {
  const { finding } = routed;
  if (finding.kind === 'silence-recap') return recapView(finding, config);
  const what = WHAT[finding.kind] ?? 'GuardDuty finding';
  const account = accountText(config, finding.accountId);
  const regions = regionText(routed);
  return {
    band: finding.band,
    severity: severityText(finding),
    what,
    sample: finding.sample === true,
    title: finding.title,
    url: finding.consoleUrl,
    fields: [
      ['Account', account],
      [regionsOf(routed).length > 1 ? 'Regions' : 'Region', regions],
      ['Type', finding.type],
      ['Resource', resourceText(finding)],
      ['Count', String(finding.count)],
      ['Severity', severityText(finding)],
      ['First seen', timeText(finding.firstSeen)],
      ['Last seen', timeText(finding.lastSeen ?? finding.updatedAt)],
    ],
    description: finding.description,
    sections: familySections(finding),
    footer: { ...(FOOTER[finding.kind] ?? FOOTER.finding), id: finding.id },
    summary: `${BAND_LABEL[finding.band]} ${what} in ${account} ${regions}: ${finding.title}`,
  };
}

/** `Instance i-0abc (web-1)` and one `name: value` line per detail. */
function resourceText(finding: Finding): string {
  const { type, label, details } = finding.resource;
  const head = label === type || label.startsWith(`${type} `) ? label : `${type}: ${label}`;
  return [head, ...details.map(([name, value]) => `${name}: ${value}`)].join('\n');
}

/** The family sections of `finding`, in reading order (none for a plain finding). */
function familySections(finding: Finding): ViewSection[] {
  const sections: (ViewSection | undefined)[] = [
    ...(finding.sequence === undefined ? [] : sequenceSections(finding.sequence)),
    partOfSequence(finding),
    list(
      finding.kind === 'scan-result' ? 'Threats found' : 'Threats',
      (finding.threats ?? []).map(threatLine),
      SHOWN.threats,
    ),
    list('Scanned', finding.scanned ?? [], SHOWN.threats),
    finding.process === undefined ? undefined : processSection(finding.process),
  ];
  return sections.filter((section): section is ViewSection => section !== undefined);
}

function list(title: string, entries: readonly string[], shown: number): ViewSection | undefined {
  return entries.length === 0 ? undefined : { kind: 'list', title, entries, shown };
}

function sequenceSections(sequence: AttackSequence): (ViewSection | undefined)[] {
  const attack = sequence.indicators.filter((i) => ATTACK_KEYS.has(i.key));
  const others = sequence.indicators.filter((i) => !ATTACK_KEYS.has(i.key));
  const people: [string, readonly string[]][] = [
    ['Resources', sequence.resources],
    ['Actors', sequence.actors],
    ['Endpoints', sequence.endpoints],
  ];
  const lists = people.filter(([, entries]) => entries.length > 0);
  return [
    list('Tactics and techniques', attack.map(indicatorLine), SHOWN.indicators),
    list('Indicators', others.map(indicatorLine), SHOWN.indicators),
    list('Signals', sequence.signals.map(signalLine), SHOWN.signals),
    lists.length === 0 ? undefined : { kind: 'lists', lists, shown: SHOWN.people },
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

/** `Part of an attack sequence: <console link>` for a finding GuardDuty tied to a sequence. */
function partOfSequence(finding: Finding): ViewSection | undefined {
  const arn = finding.attackSequenceArn;
  if (arn === undefined) return undefined;
  // arn:aws:guardduty:REGION:ACCOUNT:detector/DETECTOR/finding/FINDING_ID
  const parts = arn.split(':');
  const id = parts[5]?.split('/finding/')[1];
  const region = parts[3] || finding.region;
  const prefix = 'Part of an attack sequence:';
  if (id === undefined || id === '') return { kind: 'link', prefix, label: arn, url: undefined };
  return { kind: 'link', prefix, label: `attack sequence ${id}`, url: findingConsoleUrl(region, id) };
}

function processSection(process: RuntimeProcess): ViewSection | undefined {
  const pairs: (readonly [string, string | undefined])[] = [
    ['Process', process.pid === undefined ? process.name : `${process.name ?? '?'} (pid ${process.pid})`],
    ['Executable', process.executablePath],
    ['SHA-256', process.executableSha256],
    ['Parent', process.parent],
    ['User', process.user],
    ...process.context,
  ];
  const fields = pairs.filter((pair): pair is readonly [string, string] => pair[1] !== undefined).slice(0, 10);
  return fields.length === 0 ? undefined : { kind: 'fields', fields };
}
