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
 * Holds back what an active silence matches (the first one, in order: config, then kept). A silence of
 * the config (a reviewed change, with its author and reason) may hold any alert: tamper, drift and
 * coverage alerts and scan results too. A silence made with the CLI or from Slack holds GuardDuty
 * findings only: those alerts are about GuardDuty itself, and quieting them must go through review.
 */
export function applySilences(routed: readonly RoutedFinding[], silences: readonly Silence[]): Silenced {
  if (silences.length === 0) return { kept: [...routed], held: [] };
  const kept: RoutedFinding[] = [];
  const held: Silenced['held'] = [];
  const seen = new Set<string>();
  for (const entry of routed) {
    const { finding } = entry;
    const silence = silences.find(
      (candidate) => mayHold(candidate, finding) && matchesSilence(candidate.matchers, finding),
    );
    if (silence === undefined) kept.push(entry);
    else if (!seen.has(finding.id)) {
      seen.add(finding.id);
      held.push({ routed: entry, silence });
    }
  }
  return { kept, held };
}

/** True when `silence` may hold alerts of `finding`'s kind: every kind but a recap for the config's, findings for the others. */
function mayHold(silence: Pick<Silence, 'origin'>, finding: Pick<Finding, 'kind'>): boolean {
  if (finding.kind === 'silence-recap') return false;
  return silence.origin === 'config' || finding.kind === 'finding';
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
