import { createHash } from 'node:crypto';
import type { Finding } from './types.ts';

/**
 * Every key of the finding-state table (`pk`), in one place: what each kind of record is keyed by,
 * so that no two uses can collide and a reader of the table can tell them apart by prefix.
 */

/** The prefix of each kind of record, before the first `#`. */
export const STATE_KEY_PREFIXES = {
  /** What was last notified of one finding, its claim, its parent message at an app destination. */
  finding: 'finding',
  /** An issue seen in several regions (folded across them), and its parent message. */
  issue: 'issue',
  /** A storm's summary message at an app destination, per storm window. */
  storm: 'storm',
  /** A signed Slack request already answered (triage replay guard). */
  slackRequest: 'slack-request',
  /** A sealed triage job the worker already took (a job runs once). */
  triageJob: 'triage-job',
  /** The one record of every silence made with the CLI, and every silence's count. */
  silences: 'silences',
  /** What one silence held, by type, account and band, its latest findings, and whether its recap went out. */
  silenceTally: 'silence-tally',
  /** The last known state of a region's detector and members (the drift check). */
  drift: 'drift',
  /** A region's canary: arrivals counted by the consumer, sends and sightings by the drift check. */
  canary: 'canary',
  /** The thread of a region's detector incident at an app destination (tamper, drift and canary alerts). */
  incident: 'incident',
  /** The click that opened a "Suppress like this" modal, kept until the modal is submitted. */
  suppressView: 'suppress-view',
  /** What the drift check did about Slack-made filters' expiry: reminders sent, removal notices owed. */
  filterExpiry: 'filter-expiry',
} as const;

/** Longest key part kept verbatim; longer ones are hashed (DynamoDB allows 2,048 bytes in a partition key). */
const MAX_PART_LENGTH = 512;

/** The key of one finding: `finding#<id>`. */
export function findingKey(finding: Pick<Finding, 'id'>): string {
  return `${STATE_KEY_PREFIXES.finding}#${keyPart(finding.id)}`;
}

/**
 * The region-free key of the issue a finding is about, `issue#<type>#<accountId>#<fold identity>`, or
 * undefined when the resource has no exact global identity (`Finding.foldIdentity`). Only findings
 * that share it, from different regions, may be folded into one message: GuardDuty keeps one finding
 * id per issue per region, so two ids from one region are two issues, whatever their resource.
 */
export function issueKey(finding: Pick<Finding, 'type' | 'accountId' | 'foldIdentity'>): string | undefined {
  if (finding.foldIdentity === undefined) return undefined;
  return `${STATE_KEY_PREFIXES.issue}#${keyPart(finding.type)}#${keyPart(finding.accountId)}#${keyPart(finding.foldIdentity)}`;
}

/** `key` for one of a finding's further destinations (`lane`): `<key>#to#<destination>`; `key` itself for the first. */
export function withLane(key: string, lane: string | undefined): string {
  return lane === undefined ? key : `${key}#to#${keyPart(lane)}`;
}

/** The key of a finding's notification record at the destination it is routed to (its lane). */
export function notificationKey(routed: {
  readonly finding: Pick<Finding, 'id'>;
  readonly lane?: string | undefined;
}): string {
  return withLane(findingKey(routed.finding), routed.lane);
}

/** The key of an issue's record at the destination it is routed to, or undefined when it has no global identity. */
export function issueNotificationKey(routed: {
  readonly finding: Pick<Finding, 'type' | 'accountId' | 'foldIdentity'>;
  readonly lane?: string | undefined;
}): string | undefined {
  const key = issueKey(routed.finding);
  return key === undefined ? undefined : withLane(key, routed.lane);
}

/** The GuardDuty calls that change a detector itself: their tamper alerts open or join its incident. */
const DETECTOR_CALLS: readonly string[] = ['DeleteDetector', 'UpdateDetector'];

/**
 * The key of the detector incident an alert belongs to, `incident#<account>#<region>` at the destination
 * it is routed to (its lane), or undefined for any other alert. A detector disabled shows three ways: a
 * tamper alert on the call, the drift check's detector alert, and the canary late; all three (and their
 * recoveries) belong to the one incident of that account and region.
 */
export function incidentNotificationKey(routed: {
  readonly finding: Pick<Finding, 'kind' | 'accountId' | 'region' | 'tamper' | 'drift'>;
  readonly lane?: string | undefined;
}): string | undefined {
  const { finding } = routed;
  const detectorCall = finding.kind === 'tamper' && DETECTOR_CALLS.includes(finding.tamper?.eventName ?? '');
  const pipeline = finding.kind === 'drift' && ['detector', 'canary'].includes(finding.drift?.subject ?? '');
  if (!detectorCall && !pipeline) return undefined;
  const key = `${STATE_KEY_PREFIXES.incident}#${finding.accountId}#${finding.region}`;
  return withLane(key, routed.lane);
}

/** The key of a destination's storm in the window starting at `windowStartMs`: `storm#<destination>#<ms>`. */
export function stormKey(destination: string, windowStartMs: number): string {
  return `${STATE_KEY_PREFIXES.storm}#${destination}#${windowStartMs}`;
}

/** The key of a signed Slack request: `slack-request#<sha256 of the signature>` (the signature itself is never stored). */
export function slackRequestKey(signature: string): string {
  return `${STATE_KEY_PREFIXES.slackRequest}#${createHash('sha256').update(signature).digest('hex')}`;
}

/** The key of a sealed triage job: `triage-job#<sha256 of its seal>`. */
export function triageJobKey(seal: string): string {
  return `${STATE_KEY_PREFIXES.triageJob}#${createHash('sha256').update(seal).digest('hex')}`;
}

/** The key of the record of silences: `silences`. */
export const SILENCES_KEY: string = STATE_KEY_PREFIXES.silences;

/** The key of one silence's tally: `silence-tally#<id>`. */
export function silenceTallyKey(id: string): string {
  return `${STATE_KEY_PREFIXES.silenceTally}#${keyPart(id)}`;
}

/** The key of a region's drift state: `drift#<region>`. */
export function driftKey(region: string): string {
  return `${STATE_KEY_PREFIXES.drift}#${region}`;
}

/** The key of the click behind the "Suppress like this" modal `viewId`: `suppress-view#<view id>`. */
export function suppressViewKey(viewId: string): string {
  return `${STATE_KEY_PREFIXES.suppressView}#${keyPart(viewId)}`;
}

/** The key of the one record of Slack-made filters' expiry: `filter-expiry`. */
export const FILTER_EXPIRY_KEY: string = STATE_KEY_PREFIXES.filterExpiry;

function keyPart(text: string): string {
  // A UTF-16 code unit is at most 3 bytes of UTF-8, so a short text needs no count.
  if (text.length * 3 <= MAX_PART_LENGTH || Buffer.byteLength(text, 'utf8') <= MAX_PART_LENGTH) return text;
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** The key of a region's canary item: `canary#<region>`. */
export function canaryKey(region: string): string {
  return `${STATE_KEY_PREFIXES.canary}#${region}`;
}
