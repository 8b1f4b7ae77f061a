import type { Condition } from '@aws-sdk/client-guardduty';
import type { SuppressRule } from '../../../shared/index.ts';

/**
 * A GuardDuty filter's criteria as the `suppress:` rule that makes the same filter from the config
 * (`at: source`), so a suppression made from Slack can move into the config and Terraform. A rule has
 * `type`, `accounts`, `regions` and `below`; criteria beyond those (a resource, a `not equals`) cannot
 * move, and the suggestion names them.
 */

/** One criterion of a filter in words: `resource.instanceDetails.instanceId equals i-0abc`. */
export type CriterionText = string;

/** The `suppress:` rule equivalent to one or more filters (one per region), and what it cannot say. */
export interface SuppressSuggestion {
  /** The rule; `regions` only when the filters are not in every configured region. Absent when no criterion is expressible. */
  readonly rule: SuppressRule | undefined;
  /** The rule as one line of YAML, ready to paste under `suppress:`. */
  readonly yaml: string | undefined;
  /** Criteria the rule cannot express; empty when it is exactly the filter. A rule without them matches more findings. */
  readonly notExpressible: readonly CriterionText[];
}

/** A filter's criteria as GuardDuty returns them (`FindingCriteria.Criterion`). */
export type Criteria = Readonly<Record<string, Condition>>;

/** The equality values of a condition (`Equals`, or the deprecated `Eq`). */
const equalsOf = (condition: Condition): readonly string[] | undefined => condition.Equals ?? condition.Eq;

/** The `LessThan` of a condition (or the deprecated `Lt`), as a number. */
const lessThanOf = (condition: Condition): number | undefined =>
  condition.LessThan !== undefined ? Number(condition.LessThan) : condition.Lt;

/** Every part of a condition in words, for the ones a rule cannot take. */
export function describeCondition(field: string, condition: Condition): CriterionText[] {
  return Object.entries(condition)
    .filter(([, value]) => value !== undefined)
    .map(
      ([operator, value]) =>
        `${field} ${operator.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()} ${[value].flat().join(', ')}`,
    );
}

/**
 * The rule for filters with `criteria` in `regions` (of `configuredRegions`). `type` and `accountId`
 * equality, `severity` below a number and a `region` equal to the filter's own are expressible.
 */
export function suggestSuppressRule(
  criteria: Criteria,
  regions: readonly string[],
  configuredRegions: readonly string[],
): SuppressSuggestion {
  const rule: { type?: string; accounts?: string[]; regions?: string[]; below?: number; at: 'source' } = {
    at: 'source',
  };
  const notExpressible: CriterionText[] = [];
  for (const [field, condition] of Object.entries(criteria)) {
    const equals = equalsOf(condition);
    const onlyEquals = Object.values(condition).filter((value) => value !== undefined).length === 1;
    if (field === 'type' && equals?.length === 1 && onlyEquals) rule.type = equals[0];
    else if (field === 'accountId' && equals !== undefined && onlyEquals) rule.accounts = [...equals];
    else if (field === 'severity' && lessThanOf(condition) !== undefined && onlyEquals)
      rule.below = lessThanOf(condition);
    else if (
      field === 'region' &&
      equals !== undefined &&
      onlyEquals &&
      equals.every((region) => regions.includes(region))
    )
      continue;
    else notExpressible.push(...describeCondition(field, condition));
  }
  if (!configuredRegions.every((region) => regions.includes(region))) rule.regions = [...regions];
  const ordered = { type: rule.type, accounts: rule.accounts, regions: rule.regions, below: rule.below };
  const fields = Object.entries(ordered).filter(([, value]) => value !== undefined);
  if (fields.length === 0) return { rule: undefined, yaml: undefined, notExpressible };
  const yaml = `- { ${fields.map(([key, value]) => `${key}: ${yamlValue(value as string | number | string[])}`).join(', ')}, at: source }`;
  return { rule: { ...Object.fromEntries(fields), at: 'source' } as SuppressRule, yaml, notExpressible };
}

/** A flow-style YAML value: strings quoted (finding types hold `:` and `/`), lists in brackets. */
function yamlValue(value: string | number | readonly string[]): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  return `[${value.map((item) => JSON.stringify(item)).join(', ')}]`;
}
