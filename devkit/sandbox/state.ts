import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SandboxError } from './errors.ts';

/** What `sandbox up` leaves in `<dir>/sandbox.json` for `publish` and `down`. */
export interface SandboxState {
  /** Local AWS endpoint. */
  readonly endpoint: string;
  /** The hub account (every stack but `org`). */
  readonly account: string;
  /** The hub region. */
  readonly region: string;
  /** The config file `up` used. */
  readonly configPath: string;
  /** Access keys by account (the local AWS's IAM). */
  readonly credentials: Readonly<Record<string, { accessKeyId: string; secretAccessKey: string }>>;
  /**
   * The local Slack simulators: webhook base URL, Web API base URL (`…/api`, for app destinations),
   * pid, each webhook destination's webhook URL, and each app destination's channel id.
   */
  readonly slack: {
    readonly url: string;
    readonly apiUrl: string;
    readonly pid: number;
    readonly webhooks: Readonly<Record<string, string>>;
    readonly channels: Readonly<Record<string, string>>;
  };
  /** The PagerDuty Events API v2 simulator: its enqueue URL, and the PagerDuty destinations (their secrets hold the sandbox routing key). */
  readonly pagerDuty: SimulatedDestinations;
  /** The Teams Workflows simulator: its base URL, and the Teams destinations (each a workflow path under it). */
  readonly teams: SimulatedDestinations;
  /** Stacks applied, with their resource counts. */
  readonly stacks: readonly { readonly name: string; readonly resources: number }[];
}

/** A simulator of the sandbox and the destinations whose secrets lead to it. */
export interface SimulatedDestinations {
  readonly url: string;
  readonly destinations: readonly string[];
}

/** Default sandbox folder (ignored by git). */
export const SANDBOX_DIR = '.sandbox';

const FILE = 'sandbox.json';

/** The recorded sandbox in `dir`, or undefined. */
export function readSandboxState(dir: string): SandboxState | undefined {
  const file = join(dir, FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SandboxState) : undefined;
}

/** The recorded sandbox; throws (exit 2) telling the user to run `sandbox up` first. */
export function requireSandboxState(dir: string): SandboxState {
  const state = readSandboxState(dir);
  if (state === undefined)
    throw new SandboxError(`no sandbox in ${dir}: run 'guardduty-hub sandbox up' first`, { exitCode: 2 });
  // A sandbox recorded before the PagerDuty and Teams simulators: its consumer would have no Events API URL.
  if (state.pagerDuty === undefined || state.teams === undefined)
    throw new SandboxError(
      `the sandbox in ${dir} was made by an older guardduty-hub: run 'guardduty-hub sandbox up' again`,
      { exitCode: 2 },
    );
  return state;
}

/** Records the sandbox (write, then rename). */
export function writeSandboxState(dir: string, state: SandboxState): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${FILE}.tmp`), `${JSON.stringify(state, null, 2)}\n`);
  renameSync(join(dir, `${FILE}.tmp`), join(dir, FILE));
}

/** Forgets the sandbox (after `down`). */
export function removeSandboxState(dir: string): void {
  rmSync(join(dir, FILE), { force: true });
}
