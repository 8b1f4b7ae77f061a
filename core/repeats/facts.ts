import type { ResourceCriterion } from '../kinds/finding/criterion.ts';
import type { Finding } from '../types.ts';

/**
 * What a GuardDuty finding's record keeps about it once its notification is committed, for "Suppress
 * like this" to count what its filter would have matched (`history.ts` reads them back).
 */

/** The facts kept on a finding's record (GuardDuty findings only: the kind a filter acts on). */
export interface FindingFacts {
  readonly findingId: string;
  readonly type: string;
  readonly accountId: string;
  readonly region: string;
  /** The resource's single identifier as a filter criterion, when it has one. */
  readonly resource?: ResourceCriterion;
  /** True when the finding named the attack sequence it belongs to (`associatedAttackSequenceArn`). */
  readonly inSequence: boolean;
}

/** The facts of `finding`, or undefined for kinds a GuardDuty filter does not act on (tamper, drift, …). */
export function factsOf(finding: Finding): FindingFacts | undefined {
  if (finding.kind !== 'finding') return undefined;
  return {
    findingId: finding.id,
    type: finding.type,
    accountId: finding.accountId,
    region: finding.region,
    ...(finding.resourceCriterion === undefined ? {} : { resource: finding.resourceCriterion }),
    inSequence: finding.attackSequenceArn !== undefined,
  };
}
