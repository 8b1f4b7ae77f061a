/**
 * The GuardDuty API calls that can blind the detector, as CloudTrail records them (`eventName`,
 * the API operation name). They are chosen by a rule, {@link shouldWatch}, and a test
 * (test/config/tamper-events.test.ts) checks that the list is exactly what the rule selects from the
 * GuardDuty API model, so a new operation cannot slip past. The region stacks match exactly these
 * names; the consumer explains each one with its entry here.
 */

/** What part of GuardDuty a call changes. */
export type TamperTarget =
  | 'detector'
  | 'filter'
  | 'ip-set'
  | 'threat-intel-set'
  | 'threat-entity-set'
  | 'trusted-entity-set'
  | 'members'
  | 'administrator'
  | 'publishing'
  | 'organization'
  | 'malware-protection'
  | 'custom-detection-rule';

/** One watched API call: what it changes and, in a few words, why it matters. */
export interface TamperEventSpec {
  readonly target: TamperTarget;
  /** `deleted`, `created`, `changed`, … as shown in the alert's headline. */
  readonly change: string;
  /** Why an attacker would do this; shown under the headline. */
  readonly risk: string;
}

/** EventBridge `detail-type` of management events that CloudTrail delivers. */
export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';

/** CloudTrail `eventSource` of GuardDuty API calls. */
export const GUARDDUTY_EVENT_SOURCE = 'guardduty.amazonaws.com';

/** Verbs whose every GuardDuty operation can remove detection or divert findings. */
const WEAKENING_VERB = /^(Delete|Disable|Disassociate|Stop|Update)[A-Z]/;

/**
 * The `Create*` calls watched, each with why. The first three narrow detection; a new threat list
 * widens it, but is reported as a change (Medium, never "weakened") so that an unexpected one is seen.
 */
export const WATCHED_CREATES = {
  CreateFilter: 'an ARCHIVE filter hides the findings it matches',
  CreateIPSet: 'traffic with trusted IP addresses raises no findings',
  CreateTrustedEntitySet: 'traffic with trusted entities raises no findings',
  CreateThreatIntelSet: 'a new threat list steers detection',
  CreateThreatEntitySet: 'a new threat list steers detection',
} as const;

/** Operations of the weakening verbs that cannot weaken detection, each with the reason it is not watched. */
export const NOT_WATCHED = {
  DeleteInvitations: 'deletes invitations this account received, not a membership: no finding stops flowing',
  UpdateFindingsFeedback: 'marks findings useful or not useful: detection and delivery are unchanged',
} as const;

/**
 * The rule that picks the watched calls from the GuardDuty API: every `Delete*`, `Disable*`,
 * `Disassociate*`, `Stop*` and `Update*` operation, plus {@link WATCHED_CREATES}, minus
 * {@link NOT_WATCHED}. `TAMPER_EVENTS` holds exactly the operations of the model it selects.
 */
export function shouldWatch(operationName: string): boolean {
  if (Object.hasOwn(NOT_WATCHED, operationName)) return false;
  return WEAKENING_VERB.test(operationName) || Object.hasOwn(WATCHED_CREATES, operationName);
}

const SUPPRESSES = 'can archive or hide findings before anyone sees them';
const TRUSTS = 'traffic to or from trusted addresses raises no findings';
const UNLISTS = 'known-bad addresses may stop raising findings';

/**
 * `Create<noun>`, `Update<noun>` and `Delete<noun>` of one kind of list or filter, with the risk of
 * adding or changing it and the risk of deleting it.
 */
function crud<const N extends string>(
  noun: N,
  target: TamperTarget,
  risks: { readonly create: string; readonly update: string; readonly delete: string },
): Record<`Create${N}` | `Update${N}` | `Delete${N}`, TamperEventSpec> {
  return {
    [`Create${noun}`]: { target, change: 'created', risk: risks.create },
    [`Update${noun}`]: { target, change: 'changed', risk: risks.update },
    [`Delete${noun}`]: { target, change: 'deleted', risk: risks.delete },
  } as Record<`Create${N}` | `Update${N}` | `Delete${N}`, TamperEventSpec>;
}

const MEMBERS_GONE = "the members' findings stop reaching the administrator";
const ADMIN_GONE = "this account's findings stop reaching the administrator";
const STEERS = 'threat lists steer detection';
const RULE_SILENT = 'a custom detection rule without an association produces no findings';

