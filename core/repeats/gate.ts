import { randomUUID } from 'node:crypto';
import type { RoutedFinding } from '../types.ts';
import { decide } from './decide.ts';
import type { RepeatStateError } from './errors.ts';
import type { CommitReport, GateResult, ReleaseReport, RepeatGate, RepeatGateOptions } from './gate-types.ts';
import {
  latestPerId,
  onePerRegion,
  singleton,
  toGroup,
  type Candidate,
  type IssueJoin,
  type NotifyGroup,
} from './group.ts';
import { asStateError, failOpen, findingCommitOf, groupBy, Outcome, stateOf } from './outcome.ts';
import { issueNotificationKey, notificationKey } from './keys.ts';
import { crossRegionWindowMs, expiresAtSeconds, type RepeatSettings } from './settings.ts';
import { hasLiveClaim, type StateRecord, type StateStore } from './store.ts';

interface Held {
  readonly key: string;
  readonly token: string;
}

/** A candidate with its claim (`undefined`: the store failed, so it is notified unclaimed: fail open). */
interface Claimed {
  readonly candidate: Candidate;
  readonly held: Held | undefined;
}

interface Pending {
  readonly group: NotifyGroup;
  /** Claimed finding records, by notification key (finding and lane). */
  readonly members: ReadonlyMap<string, Held>;
  /** The group's issue record as read (findings with a global identity only): written after delivery. */
  readonly issue: { readonly key: string; readonly record: StateRecord | undefined } | undefined;
  /** When the claims expire (epoch ms): after that the group is forgotten even if never settled. */
  readonly untilMs: number;
}

/** The repeat gate for `options.settings`: a pass-through when `enabled` is false. */
export function createRepeatGate(options: RepeatGateOptions): RepeatGate {
  return options.settings.enabled ? new StoreGate(options) : passThroughGate();
}

/** A gate that notifies every finding on its own and stores nothing. */
export function passThroughGate(): RepeatGate {
  return {
    filter: async (routed) => ({
      notify: routed.map((item) => singleton(item, 'new')),
      repeats: [],
      deferred: [],
      errors: [],
    }),
    commit: async () => ({ recorded: 0, lost: 0, errors: [] }),
    release: async () => ({ errors: [] }),
  };
}

class StoreGate implements RepeatGate {
  readonly #settings: RepeatSettings;
  readonly #store: StateStore;
  readonly #claimMs: number;
  readonly #newToken: () => string;
  readonly #pending = new Map<string, Pending>();

  constructor(options: RepeatGateOptions) {
    this.#settings = options.settings;
    this.#store = options.store;
    this.#claimMs = (options.claimSeconds ?? 300) * 1000;
    this.#newToken = options.newToken ?? randomUUID;
  }

