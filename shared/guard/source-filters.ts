import { createHash } from 'node:crypto';
import { thresholdScore } from '../severity.ts';
import type { HubConfig, SuppressRule } from '../config/schema.ts';

/**
 * `suppress` rules with `at: source` as GuardDuty filters (action ARCHIVE): suppressed findings are
 * archived by GuardDuty itself and never exported. The limits come from the GuardDuty API model
 * (`CreateFilter`: rank 1–100, name 3–64 of `[A-Za-z0-9._-]`, `equals` at most 50 values, numeric
 * conditions are whole numbers) and from the `aws_guardduty_filter` schema of hashicorp/aws 5.100.0,
 * which has `equals`, `not_equals` and the four comparisons but no `matches` (so no wildcards).
 */

/** Most filters GuardDuty keeps per detector (`FilterRank` is 1–100). */
export const MAX_SOURCE_FILTERS = 100;

/** Most values of one `equals` condition (GuardDuty API: "Max values: 50"). */
export const MAX_EQUALS_VALUES = 50;

/** One condition of a filter, as `aws_guardduty_filter` takes it. */
export interface FilterCriterion {
  /** A finding field: `type`, `accountId`, `severity`. */
  readonly field: string;
  readonly equals?: readonly string[];
  /** A whole number, as text (the provider's type). */
  readonly lessThan?: string;
}

/** A rule as a filter, or why it cannot be one. */
export type FilterTranslation =
  | { readonly ok: true; readonly criteria: readonly FilterCriterion[] }
  | { readonly ok: false; readonly why: string };

/**
 * The filter criteria of a rule, apart from its regions (a filter lives in one region: the rule's
 * regions choose the stacks that get it). Refuses wildcard types, fractional thresholds and lists
 * longer than GuardDuty takes.
 */
export function filterCriteria(rule: SuppressRule): FilterTranslation {
  const criteria: FilterCriterion[] = [];
  if (rule.type !== undefined) {
    if (rule.type.includes('*')) {
      return {
        ok: false,
        why: `type ${rule.type} is a wildcard, and aws_guardduty_filter (hashicorp/aws 5.100.0) matches exact types only`,
      };
    }
    criteria.push({ field: 'type', equals: [rule.type] });
  }
  if (rule.accounts !== undefined) {
    if (rule.accounts.length > MAX_EQUALS_VALUES) {
      return {
        ok: false,
        why: `it lists ${rule.accounts.length} accounts, and a GuardDuty filter condition takes at most ${MAX_EQUALS_VALUES}`,
      };
    }
    criteria.push({ field: 'accountId', equals: [...rule.accounts] });
  }
  if (rule.below !== undefined) {
    const score = thresholdScore(rule.below);
    if (!Number.isInteger(score)) {
      return {
        ok: false,
        why: `below ${score} is not a whole number, and GuardDuty filters compare severity with whole numbers only`,
      };
    }
    criteria.push({ field: 'severity', lessThan: String(score) });
  }
  return { ok: true, criteria };
}

/** One filter of one region stack. */
export interface SourceFilter {
  /** Index of the rule in `suppress`. */
  readonly ruleIndex: number;
  /** `<hub.name>-suppress-<8 hex>`: derived from the rule's content, so reordering rules keeps names. */
  readonly name: string;
  /** 1-based position among the source rules, in config order. */
  readonly rank: number;
  readonly description: string;
  /** Criteria; a rule with regions only gets `region equals <region>` so that no filter is empty. */
  readonly criteria: readonly FilterCriterion[];
}

/** Which suppress rules apply where: indexes into `suppress`. */
export interface SuppressPlacement {
  readonly source: readonly number[];
  readonly hub: readonly number[];
}

/** The indexes of source and hub rules. */
export function placeSuppressRules(config: Pick<HubConfig, 'suppress'>): SuppressPlacement {
  const source: number[] = [];
  const hub: number[] = [];
  for (const [i, rule] of config.suppress.entries()) (rule.at === 'source' ? source : hub).push(i);
  return { source, hub };
}

/** What a rule's filter is made of, as text: two rules with the same content make the same filter. */
export function sourceRuleContent(rule: SuppressRule): string {
  const { at: _at, ...content } = rule;
  return JSON.stringify(content, Object.keys(content).sort());
}

/** The stable name of a rule's filter. */
export function sourceFilterName(config: Pick<HubConfig, 'hub'>, rule: SuppressRule): string {
  const digest = createHash('sha256').update(sourceRuleContent(rule)).digest('hex');
  return `${config.hub.name}-suppress-${digest.slice(0, 8)}`;
}

/**
 * The filters of one region: every source rule that applies there (no `regions`, or `region`
 * listed). Config validation has refused rules that cannot be filters; one that slips through throws.
 */
export function sourceFiltersFor(config: Pick<HubConfig, 'hub' | 'suppress'>, region: string): SourceFilter[] {
  const { source } = placeSuppressRules(config);
  return source.flatMap((ruleIndex, position) => {
    const rule = config.suppress[ruleIndex];
    if (rule === undefined) return [];
    if (rule.regions !== undefined && !rule.regions.includes(region)) return [];
    const translated = filterCriteria(rule);
    if (!translated.ok) throw new Error(`suppress[${ruleIndex}] cannot be a GuardDuty filter: ${translated.why}`);
    const criteria = translated.criteria.length > 0 ? translated.criteria : [{ field: 'region', equals: [region] }];
    return [
      {
        ruleIndex,
        name: sourceFilterName(config, rule),
        rank: position + 1,
        description: `Managed by ${config.hub.name}: suppress[${ruleIndex}] of the hub config (at source)`,
        criteria,
      },
    ];
  });
}
