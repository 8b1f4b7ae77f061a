import { createHash } from 'node:crypto';
import { SLACK_FILTER_PREFIX } from '../../../shared/index.ts';
import type { TriageTarget } from './target.ts';

/**
 * The filter "Suppress like this" makes: the finding's type and account, and its resource's single
 * identifier when it has one (GuardDuty filter fields, `Equals`). Its name is the Slack-made prefix and
 * a hash of the criteria, so the same suppression made twice (or from two copies) is one filter.
 */

/** One condition, as `CreateFilter`'s `FindingCriteria.Criterion` takes it. */
export type SuppressCriteria = Readonly<Record<string, { readonly Equals: readonly string[] }>>;

/** The criteria for `target`: `type`, `accountId`, and the resource field when it has one. */
export function suppressCriteria(target: TriageTarget): SuppressCriteria {
  return {
    type: { Equals: [target.type] },
    accountId: { Equals: [target.accountId] },
    ...(target.resource === undefined ? {} : { [target.resource.field]: { Equals: [target.resource.value] } }),
  };
}

/** `gdh-slack-<16 hex>`: GuardDuty filter names are 3–64 of `A-Za-z0-9_.-`. */
export function suppressFilterName(criteria: SuppressCriteria): string {
  const canonical = JSON.stringify(
    Object.entries(criteria)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([field, criterion]) => [field, criterion?.Equals]),
  );
  return `${SLACK_FILTER_PREFIX}${createHash('sha256').update(canonical).digest('hex').slice(0, 16)}`;
}

/** The criteria as plain text, one condition a line: `type = Recon:EC2/PortProbeUnprotectedPort`. */
export function criteriaText(criteria: SuppressCriteria): string {
  return Object.entries(criteria)
    .map(([field, condition]) => `${field} = ${condition.Equals.join(', ')}`)
    .join('\n');
}
