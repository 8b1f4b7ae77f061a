import { BAND_LABEL } from '../../shared/severity.ts';
import type { Finding, RoutedFinding } from '../types.ts';

/**
 * Text every destination writes the same way: severity, account, regions, times. Raw text: each
 * adapter escapes it for its own markup.
 */

/** `High 8.0`: the band label and the score with one decimal. */
export function severityText(finding: Pick<Finding, 'band' | 'severity'>): string {
  return `${BAND_LABEL[finding.band]} ${finding.severity.toFixed(1)}`;
}

/** `member1 (222222222222)` when the account is named in config, else the id. */
export function accountText(
  config: { readonly accounts: Readonly<Record<string, { readonly name: string }>> },
  accountId: string,
): string {
  const name = Object.hasOwn(config.accounts, accountId) ? config.accounts[accountId]?.name : undefined;
  return name === undefined ? accountId : `${name} (${accountId})`;
}

/** The regions a message names: every folded region (sorted), else the finding's own. */
export function regionsOf(routed: Pick<RoutedFinding, 'finding' | 'regions'>): readonly string[] {
  return routed.regions !== undefined && routed.regions.length > 1 ? routed.regions : [routed.finding.region];
}

/** `us-east-1`, or `us-east-1, us-west-2, eu-north-1` for a finding seen in several regions. */
export function regionText(routed: Pick<RoutedFinding, 'finding' | 'regions'>): string {
  return regionsOf(routed).join(', ');
}

/** `2026-01-15 10:00 UTC` from an ISO time; `unknown` when absent. */
export function timeText(iso: string | undefined): string {
  if (iso === undefined) return 'unknown';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return 'unknown';
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
