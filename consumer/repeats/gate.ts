import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import type { RoutedFinding } from '../types.ts';
import { decide, type NotifiedState, type NotifyReason } from './decide.ts';
import type { RepeatStateError } from './errors.ts';
import type { CommitReport, GateResult, RepeatGate, RepeatGateOptions } from './gate-types.ts';
import { latestPerId, singleton, toGroup, type Candidate, type NotifyGroup } from './group.ts';
import { asStateError, failOpen, groupBy, Outcome, stateOf } from './outcome.ts';
import { findingKey, issueKey } from './keys.ts';
import { crossRegionWindowMs, expiresAtSeconds, type RepeatSettings } from './settings.ts';
import { hasLiveClaim, type StateRecord, type StateStore } from './store.ts';

interface Held {
  readonly key: string;
  readonly token: string;
}

interface Pending {
  readonly group: NotifyGroup;
  /** Claimed finding records, by finding id. */
  readonly members: ReadonlyMap<string, Held>;
  /** The claimed issue record, when this group opens the issue's cross-region window. */
  readonly issue: Held | undefined;
  /** When the claims expire (epoch ms): after that the group is forgotten even if never settled. */
  readonly untilMs: number;
}

/** Reasons a finding of an issue already notified in another region is folded into that message. */
const FOLDABLE: ReadonlySet<NotifyReason> = new Set(['new', 'renotify-due']);

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
    release: async () => {},
  };
}

class StoreGate implements RepeatGate {
  readonly #settings: RepeatSettings;
  readonly #store: StateStore;
  readonly #claimMs: number;
  readonly #limit: ReturnType<typeof pLimit>;
  readonly #newToken: () => string;
  readonly #pending = new Map<string, Pending>();

  constructor(options: RepeatGateOptions) {
    this.#settings = options.settings;
    this.#store = options.store;
    this.#claimMs = (options.claimSeconds ?? 300) * 1000;
    this.#limit = pLimit(options.concurrency ?? 16);
    this.#newToken = options.newToken ?? randomUUID;
  }

