import type { GuardConfig, HubConfig } from '../config/schema.ts';
import { driftRoleArn, triageRoleArn } from '../names.ts';

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

/**
 * The hub's own principals whose GuardDuty changes are expected whatever the config lists: with
 * `triage:`, the triage function's role (its `ArchiveFindings`, `UnarchiveFindings`, `CreateFilter`
 * and `TagResource` calls are what users asked for in Slack, and say so in the thread), and the drift
 * check's role (its `DeleteFilter` removes a Slack-made filter at its expiry, and says so in the thread).
 */
export function impliedQuietPrincipals(config: Pick<HubConfig, 'hub' | 'triage'>): string[] {
  return config.triage === undefined ? [] : [triageRoleArn(config), driftRoleArn(config)];
}

/** `config` with {@link impliedQuietPrincipals} added to `guard.quietPrincipals` (each once, listed ones first). */
export function withImpliedQuietPrincipals<T extends Pick<HubConfig, 'hub' | 'triage' | 'guard'>>(config: T): T {
  const implied = impliedQuietPrincipals(config).filter((arn) => !config.guard.quietPrincipals.includes(arn));
  if (implied.length === 0) return config;
  return { ...config, guard: { ...config.guard, quietPrincipals: [...config.guard.quietPrincipals, ...implied] } };
}
