import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  MemoryStateStore,
  createRepeatGate,
  type Finding,
  type NotifyReason,
  type RepeatSettings,
  type RoutedFinding,
} from '../lambdas/consumer/index.ts';
import { bandOf } from '../shared/index.ts';

/**
 * Repeat benchmark: Slack messages for a realistic day of re-published findings, with and without the
 * repeat gate (memory store, simulated clock, every message accepted).
 *
 * The day: `findings` finding ids over four regions. A quarter of them belong to global issues (one
 * IAM access key seen by all four regional detectors: one finding id per region); the rest are
 * regional. Every finding is re-published every 15 minutes for 24 hours (the FIFTEEN_MINUTES publishing
 * frequency), its `service.count` growing by 1–2 (most), 2–10 or 20–200 (a noisy tenth) each time; a
 * few findings rise one band during the day, a few drop one. Each 15-minute round arrives shuffled, in
 * SQS batches of `batchSize`, a few seconds apart. Deterministic (seeded).
 *
 * `npx tsx bench/repeats.ts` prints the figures.
 */

/** What to simulate. */
export interface RepeatsBenchOptions {
  /** Finding ids. Default 200. */
  readonly findings?: number;
  /** Hours simulated. Default 24. */
  readonly hours?: number;
  /** Minutes between re-publications. Default 15. */
  readonly publishEveryMinutes?: number;
  /** Findings per SQS batch. Default 100 (`delivery.batchSize`). */
  readonly batchSize?: number;
  /** Default: the `repeats:` defaults (24 h, 60 min, 10/100/…). */
  readonly settings?: RepeatSettings;
  /** PRNG seed. Default 42. */
  readonly seed?: number;
}

/** The figures. */
export interface RepeatsBenchResult {
  readonly findingsReceived: number;
  /** One message per received finding (no state table). */
  readonly messagesWithoutTable: number;
  /** Messages the gate let through (one per group). */
  readonly messagesWithTable: number;
  /** 1 − with/without. */
  readonly reduction: number;
  /** Messages with the table, by reason. */
  readonly byReason: Readonly<Record<NotifyReason, number>>;
  /** Findings skipped as repeats (folded regions included). */
  readonly repeats: number;
  /** Messages that named more than one region. */
  readonly multiRegionMessages: number;
  readonly elapsedMs: number;
}

const REGIONS = ['us-east-1', 'us-west-1', 'us-west-2', 'eu-north-1'] as const;
const START_MS = Date.parse('2026-01-15T00:00:00.000Z');
const DEFAULT_SETTINGS: RepeatSettings = {
  enabled: true,
  renotifyAfterHours: 24,
  crossRegionWindowMinutes: 60,
  countMilestones: [10, 100, 1000, 10_000, 100_000],
};

interface Simulated {
  readonly id: string;
  readonly type: string;
  readonly accountId: string;
  readonly region: string;
  readonly label: string;
  /** `Finding.foldIdentity`: set for the access-key issues (global), absent for instances (regional). */
  readonly identity?: string;
  readonly growth: readonly [min: number, max: number];
  severity: number;
  count: number;
  /** Round at which the severity changes, and by how much. */
  readonly change: { readonly round: number; readonly delta: number } | undefined;
}

/** Runs the simulated day and returns the figures. */
export async function benchRepeats(options: RepeatsBenchOptions = {}): Promise<RepeatsBenchResult> {
  const started = performance.now();
  const random = mulberry32(options.seed ?? 42);
  const rounds = Math.round(((options.hours ?? 24) * 60) / (options.publishEveryMinutes ?? 15));
  const batchSize = options.batchSize ?? 100;
  const gate = createRepeatGate({ settings: options.settings ?? DEFAULT_SETTINGS, store: new MemoryStateStore() });
  const findings = simulatedFindings(options.findings ?? 200, rounds, random);
  const byReason: Record<NotifyReason, number> = {
    new: 0,
    'severity-rose': 0,
    'count-milestone': 0,
    'renotify-due': 0,
  };
  let received = 0;
  let repeats = 0;
  let multiRegionMessages = 0;

  for (let round = 0; round < rounds; round += 1) {
    const roundMs = START_MS + round * (options.publishEveryMinutes ?? 15) * 60_000;
    const published = shuffle(
      findings.map((f) => publish(f, round, random)),
      random,
    );
    for (let start = 0, batch = 0; start < published.length; start += batchSize, batch += 1) {
      const nowMs = roundMs + batch * 3_000;
      const result = await gate.filter(published.slice(start, start + batchSize), nowMs);
      await gate.commit(result.notify, nowMs + 1_000);
      received += Math.min(batchSize, published.length - start);
      repeats += result.repeats.length;
      for (const group of result.notify) {
        byReason[group.why] += 1;
        if (group.regions.length > 1) multiRegionMessages += 1;
      }
    }
  }
  const messagesWithTable = Object.values(byReason).reduce((sum, n) => sum + n, 0);
  return {
    findingsReceived: received,
    messagesWithoutTable: received,
    messagesWithTable,
    reduction: received === 0 ? 0 : 1 - messagesWithTable / received,
    byReason,
    repeats,
    multiRegionMessages,
    elapsedMs: Math.round(performance.now() - started),
  };
}

