import { ListCustomDetectionRuleAssociationsCommand, type GuardDutyClient } from '@aws-sdk/client-guardduty';
import { call } from '../../aws/index.ts';

/**
 * Custom Detection Rule associations: each links one rule of GuardDuty's catalog to the account in a
 * region, in live mode (the rule makes findings) or dry run (GuardDuty only counts its matches in
 * CloudWatch metrics, makes no findings, and ends the dry run 14 days after it began). The config
 * makes none; a rule in dry run is one that someone meant to detect with and that finds nothing.
 */

/** One association of the account in a region. */
export interface RuleAssociation {
  /** The catalog rule's id (`[a-z0-9]+(-[a-z0-9]+)*`). */
  readonly ruleId: string;
  readonly associationId: string;
  /** `LIVE` or `DRY_RUN`. */
  readonly mode: string;
  /** When a dry run ends, ISO 8601; none for a live one. */
  readonly expiresAt: string | undefined;
}

/** Every association in the client's region (`ListCustomDetectionRuleAssociations`, page by page), in GuardDuty's order. */
export async function readRuleAssociations(guardduty: GuardDutyClient): Promise<RuleAssociation[]> {
  const associations: RuleAssociation[] = [];
  let nextToken: string | undefined;
  do {
    const page = await call('ListCustomDetectionRuleAssociations', () =>
      guardduty.send(new ListCustomDetectionRuleAssociationsCommand({ NextToken: nextToken })),
    );
    for (const association of page.RuleAssociations ?? []) {
      associations.push({
        ruleId: association.RuleId ?? '?',
        associationId: association.AssociationId ?? '?',
        mode: association.Mode ?? 'UNKNOWN',
        expiresAt: association.ExpiresAt?.toISOString(),
      });
    }
    nextToken = page.NextToken || undefined;
  } while (nextToken);
  return associations;
}

/** True for an association whose rule makes no findings: it runs in dry run. */
export function ruleInDryRun(association: RuleAssociation): boolean {
  return association.mode === 'DRY_RUN';
}

/** The AWS CLI command that makes the rule of an association make findings. */
export function goLiveCommand(region: string, association: RuleAssociation): string {
  return `aws guardduty update-custom-detection-rule-association --region ${region} --rule-id ${association.ruleId} --association-id ${association.associationId} --mode LIVE`;
}
