import type { SuppressRule } from '../../shared/config/schema.ts';
import { thresholdScore } from '../../shared/severity.ts';
import type { Finding } from '../types.ts';

/** The finding fields a suppression rule can test. */
export type SuppressSubject = Pick<Finding, 'type' | 'accountId' | 'region' | 'severity'>;

/** `Recon:EC2/PortProbeUnprotectedPort` matches itself only; `Recon:*` matches every type starting `Recon:`. */
export function typeMatches(pattern: string, type: string): boolean {
  return pattern.endsWith('*') ? type.startsWith(pattern.slice(0, -1)) : type === pattern;
}

/** True when every criterion the rule gives matches the finding (a rule with none matches nothing). */
export function matchesSuppressRule(
  rule: Pick<SuppressRule, 'type' | 'accounts' | 'regions' | 'below'>,
  finding: SuppressSubject,
): boolean {
  const criteria = [
    rule.type === undefined ? undefined : typeMatches(rule.type, finding.type),
    rule.accounts === undefined ? undefined : rule.accounts.includes(finding.accountId),
    rule.regions === undefined ? undefined : rule.regions.includes(finding.region),
    rule.below === undefined ? undefined : finding.severity < thresholdScore(rule.below),
  ].filter((result) => result !== undefined);
  return criteria.length > 0 && criteria.every(Boolean);
}

/** The index of the first rule that suppresses the finding, or -1; with `at`, only rules applied there. */
export function findSuppressRule(
  rules: readonly SuppressRule[],
  finding: SuppressSubject,
  at?: SuppressRule['at'],
): number {
  return rules.findIndex((rule) => (at === undefined || rule.at === at) && matchesSuppressRule(rule, finding));
}