/** The figures as text lines. */
export function formatRepeatsReport(result: RepeatsBenchResult): string {
  const reasons = Object.entries(result.byReason)
    .map(([reason, n]) => `${reason} ${n}`)
    .join(', ');
  return [
    `findings received:         ${result.findingsReceived}`,
    `messages without table:    ${result.messagesWithoutTable}`,
    `messages with table:       ${result.messagesWithTable} (${reasons})`,
    `reduction:                 ${(result.reduction * 100).toFixed(2)} %`,
    `multi-region messages:     ${result.multiRegionMessages}`,
    `skipped as repeats:        ${result.repeats}`,
    `simulation time:           ${result.elapsedMs} ms`,
  ].join('\n');
}

function simulatedFindings(total: number, rounds: number, random: () => number): Simulated[] {
  const globalIssues = Math.floor(total / 4 / REGIONS.length);
  const out: Simulated[] = [];
  const make = (
    region: string,
    issue: { type: string; label: string; accountId: string; identity?: string },
  ): Simulated => {
    const score = [2, 5, 5, 5.5, 7.5, 8, 9.2][Math.floor(random() * 7)]!;
    const noisy = random();
    const changes = random();
    return {
      id: `bench${String(out.length).padStart(27, '0')}`,
      ...issue,
      region,
      growth: noisy < 0.1 ? [20, 200] : noisy < 0.35 ? [2, 10] : [1, 2],
      severity: score,
      count: 1,
      change:
        changes < 0.05
          ? { round: 1 + Math.floor(random() * (rounds - 1)), delta: +2 }
          : changes < 0.08
            ? { round: 1 + Math.floor(random() * (rounds - 1)), delta: -2 }
            : undefined,
    };
  };
  for (let i = 0; i < globalIssues; i += 1) {
    const issue = {
      type: 'UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom',
      label: `AKIABENCH${i} (user-${i})`,
      accountId: account(i),
      identity: `access-key:AKIABENCH${i}`,
    };
    for (const region of REGIONS) out.push(make(region, issue));
  }
  for (let i = 0; out.length < total; i += 1) {
    const region = REGIONS[i % REGIONS.length]!;
    out.push(
      make(region, {
        type: 'UnauthorizedAccess:EC2/SSHBruteForce',
        label: `i-0bench${i} (web-${i})`,
        accountId: account(i),
      }),
    );
  }
  return out;
}

function account(i: number): string {
  return String(222_222_222_222 + (i % 7) * 111_111_111_111).slice(0, 12);
}

/** The finding as re-published at `round`: its count grows, its severity may change. */
function publish(f: Simulated, round: number, random: () => number): RoutedFinding {
  if (round > 0) f.count += f.growth[0] + Math.floor(random() * (f.growth[1] - f.growth[0] + 1));
  if (f.change?.round === round) {
    f.severity = Math.min(9.5, Math.max(1, f.severity + f.change.delta));
  }
  const finding: Finding = {
    kind: 'finding',
    id: f.id,
    type: f.type,
    title: f.type,
    description: '',
    severity: f.severity,
    band: bandOf(f.severity),
    accountId: f.accountId,
    region: f.region,
    partition: 'aws',
    count: f.count,
    firstSeen: undefined,
    lastSeen: undefined,
    updatedAt: new Date(START_MS + round * 900_000).toISOString(),
    archived: false,
    resource: { type: f.identity === undefined ? 'Instance' : 'AccessKey', label: f.label, details: [] },
    foldIdentity: f.identity,
    consoleUrl: '',
  };
  return { finding, destination: 'security', messageIds: [`${f.id}-${round}`] };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** A small seeded PRNG (mulberry32), so every run simulates the same day. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const result = await benchRepeats();
  process.stdout.write(
    `Repeat suppression, one simulated day (200 findings × every 15 min × 24 h, 4 regions)\n${formatRepeatsReport(result)}\n`,
  );
}
