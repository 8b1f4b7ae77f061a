import type { Route } from '../../shared/index.ts';
import type { Decision, RouteConfig } from '../route/types.ts';
import type { Finding, FindingKind, ParseResult } from '../types.ts';

/**
 * What every stage needs from a kind of alert, registered once in `registry.ts`: how to recognise
 * its events on the hub queue, how to read one into a `Finding`, and where one goes. Stages loop over
 * the registry instead of testing optional fields: adding a kind is its folder and one registry line.
 */
export interface AlertKind {
  /** The `Finding.kind` of the findings it reads. */
  readonly kind: FindingKind;
  /** True for an event of this kind (by `source` and `detail-type`); tried in registry order. */
  recognises(event: Readonly<Record<string, unknown>>): boolean;
  /** The event as a finding of this kind, or why it is not one. Never throws. */
  parse(event: Readonly<Record<string, unknown>>): ParseResult;
  /**
   * Where a finding of this kind goes, or why it is skipped. `routeOf` is the account's route
   * (destination and threshold), worked out once per batch. May return the finding changed (a
   * quiet tamper change).
   */
  route(finding: Finding, config: RouteConfig, routeOf: (accountId: string) => Route): Decision;
  /** True when findings of this kind may share a digest message; a configuration change always stands alone. */
  readonly digested: boolean;
}
