import { findingConsoleUrl } from '../../shared/regions.ts';
import { BAND_LABEL, SEVERITY_BANDS, type SeverityBand } from '../../shared/severity.ts';
import { MAX_SILENCE_MS, describeMatchers } from '../../shared/silences.ts';
import type { SilenceRecap } from '../kinds/silence-recap/types.ts';
import type { TalliedFinding } from '../silences/tally-types.ts';
import type { SilenceRecapFinding } from '../types.ts';
import { accountText, severityText, timeText } from './text.ts';
import type { AlertView, ViewSection } from './view-types.ts';

/** Entries shown per breakdown before `…and N more`. */
const SHOWN_PER_BREAKDOWN = 8;

type AccountNames = { readonly accounts: Readonly<Record<string, { readonly name: string }>> };

/**
 * The view of a silence's recap: what it matched, who made it and why, when it held, how many findings
 * it held by type, account and severity, the latest few held (each linked to the GuardDuty console),
 * and the findings of its scope its band let through (not archived when seen), worse than what it held.
 */
export function recapView(finding: SilenceRecapFinding, config: AccountNames): AlertView {
  const { recap } = finding;
  const { silence, held, tally } = recap;
  const ended =
    silence.expiredAtMs === undefined ? timeOf(silence.endsAtMs) : `${timeOf(silence.expiredAtMs)} (ended early)`;
  const breakdown = (title: string, counts: Readonly<Record<string, number>>, label: (key: string) => string) =>
    Object.keys(counts).length === 0
      ? []
      : [
          {
            kind: 'list',
            title,
            entries: byCount(counts).map(([key, n]) => `${label(key)}: ${n}`),
            shown: SHOWN_PER_BREAKDOWN,
          } as const,
        ];
  const sections: ViewSection[] = [
    ...breakdown('Held by type', tally.byType, (key) => key),
    ...breakdown('Held by account', tally.byAccount, (key) => accountText(config, key)),
    ...breakdown('Held by severity', tally.byBand, (key) => (isBand(key) ? BAND_LABEL[key] : key)),
    ...tally.latest.map((f, i) => linkTo(f, i === 0 ? 'Latest held:' : '·', config)),
    ...worseSections(recap, config),
    { kind: 'link', prefix: 'Renew:', label: renewHint(recap), url: undefined },
  ];
  return {
    band: 'low',
    severity: 'Info',
    what: 'Silence ended',
    sample: false,
    title: finding.title,
    url: finding.consoleUrl,
    fields: [
      ['Silence', silence.id],
      ['Matched', describeMatchers(silence.matchers)],
      ['Made by', silence.origin === 'slack' ? `Slack user ${silence.author}` : silence.author],
      ['Reason', silence.reason],
      ['From', timeOf(silence.startsAtMs)],
      ['Until', ended],
      ['Held', String(held)],
    ],
    description: `Findings it matches reach this channel again. ${finding.description}`,
    sections,
    footer: { linkLabel: 'Open findings in the GuardDuty console', idLabel: 'silence', id: silence.id },
    summary: `Silence ${silence.id} ended (${describeMatchers(silence.matchers)}): it held ${held}.`,
  };
}

/** The findings worse than the silence's band: how many, and the latest few linked; none without a band. */
function worseSections(recap: SilenceRecap, config: AccountNames): ViewSection[] {
  const { below } = recap.silence.matchers;
  if (below === undefined) return [];
  const { count, latest } = recap.tally.worse;
  const head = `${count} ${count === 1 ? 'finding' : 'findings'} of its scope at or above ${String(below)}, not archived when seen, went through while it held`;
  return [
    { kind: 'link', prefix: 'Worse than what it held:', label: head, url: undefined },
    ...latest.map((f, i) => linkTo(f, i === 0 ? 'Latest worse:' : '·', config)),
  ];
}

/** A finding as a link line: `Recon:EC2/Portscan · member1 (222…) · us-east-1 · Low 2.0 · 2026-01-15 10:00 UTC`. */
function linkTo(f: TalliedFinding, prefix: string, config: AccountNames): ViewSection {
  const label = [f.type, accountText(config, f.accountId), f.region, severityText(f), timeOf(f.atMs)].join(' · ');
  return { kind: 'link', prefix, label, url: findingConsoleUrl(f.region, f.id) };
}

/** What renewing takes: the button (at an app destination) or the CLI; for a silence of the config, the config. */
function renewHint(recap: SilenceRecap): string {
  const lastedMs = Math.min(MAX_SILENCE_MS, recap.silence.endsAtMs - recap.silence.startsAtMs);
  if (!recap.renewable) return 'this silence comes from the config: change its until there (a reviewed change).';
  return `Renew (a button in a Slack app channel) makes the same silence again for ${durationText(lastedMs)} from the click; or guardduty-hub silences add.`;
}

/** `2 hours`, `7 days`: a duration in whole hours under two days, else in whole days. */
function durationText(ms: number): string {
  const hours = Math.max(1, Math.round(ms / 3_600_000));
  if (hours < 48) return `${hours} ${hours === 1 ? 'hour' : 'hours'}`;
  return `${Math.round(hours / 24)} days`;
}

const byCount = (counts: Readonly<Record<string, number>>) =>
  Object.entries(counts).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
const isBand = (key: string): key is SeverityBand => SEVERITY_BANDS.some((band) => band === key);
const timeOf = (ms: number) => timeText(new Date(ms).toISOString());
