import { randomUUID } from 'node:crypto';

/**
 * CloudTrail-shaped EventBridge events for GuardDuty API calls, as CloudTrail delivers them to the
 * default bus (`detail-type` `AWS API Call via CloudTrail`, `detail` a CloudTrail record).
 */

/** The CloudTrail record in `detail` (only what the hub reads, and what real records carry beside it). */
export interface CloudTrailDetail {
  eventVersion: string;
  userIdentity: Record<string, unknown>;
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent: string;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  requestID: string;
  eventID: string;
  readOnly: boolean;
  eventType: 'AwsApiCall';
  managementEvent: boolean;
  recipientAccountId: string;
  eventCategory: 'Management';
  errorCode?: string;
}

/** An assumed-role identity: session ARN and the role that issued it. */
export function assumedRole(accountId: string, role: string, session = 'mallory'): Record<string, unknown> {
  return {
    type: 'AssumedRole',
    principalId: `AROAEXAMPLE:${session}`,
    arn: `arn:aws:sts::${accountId}:assumed-role/${role}/${session}`,
    accountId,
    accessKeyId: 'ASIAEXAMPLE',
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: 'AROAEXAMPLE',
        arn: `arn:aws:iam::${accountId}:role/${role}`,
        accountId,
        userName: role,
      },
      attributes: { creationDate: '2026-12-01T10:00:00Z', mfaAuthenticated: 'false' },
    },
  };
}

/** A CloudTrail record of `eventName` in `accountId`/`region`, by an assumed role `intruder` unless overridden. */
export function makeCloudTrailDetail(
  eventName: string,
  options: {
    accountId?: string;
    region?: string;
    requestParameters?: Record<string, unknown>;
    overrides?: Partial<CloudTrailDetail>;
  } = {},
): CloudTrailDetail {
  const accountId = options.accountId ?? '111111111111';
  return {
    eventVersion: '1.09',
    userIdentity: assumedRole(accountId, 'intruder'),
    eventTime: '2026-12-01T10:15:00Z',
    eventSource: 'guardduty.amazonaws.com',
    eventName,
    awsRegion: options.region ?? 'us-east-1',
    sourceIPAddress: '203.0.113.7',
    userAgent: 'aws-cli/2.15.0 Python/3.11',
    requestParameters: options.requestParameters ?? { detectorId: '12abc34d567e8fa901bc2d34e56789f0' },
    responseElements: null,
    requestID: randomUUID(),
    eventID: randomUUID(),
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: accountId,
    eventCategory: 'Management',
    ...options.overrides,
  };
}

/** The EventBridge envelope around a CloudTrail record, as the hub queue receives it. */
export function makeCloudTrailEvent(detail: CloudTrailDetail): Record<string, unknown> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.guardduty',
    account: detail.recipientAccountId,
    time: detail.eventTime,
    region: detail.awsRegion,
    resources: [],
    detail,
  };
}

/** Request parameters that make each watched call a weakening one, as the GuardDuty API names them. */
export const WEAKENING_REQUESTS: Readonly<Record<string, Record<string, unknown>>> = {
  UpdateDetector: { detectorId: 'd1', enable: false },
  CreateFilter: {
    detectorId: 'd1',
    name: 'quiet-please',
    action: 'ARCHIVE',
    rank: 1,
    findingCriteria: { criterion: { type: { equals: ['UnauthorizedAccess:EC2/SSHBruteForce'] } } },
  },
  CreateIPSet: {
    detectorId: 'd1',
    name: 'ours',
    format: 'TXT',
    location: 'https://s3.amazonaws.com/bucket/ips.txt',
    activate: true,
  },
  DisassociateMembers: { detectorId: 'd1', accountIds: ['222222222222'] },
  UpdateOrganizationConfiguration: { detectorId: 'd1', autoEnableOrganizationMembers: 'NONE' },
  UpdateCustomDetectionRuleAssociation: { RuleId: 'r1', AssociationId: 'a1', mode: 'DRY_RUN' },
};