  async filter(routed: readonly RoutedFinding[], nowMs: number): Promise<GateResult> {
    for (const [id, pending] of this.#pending) if (pending.untilMs <= nowMs) this.#pending.delete(id);
    const { latest, superseded } = latestPerId(routed);
    const keySet = new Set<string>();
    for (const item of latest) {
      keySet.add(notificationKey(item));
      const issue = this.#issueKey(item);
      if (issue !== undefined) keySet.add(issue);
    }
    const keys = [...keySet];
    let records: ReadonlyMap<string, StateRecord>;
    try {
      records = await this.#store.read(keys);
    } catch (error) {
      return { ...failOpen(latest, superseded), errors: [asStateError(error, 'read', keys[0] ?? '')] };
    }
    const out = new Outcome(superseded);
    const candidates: Candidate[] = [];
    for (const item of latest) {
      const candidate = this.#decideOne(item, records.get(notificationKey(item)), nowMs, out);
      if (candidate !== undefined) candidates.push(candidate);
    }
    const claimed = await this.#claimAll(candidates, records, nowMs, out);
    const byIssue = groupBy(claimed, ({ candidate }) => {
      const key = this.#issueKey(candidate.routed) ?? notificationKey(candidate.routed);
      return `${key}\n${candidate.routed.destination}`;
    });
    for (const sameIssue of byIssue.values()) {
      for (const part of onePerRegion(sameIssue, ({ candidate }) => candidate.routed.finding.region))
        this.#open(part, records, nowMs, out);
    }
    return out.result();
  }

  async commit(delivered: readonly RoutedFinding[], nowMs: number): Promise<CommitReport> {
    let recorded = 0;
    let lost = 0;
    const errors: RepeatStateError[] = [];
    const settled = this.#take(delivered);
    const finalize = async (held: Held, member: RoutedFinding): Promise<void> => {
      const { state, ttl } = findingCommitOf(member, nowMs, this.#settings);
      try {
        if (await this.#store.finalize(held.key, state, held.token, ttl)) recorded += 1;
        else lost += 1;
      } catch (error) {
        errors.push(asStateError(error, 'finalize', held.key));
      }
    };
    const writes: Promise<void>[] = [];
    for (const pending of settled) {
      for (const member of pending.group.members) {
        const held = pending.members.get(notificationKey(member));
        if (held !== undefined) writes.push(finalize(held, member));
      }
      // Only a group with a cross-region issue has an issue record to write.
      if (pending.issue === undefined) continue;
      writes.push(
        this.#recordIssue(pending, nowMs).then((error) => {
          if (error !== undefined) errors.push(error);
        }),
      );
    }
    await Promise.all(writes);
    return { recorded, lost, errors };
  }

  async release(undelivered: readonly RoutedFinding[]): Promise<ReleaseReport> {
    const held = this.#take(undelivered).flatMap((pending) => [...pending.members.values()]);
    const failures = await Promise.all(held.map((entry) => this.#drop(entry)));
    return { errors: failures.filter((error): error is RepeatStateError => error !== undefined) };
  }

  /** The issue key of a finding, when cross-region folding is on and its resource has a global identity. */
  #issueKey(routed: RoutedFinding): string | undefined {
    return crossRegionWindowMs(this.#settings) > 0 ? issueNotificationKey(routed) : undefined;
  }

  /** Decides one finding against its record: a candidate to notify, or undefined when sorted into `out`. */
  #decideOne(
    routed: RoutedFinding,
    record: StateRecord | undefined,
    nowMs: number,
    out: Outcome,
  ): Candidate | undefined {
    if (hasLiveClaim(record, nowMs)) {
      this.#afterConflict(routed, record, nowMs, out);
      return undefined;
    }
    const decision = decide(record?.notified, routed.finding, nowMs, this.#settings);
    if (!decision.notify) {
      out.repeat(routed);
      return undefined;
    }
    return { routed, why: decision.why };
  }

  /**
   * A finding whose record someone holds or changed since it was read. A live claim means a message
   * is in flight, not that it was sent: the finding is handed back until the claim expires, when the
   * record says whether the message went out. Without a live claim, what was committed decides: a
   * repeat if it covers this finding, else it is decided again at once (`retryAtMs` now).
   */
  #afterConflict(routed: RoutedFinding, current: StateRecord | undefined, nowMs: number, out: Outcome): void {
    const claim = current?.claim;
    if (claim !== undefined && claim.untilMs > nowMs) out.defer(routed, claim.untilMs);
    else if (decide(current?.notified, routed.finding, nowMs, this.#settings).notify) out.defer(routed, nowMs);
    else out.repeat(routed);
  }

  /** Claims each candidate's finding record; losers go to `out`. A store failure notifies unclaimed (fail open). */
  async #claimAll(
    candidates: readonly Candidate[],
    records: ReadonlyMap<string, StateRecord>,
    nowMs: number,
    out: Outcome,
  ): Promise<Claimed[]> {
    // The store bounds its own requests in flight (DynamoStateStoreOptions.concurrency).
    const results = await Promise.all(candidates.map((candidate) => this.#claim(candidate, records, nowMs, out)));
    return results.filter((claimed): claimed is Claimed => claimed !== undefined);
  }

  /** Claims one candidate's finding record: held, or undefined when another took it (sorted into `out`). */
  async #claim(
    candidate: Candidate,
    records: ReadonlyMap<string, StateRecord>,
    nowMs: number,
    out: Outcome,
  ): Promise<Claimed | undefined> {
    const key = notificationKey(candidate.routed);
    try {
      const { band, severity, count } = candidate.routed.finding;
      const token = this.#newToken();
      const claim = { token, untilMs: nowMs + this.#claimMs, band, severity, count };
      const guard = { version: records.get(key)?.version ?? 0, nowMs };
      const outcome = await this.#store.claim(key, claim, guard, expiresAtSeconds(nowMs, this.#settings));
      if (outcome.ok) return { candidate, held: { key, token } };
      this.#afterConflict(candidate.routed, (await this.#store.read([key])).get(key), nowMs, out);
      return undefined;
    } catch (error) {
      out.errors.push(asStateError(error, 'claim', key));
      return { candidate, held: undefined };
    }
  }

  /** Makes the group of `claimed` (one issue and destination, one finding per region) and keeps its claims. */
  #open(claimed: readonly Claimed[], records: ReadonlyMap<string, StateRecord>, nowMs: number, out: Outcome): void {
    const base = toGroup(claimed.map(({ candidate }) => candidate));
    const issue = this.#issueKey(base);
    const record = issue === undefined ? undefined : records.get(issue);
    const joins = this.#joinOf(base, record, nowMs);
    const group: NotifyGroup = joins === undefined ? base : { ...base, joins };
    const members = new Map<string, Held>();
    for (const { candidate, held } of claimed)
      if (held !== undefined) members.set(notificationKey(candidate.routed), held);
    const pending: Pending = {
      group,
      members,
      issue: issue === undefined ? undefined : { key: issue, record },
      untilMs: nowMs + this.#claimMs,
    };
    for (const member of group.members) this.#pending.set(notificationKey(member), pending);
    out.notify.push(group);
  }

  /** The issue `group` joins: notified to the same destination within the window, from other regions. */
  #joinOf(group: NotifyGroup, record: StateRecord | undefined, nowMs: number): IssueJoin | undefined {
    const opened = record?.notified;
    const identity = group.finding.foldIdentity;
    if (opened === undefined || identity === undefined || opened.destination !== group.destination) return undefined;
    if (nowMs - opened.notifiedAtMs >= crossRegionWindowMs(this.#settings)) return undefined;
    if (group.regions.every((region) => opened.regions.includes(region))) return undefined;
    return { regions: [...opened.regions].sort(), notifiedAtMs: opened.notifiedAtMs, identity };
  }

  /**
   * After delivery, records where a cross-region issue was notified: its regions are added to the
   * issue record when the group joined it, else a new record opens the window. It only feeds the
   * "joins" note of later messages, so a lost race is ignored; a store error is returned to be counted.
   */
  async #recordIssue(pending: Pending, nowMs: number): Promise<RepeatStateError | undefined> {
    const { issue, group } = pending;
    if (issue === undefined) return undefined;
    try {
      if (group.joins !== undefined) await this.#store.addRegions(issue.key, group.regions, group.joins.notifiedAtMs);
      else {
        const guard = { version: issue.record?.version ?? 0, nowMs };
        await this.#store.record(
          issue.key,
          stateOf(group, group.regions, nowMs),
          guard,
          expiresAtSeconds(nowMs, this.#settings),
        );
      }
      return undefined;
    } catch (error) {
      return asStateError(error, group.joins === undefined ? 'record' : 'addRegions', issue.key);
    }
  }

  /** Drops a claim; a failure is returned to be counted (the claim then expires after `claimSeconds`). */
  async #drop(held: Held): Promise<RepeatStateError | undefined> {
    try {
      await this.#store.release(held.key, held.token);
      return undefined;
    } catch (error) {
      return asStateError(error, 'release', held.key);
    }
  }

  /** The pending groups of `items` (groups or members), removed from the pending map. */
  #take(items: readonly RoutedFinding[]): Pending[] {
    const found = new Set<Pending>();
    for (const item of items) {
      const pending = this.#pending.get(notificationKey(item));
      if (pending !== undefined) found.add(pending);
    }
    for (const pending of found)
      for (const member of pending.group.members) this.#pending.delete(notificationKey(member));
    return [...found];
  }
}