/** The watched calls by CloudTrail `eventName`. */
export const TAMPER_EVENTS = {
  DeleteDetector: { target: 'detector', change: 'deleted', risk: 'GuardDuty stops in this region: no findings at all' },
  UpdateDetector: {
    target: 'detector',
    change: 'changed',
    risk: 'a disabled detector or feature stops findings of that kind',
  },
  UpdateMemberDetectors: {
    target: 'detector',
    change: 'changed for members',
    risk: 'features turned off for members stop their findings',
  },
  ...crud('Filter', 'filter', {
    create: SUPPRESSES,
    update: SUPPRESSES,
    delete: 'a filter the hub relies on may be gone',
  }),
  ...crud('IPSet', 'ip-set', { create: TRUSTS, update: TRUSTS, delete: 'a trusted IP list changed' }),
  ...crud('ThreatIntelSet', 'threat-intel-set', { create: STEERS, update: UNLISTS, delete: UNLISTS }),
  ...crud('ThreatEntitySet', 'threat-entity-set', { create: STEERS, update: UNLISTS, delete: UNLISTS }),
  ...crud('TrustedEntitySet', 'trusted-entity-set', {
    create: TRUSTS,
    update: TRUSTS,
    delete: 'a trusted entity list changed',
  }),
  DisassociateMembers: { target: 'members', change: 'disassociated', risk: MEMBERS_GONE },
  DeleteMembers: { target: 'members', change: 'deleted', risk: MEMBERS_GONE },
  StopMonitoringMembers: { target: 'members', change: 'no longer monitored', risk: MEMBERS_GONE },
  DisassociateFromAdministratorAccount: { target: 'administrator', change: 'left', risk: ADMIN_GONE },
  DisassociateFromMasterAccount: { target: 'administrator', change: 'left', risk: ADMIN_GONE },
  DeletePublishingDestination: {
    target: 'publishing',
    change: 'deleted',
    risk: 'findings are no longer exported to S3',
  },
  UpdatePublishingDestination: { target: 'publishing', change: 'changed', risk: 'findings may be exported elsewhere' },
  UpdateOrganizationConfiguration: {
    target: 'organization',
    change: 'changed',
    risk: 'new or existing accounts may no longer be enabled',
  },
  DisableOrganizationAdminAccount: {
    target: 'organization',
    change: 'administrator removed',
    risk: 'the organization loses its GuardDuty administrator',
  },
  DeleteMalwareProtectionPlan: {
    target: 'malware-protection',
    change: 'deleted',
    risk: 'uploaded objects are no longer scanned for malware',
  },
  UpdateMalwareProtectionPlan: {
    target: 'malware-protection',
    change: 'changed',
    risk: 'malware scanning may cover less',
  },
  UpdateMalwareScanSettings: {
    target: 'malware-protection',
    change: 'changed',
    risk: 'malware scans may skip resources',
  },
  UpdateCustomDetectionRuleAssociation: {
    target: 'custom-detection-rule',
    change: 'changed',
    risk: 'a rule switched to dry run stops producing findings',
  },
  DeleteCustomDetectionRuleAssociation: { target: 'custom-detection-rule', change: 'disabled', risk: RULE_SILENT },
  UpdateCustomDetectionRuleOrgConfiguration: {
    target: 'custom-detection-rule',
    change: 'changed for the organization',
    risk: 'a rule in dry run, or with accounts excluded, stops producing their findings',
  },
  DeleteCustomDetectionRuleOrgConfiguration: {
    target: 'custom-detection-rule',
    change: 'removed from the organization',
    risk: "the rule stops producing findings in the organization's accounts",
  },
} as const satisfies Record<string, TamperEventSpec>;

/** A watched CloudTrail `eventName`. */
export type TamperEventName = keyof typeof TAMPER_EVENTS;

/** Every watched event name, sorted (the order of the region stacks' event pattern). */
export const TAMPER_EVENT_NAMES: readonly TamperEventName[] = (Object.keys(TAMPER_EVENTS) as TamperEventName[]).sort();

/** True for a watched event name. */
export const isTamperEventName = (name: string): name is TamperEventName => Object.hasOwn(TAMPER_EVENTS, name);

/** Readable names of the targets, for headlines. */
export const TAMPER_TARGET_LABEL: Readonly<Record<TamperTarget, string>> = {
  detector: 'GuardDuty detector',
  filter: 'GuardDuty filter',
  'ip-set': 'trusted IP list',
  'threat-intel-set': 'threat intel list',
  'threat-entity-set': 'threat entity list',
  'trusted-entity-set': 'trusted entity list',
  members: 'GuardDuty members',
  administrator: 'GuardDuty administrator',
  publishing: 'findings export',
  organization: 'GuardDuty organization settings',
  'malware-protection': 'malware protection',
  'custom-detection-rule': 'custom detection rule',
};

/** The EventBridge pattern for watched GuardDuty calls (CloudTrail management events). */
export function tamperEventPattern(): object {
  return {
    source: ['aws.guardduty'],
    'detail-type': [CLOUDTRAIL_DETAIL_TYPE],
    detail: { eventSource: [GUARDDUTY_EVENT_SOURCE], eventName: [...TAMPER_EVENT_NAMES] },
  };
}
