import type { Silence, SilenceMatchers } from '../../shared/silences.ts';
import { matchesSuppressRule } from '../route/suppress.ts';
import type { Finding, RoutedFinding } from '../types.ts';

/** A batch's routed findings with the silences applied. */
export interface Silenced {
  /** What still goes to its destinations. */
  readonly kept: RoutedFinding[];
  /** Each silenced finding (once, whatever its lanes) with the silence that held it. */
  readonly held: { readonly routed: RoutedFinding; readonly silence: Silence }[];
}

/**
 * Holds back the GuardDuty findings an active silence matches (the first one, in order: config, then
 * kept). Only findings: tamper and drift alerts and scan results are about the hub and GuardDuty
 * themselves, and are never silenced.
 */
export function applySilences(routed: readonly RoutedFinding[], silences: readonly Silence[]): Silenced {
  if (silences.length === 0) return { kept: [...routed], held: [] };
  const kept: RoutedFinding[] = [];
  const held: Silenced['held'] = [];
  const seen = new Set<string>();
  for (const entry of routed) {
    const { finding } = entry;
    const silence =
      finding.kind === 'finding' ? silences.find(({ matchers }) => matchesSilence(matchers, finding)) : undefined;
    if (silence === undefined) kept.push(entry);
    else if (!seen.has(finding.id)) {
      seen.add(finding.id);
      held.push({ routed: entry, silence });
    }
  }
  return { kept, held };
}

/** True when every matcher holds: a suppress rule's criteria, and the resource criterion exactly when one is given. */
export function matchesSilence(
  matchers: SilenceMatchers,
  finding: Pick<Finding, 'type' | 'accountId' | 'region' | 'severity' | 'resourceCriterion'>,
): boolean {
  const { resource, ...rule } = matchers;
  if (!matchesSuppressRule(rule, finding)) return false;
  if (resource === undefined) return true;
  const criterion = finding.resourceCriterion;
  return criterion !== undefined && criterion.field === resource.field && criterion.value === resource.value;
}
