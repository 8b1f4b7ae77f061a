import type { TamperEventName, TamperEventSpec } from '../../../shared/guard/index.ts';

/**
 * A GuardDuty configuration change, read from a CloudTrail event (`AWS API Call via CloudTrail`).
 * It rides through routing, the repeat gate and delivery as a `Finding` whose `tamper` field is set.
 * Text fields are raw (unescaped): CloudTrail fields such as the user agent are caller controlled.
 */
export interface TamperChange {
  /** CloudTrail `eventName`: the GuardDuty API operation. */
  readonly eventName: TamperEventName;
  readonly spec: TamperEventSpec;
  /** True when the call turns something off or hides findings (detector disabled, ARCHIVE filter, …). */
  readonly weakening: boolean;
  /** CloudTrail `eventID`. */
  readonly eventId: string;
  /** `eventTime`, ISO 8601. */
  readonly eventTime: string | undefined;
  /** The account the call was made in (`recipientAccountId`, else the envelope's `account`). */
  readonly accountId: string;
  readonly region: string;
  readonly principal: {
    /** `userIdentity.arn` */
    readonly arn: string | undefined;
    /** `userIdentity.sessionContext.sessionIssuer.arn`: the role behind a session. */
    readonly issuerArn: string | undefined;
    /** `userIdentity.type`: IAMUser, AssumedRole, Root, AWSService, … */
    readonly type: string | undefined;
  };
  readonly sourceIp: string | undefined;
  readonly userAgent: string | undefined;
  /** Key request parameters as `[dotted.path, value]`, at most {@link MAX_PARAMETERS}. */
  readonly parameters: readonly (readonly [name: string, value: string])[];
  /** `errorCode` when the call failed (an attempt is worth knowing about too). */
  readonly errorCode: string | undefined;
  /** Set by routing when the caller is one of `guard.quietPrincipals`. */
  readonly quiet?: boolean;
}

/** Most request parameters kept per change. */
export const MAX_PARAMETERS = 12;
