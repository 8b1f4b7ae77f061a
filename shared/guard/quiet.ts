import type { GuardConfig } from '../config/schema.ts';

/** Who made a call, as CloudTrail's `userIdentity` gives it. */
export interface PrincipalIdentity {
  /** `userIdentity.arn`: a user ARN, or an assumed-role session `arn:aws:sts::…:assumed-role/<role>/<session>`. */
  readonly arn: string | undefined;
  /** `userIdentity.sessionContext.sessionIssuer.arn`: the role behind a session (`arn:aws:iam::…:role/<role>`). */
  readonly issuerArn: string | undefined;
}

/**
 * True when the caller is one of `guard.quietPrincipals`: its ARN is listed, or the role that issued
 * its session is (a role ARN covers every session of the role).
 */
export function isQuietPrincipal(guard: Pick<GuardConfig, 'quietPrincipals'>, who: PrincipalIdentity): boolean {
  return guard.quietPrincipals.some((arn) => arn === who.arn || arn === who.issuerArn);
}