  async filter(routed: readonly RoutedFinding[], nowMs: number): Promise<GateResult> {
    for (const [id, pending] of this.#pending) if (pending.untilMs <= nowMs) this.#pending.delete(id);
    const { latest, superseded } = latestPerId(routed);
    const windowMs = crossRegionWindowMs(this.#settings);
    const keys = latest.flatMap((item) => (windowMs > 0 ? [findingKey(item.finding), issueKey(item.finding)] : [findingKey(item.finding)]));
    let records: ReadonlyMap<string, StateRecord>;
    try {
      records = await this.#store.read(keys);
    } catch (error) {
      return { ...failOpen(latest, superseded), errors: [asStateError(error, 'read', keys[0] ?? '')] };
    }
    const out = new Outcome(superseded);
    const candidates = latest.flatMap((item) => this.#triage(item, records.get(findingKey(item.finding)), nowMs, out));
    const groups = groupBy(candidates, (c) =>
      windowMs > 0 ? `${issueKey(c.routed.finding)}\n${c.routed.destination}` : findingKey(c.routed.finding),
    );
    await Promise.all([...groups.values()].map((members) => this.#settleGroup(members, records, nowMs, out)));
    return out.result();
  }

  async commit(delivered: readonly RoutedFinding[], nowMs: number): Promise<CommitReport> {
    let recorded = 0;
    let lost = 0;
    const errors: RepeatStateError[] = [];
    const writes = this.#take(delivered).flatMap((pending) => {
      const jobs = pending.group.members.flatMap((member) => {
        const held = pending.members.get(member.finding.id);
        return held === undefined ? [] : [{ held, state: stateOf(member, [member.finding.region], nowMs) }];
      });
      if (pending.issue !== undefined) {
        jobs.push({ held: pending.issue, state: stateOf(pending.group, pending.group.regions, nowMs) });
      }
      return jobs;
    });
    await Promise.all(
      writes.map(({ held, state }) =>
        this.#limit(async () => {
          try {
            const ok = await this.#store.finalize(held.key, state, held.token, expiresAtSeconds(nowMs, this.#settings));
            if (ok) recorded += 1;
            else lost += 1;
          } catch (error) {
            errors.push(asStateError(error, 'finalize', held.key));
          }
        }),
      ),
    );
    return { recorded, lost, errors };
  }

  async release(undelivered: readonly RoutedFinding[]): Promise<void> {
    const held = this.#take(undelivered).flatMap((pending) => [
      ...pending.members.values(),
      ...(pending.issue === undefined ? [] : [pending.issue]),
    ]);
    await Promise.all(held.map((entry) => this.#drop(entry)));
  }

  /** Decides one finding against its record: a candidate to notify, or sorted into `out`. */
  #triage(routed: RoutedFinding, record: StateRecord | undefined, nowMs: number, out: Outcome): Candidate[] {
    if (hasLiveClaim(record, nowMs)) {
      out.add(this.#afterConflict(routed, record, nowMs), routed);
      return [];
    }
    const decision = decide(record?.notified, routed.finding, nowMs, this.#settings);
    if (!decision.notify) {
      out.add('repeat', routed);
      return [];
    }
    return [{ routed, why: decision.why }];
  }

  /**
   * A finding whose record another instance holds or changed: a repeat if what that instance notifies
   * (or notified) covers it, otherwise deferred so it is decided again once that instance is done.
   */
  #afterConflict(routed: RoutedFinding, current: StateRecord | undefined, nowMs: number): 'repeat' | 'deferred' {
    const claim = current?.claim;
    const covering: NotifiedState | undefined =
      claim !== undefined && claim.untilMs > nowMs
        ? { ...claim, notifiedAtMs: nowMs, destination: routed.destination, regions: [] }
        : current?.notified;
    return decide(covering, routed.finding, nowMs, this.#settings).notify ? 'deferred' : 'repeat';
  }

  /** Folds, claims and groups the candidates of one issue and destination. */
  async #settleGroup(
    candidates: readonly Candidate[],
    records: ReadonlyMap<string, StateRecord>,
    nowMs: number,
    out: Outcome,
  ): Promise<void> {
    const first = candidates[0]!.routed;
    const windowMs = crossRegionWindowMs(this.#settings);
    const issue = windowMs > 0 ? issueKey(first.finding) : undefined;
    const issueRecord = issue === undefined ? undefined : records.get(issue);
    const foldable = candidates.filter((c) => FOLDABLE.has(c.why));
    let sending = candidates;
    if (issue !== undefined && foldable.length > 0) {
      const opened = issueRecord?.notified;
      if (opened !== undefined && nowMs - opened.notifiedAtMs < windowMs && opened.destination === first.destination) {
        await this.#fold(foldable, issue, opened.notifiedAtMs, records, nowMs, out);
        sending = candidates.filter((c) => !FOLDABLE.has(c.why));
      } else if (hasLiveClaim(issueRecord, nowMs)) {
        for (const c of foldable) out.add('deferred', c.routed);
        sending = candidates.filter((c) => !FOLDABLE.has(c.why));
      }
    }
    const claimed = await this.#claimAll(sending, records, nowMs, out);
    let issueHeld: Held | undefined;
    let kept = claimed;
    const opening = claimed.filter(({ candidate }) => FOLDABLE.has(candidate.why));
    if (issue !== undefined && opening.length > 0) {
      const taken = await this.#claimIssue(issue, issueRecord, opening[0]!.candidate.routed, nowMs, out);
      if (taken === 'lost') {
        // Another instance is opening this issue's window: decide these again once it is done.
        await Promise.all(opening.map(({ held }) => (held === undefined ? undefined : this.#drop(held))));
        for (const { candidate } of opening) out.add('deferred', candidate.routed);
        kept = claimed.filter((entry) => !opening.includes(entry));
      } else {
        issueHeld = taken;
      }
    }
    if (kept.length === 0) return;
    const group = toGroup(kept.map(({ candidate }) => candidate));
    const members = new Map(
      kept.flatMap(({ candidate, held }) => (held === undefined ? [] : [[candidate.routed.finding.id, held] as const])),
    );
    const pending: Pending = { group, members, issue: issueHeld, untilMs: nowMs + this.#claimMs };
    for (const member of group.members) this.#pending.set(member.finding.id, pending);
    out.notify.push(group);
  }

  /** Claims each candidate's finding record; losers go to `out`. A store failure notifies unclaimed (fail open). */
  async #claimAll(
    candidates: readonly Candidate[],
    records: ReadonlyMap<string, StateRecord>,
    nowMs: number,
    out: Outcome,
  ): Promise<{ readonly candidate: Candidate; readonly held: Held | undefined }[]> {
    const results = await Promise.all(
      candidates.map((candidate) =>
        this.#limit(async () => {
          const key = findingKey(candidate.routed.finding);
          try {
            const held = await this.#claim(key, records.get(key), candidate.routed, nowMs);
            if (held !== 'lost') return [{ candidate, held }];
            const current = (await this.#store.read([key])).get(key);
            out.add(this.#afterConflict(candidate.routed, current, nowMs), candidate.routed);
            return [];
          } catch (error) {
            out.errors.push(asStateError(error, 'claim', key));
            return [{ candidate, held: undefined }];
          }
        }),
      ),
    );
    return results.flat();
  }

  /** Claims the issue record; `undefined` when the store failed (fail open: send without it). */
  async #claimIssue(
    key: string,
    record: StateRecord | undefined,
    routed: RoutedFinding,
    nowMs: number,
    out: Outcome,
  ): Promise<Held | 'lost' | undefined> {
    try {
      return await this.#limit(() => this.#claim(key, record, routed, nowMs));
    } catch (error) {
      out.errors.push(asStateError(error, 'claim', key));
      return undefined;
    }
  }

  async #claim(key: string, record: StateRecord | undefined, routed: RoutedFinding, nowMs: number): Promise<Held | 'lost'> {
    const { band, severity, count } = routed.finding;
    const token = this.#newToken();
    const outcome = await this.#store.claim(
      key,
      { token, untilMs: nowMs + this.#claimMs, band, severity, count },
      { version: record?.version ?? 0, nowMs },
      expiresAtSeconds(nowMs, this.#settings),
    );
    return outcome.ok ? { key, token } : 'lost';
  }

  /**
   * Folds findings into the message already sent for their issue (another region, within the window):
   * each is recorded as notified and its region added to the issue record. Safe to write now: that
   * message was accepted before the issue record was finalized.
   */
  async #fold(
    candidates: readonly Candidate[],
    issue: string,
    openedAtMs: number,
    records: ReadonlyMap<string, StateRecord>,
    nowMs: number,
    out: Outcome,
  ): Promise<void> {
    const folded: string[] = [];
    await Promise.all(
      candidates.map(({ routed }) =>
        this.#limit(async () => {
          const key = findingKey(routed.finding);
          const guard = { version: records.get(key)?.version ?? 0, nowMs };
          try {
            const state = stateOf(routed, [routed.finding.region], nowMs);
            const ok = await this.#store.record(key, state, guard, expiresAtSeconds(nowMs, this.#settings));
            out.add(ok ? 'repeat' : 'deferred', routed);
            if (ok) folded.push(routed.finding.region);
          } catch (error) {
            // The issue's message was sent; skipping this one loses nothing but its region in the record.
            out.errors.push(asStateError(error, 'record', key));
            out.add('repeat', routed);
          }
        }),
      ),
    );
    try {
      await this.#store.addRegions(issue, folded, openedAtMs);
    } catch (error) {
      out.errors.push(asStateError(error, 'addRegions', issue));
    }
  }

  async #drop(held: Held): Promise<void> {
    // A failed release leaves a claim that expires after `claimSeconds`: a delay, never a loss.
    await this.#limit(() => this.#store.release(held.key, held.token)).catch(() => {});
  }

  /** The pending groups of `items` (groups or members), removed from the pending map. */
  #take(items: readonly RoutedFinding[]): Pending[] {
    const found = new Set<Pending>();
    for (const item of items) {
      const pending = this.#pending.get(item.finding.id);
      if (pending !== undefined) found.add(pending);
    }
    for (const pending of found) for (const member of pending.group.members) this.#pending.delete(member.finding.id);
    return [...found];
  }
}

