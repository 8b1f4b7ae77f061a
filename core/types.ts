import type { SeverityBand } from '../shared/severity.ts';
import type { TamperChange } from './kinds/tamper/types.ts';
import type { DriftAlert } from './kinds/drift/types.ts';
import type { CoverageChange } from './kinds/coverage/types.ts';
import type { SilenceRecap } from './kinds/silence-recap/types.ts';
import type { ResourceCriterion } from './kinds/finding/criterion.ts';

export type { ResourceCriterion } from './kinds/finding/criterion.ts';

/**
 * The contract between the consumer's stages: parse → route → render → deliver.
 * Parsing, routing and rendering are pure; delivery does the I/O.
 */

/** The resource a finding is about, reduced to what a reader needs. */
export interface ResourceSummary {
  /** GuardDuty `resource.resourceType`: Instance, AccessKey, S3Bucket, EKSCluster, … */
  readonly type: string;
  /** One line naming the resource: `i-0abc (web-1)`, `AKIA… (alice)`, `bucket my-data`. Unescaped. */
  readonly label: string;
  /** Extra name/value pairs worth showing (image, principal, namespace, …). Unescaped. */
  readonly details: readonly (readonly [name: string, value: string])[];
}

/**
 * The kinds of alert the hub reads, each an event on the hub queue (see `core/kinds`): a GuardDuty
 * finding, a Malware Protection object scan result, a GuardDuty configuration change (tamper), an
 * alert of the scheduled drift check, a change of GuardDuty's own coverage of a resource, and the recap
 * of a silence that ended.
 */
export const FINDING_KINDS = ['finding', 'scan-result', 'tamper', 'drift', 'coverage', 'silence-recap'] as const;

/** One of {@link FINDING_KINDS}. */
export type FindingKind = (typeof FINDING_KINDS)[number];

/** What every kind of alert has: the fields of one GuardDuty finding that the hub uses. Text fields are raw (unescaped). */
export interface FindingBase {
  readonly id: string;
  readonly type: string;
  readonly title: string;
  readonly description: string;
  /** 1.0–10.0 */
  readonly severity: number;
  readonly band: SeverityBand;
  /** `detail.accountId`: the account the finding is about (never the envelope's `account`). */
  readonly accountId: string;
  readonly region: string;
  /** `detail.partition`, default `aws`. */
  readonly partition: string;
  /** `service.count`, default 1. */
  readonly count: number;
  /** `service.eventFirstSeen`, ISO 8601, or undefined. */
  readonly firstSeen: string | undefined;
  /** `service.eventLastSeen`, ISO 8601, or undefined. */
  readonly lastSeen: string | undefined;
  /** `updatedAt`, ISO 8601 (or `createdAt` when absent). */
  readonly updatedAt: string;
  /** `service.archived` */
  readonly archived: boolean;
  readonly resource: ResourceSummary;
  /**
   * The resource's exact identity across regions (`access-key:…`, `principal:…`, `s3-bucket:…`), when
   * it has one; only findings that share it may be folded across regions (see `parse/identity.ts`).
   */
  readonly foldIdentity?: string | undefined;
  /** The resource's single identifier as a GuardDuty filter criterion (for "Suppress like this"), when it has one. */
  readonly resourceCriterion?: ResourceCriterion;
  /** GuardDuty console link to the finding (for a scan result: the scanned object in the S3 console; for a tamper change: the CloudTrail event). */
  readonly consoleUrl: string;
  /** `service.detection.sequence` of an attack sequence (Extended Threat Detection) finding. */
  readonly sequence?: AttackSequence;
  /** `associatedAttackSequenceArn`: the attack sequence this ordinary finding belongs to. */
  readonly attackSequenceArn?: string;
  /** Threats a malware scan found (Malware Protection for S3, EBS, Backup; the scan-result event). */
  readonly threats?: readonly Threat[];
  /** Items a malware scan looked at: scanned volumes, snapshots, images, recovery points. */
  readonly scanned?: readonly string[];
  /** `service.runtimeDetails.process` of a Runtime Monitoring finding. */
  readonly process?: RuntimeProcess;
  /** `service.additionalInfo.sample`: a sample GuardDuty made on request (CreateSampleFindings), not a detection. */
  readonly sample?: true;
  /**
   * `change`: a state carried as its band (coverage lost is High, restored Low), notified only when the
   * band differs from the one last notified, and never again while it stays (see `core/repeats/decide.ts`).
   */
  readonly notifyOn?: 'change';
}

/** A GuardDuty finding (`GuardDuty Finding`), of any family. */
export interface GuardDutyFinding extends FindingBase {
  readonly kind: 'finding';
  readonly scanResult?: undefined;
  readonly tamper?: undefined;
  readonly drift?: undefined;
  readonly coverage?: undefined;
  readonly recap?: undefined;
}

/** A `GuardDuty Malware Protection Object Scan Result` event, read as a finding about the object. */
export interface ScanResultFinding extends FindingBase {
  readonly kind: 'scan-result';
  readonly scanResult: ScanResult;
  readonly tamper?: undefined;
  readonly drift?: undefined;
  readonly coverage?: undefined;
  readonly recap?: undefined;
}

/** A GuardDuty configuration change (a CloudTrail event; see `core/tamper`), read as a finding about the detector. */
export interface TamperFinding extends FindingBase {
  readonly kind: 'tamper';
  readonly tamper: TamperChange;
  readonly scanResult?: undefined;
  readonly drift?: undefined;
  readonly coverage?: undefined;
  readonly recap?: undefined;
}

/** An alert of the scheduled drift check (a member or detector changed state; see `core/drift`). */
export interface DriftFinding extends FindingBase {
  readonly kind: 'drift';
  readonly drift: DriftAlert;
  readonly scanResult?: undefined;
  readonly tamper?: undefined;
  readonly coverage?: undefined;
  readonly recap?: undefined;
}

/** GuardDuty's own health event about one resource it covers (see `core/kinds/coverage`): coverage lost or restored. */
export interface CoverageFinding extends FindingBase {
  readonly kind: 'coverage';
  readonly coverage: CoverageChange;
  readonly notifyOn: 'change';
  readonly scanResult?: undefined;
  readonly tamper?: undefined;
  readonly drift?: undefined;
  readonly recap?: undefined;
}

/** The recap of a silence that ended (see `core/kinds/silence-recap`), sent by the drift check. */
export interface SilenceRecapFinding extends FindingBase {
  readonly kind: 'silence-recap';
  readonly recap: SilenceRecap;
  readonly scanResult?: undefined;
  readonly tamper?: undefined;
  readonly drift?: undefined;
  readonly coverage?: undefined;
}

/** An alert of any kind, as every stage takes it: discriminated by `kind`. */
export type Finding =
  | GuardDutyFinding
  | ScanResultFinding
  | TamperFinding
  | DriftFinding
  | CoverageFinding
  | SilenceRecapFinding;

/** One threat a malware scan found. Unescaped. */
export interface Threat {
  /** Threat name (`EICAR-Test-File (not a virus)`). */
  readonly name: string;
  /** Where it was found: nested item paths, file paths, object keys (first few). */
  readonly paths: readonly string[];
  /** File hash (SHA-256) when given. */
  readonly hash?: string;
}

/** A process seen by Runtime Monitoring. Unescaped. */
export interface RuntimeProcess {
  readonly name?: string;
  readonly executablePath?: string;
  readonly executableSha256?: string;
  readonly pid?: number;
  readonly user?: string;
  /** The parent process (`lineage[0]`), `name (path)`. */
  readonly parent?: string;
  /** Name/value pairs of `runtimeDetails.context` worth showing (script path, module, target process …). */
  readonly context: readonly (readonly [name: string, value: string])[];
}

/** The outcome of an S3 object malware scan (`GuardDuty Malware Protection Object Scan Result`). */
export interface ScanResult {
  /** `scanResultDetails.scanResultStatus`: THREATS_FOUND, NO_THREATS_FOUND, UNSUPPORTED, ACCESS_DENIED, FAILED. */
  readonly status: string;
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
}

/** An attack sequence, as `service.detection.sequence` describes it. Text is unescaped. */
export interface AttackSequence {
  readonly uid?: string;
  readonly description?: string;
  /** Signals (findings, API calls …) in the order they were first seen. */
  readonly signals: readonly SequenceSignal[];
  /** Actors: `alice (IAMUser) · session s-1 · process curl`. */
  readonly actors: readonly string[];
  /** Resources: `S3_BUCKET my-data (222222222222, us-east-1)`. */
  readonly resources: readonly string[];
  /** Endpoints: `198.51.100.7:443 evil.example (Berlin, DE; AS64500 Example)`. */
  readonly endpoints: readonly string[];
  /** Indicators, known and unknown keys alike, in the order given. */
  readonly indicators: readonly SequenceIndicator[];
}

/** One signal of an attack sequence. */
export interface SequenceSignal {
  /** FINDING, CLOUD_TRAIL, S3_DATA_EVENTS, … */
  readonly type: string;
  readonly name: string;
  readonly count: number;
  readonly firstSeen: string | undefined;
  readonly lastSeen: string | undefined;
}

/** One `sequenceIndicators[]` entry: `ATTACK_TACTIC` with values `Discovery`, `Exfiltration`. */
export interface SequenceIndicator {
  readonly key: string;
  readonly title?: string;
  readonly values: readonly string[];
}

/** A record whose body is a GuardDuty finding event, or why it is not. */
export type ParseResult =
  | { readonly ok: true; readonly finding: Finding }
  | { readonly ok: false; readonly reason: string };

/**
 * Why a finding was skipped on purpose (counted in the `FindingsSkipped` metric by reason). `no-threats`:
 * an S3 object scan result that found nothing; `canary`: the hub's own sample, counted as arrived, never posted.
 */
export type SkipReason =
  | 'below-threshold'
  | 'archived'
  | 'suppressed'
  | 'silenced'
  | 'repeat'
  | 'no-threats'
  | 'canary';

/** A finding with the destination it goes to and the SQS records that carried it. */
export interface RoutedFinding {
  readonly finding: Finding;
  readonly destination: string;
  /** Every SQS message id that carried this finding (repeats within a batch collapse into one). */
  readonly messageIds: readonly string[];
  /**
   * Every region this one message speaks for, sorted, when the repeat gate folded the same issue
   * (type, account, resource) from several regions into it. Absent or one entry: `finding.region` only.
   */
  readonly regions?: readonly string[];
  /**
   * Set to the destination when it is not the first of the account's destinations: the finding's
   * notification records there are its own (`finding#<id>#to#<destination>`), so that one destination
   * failing never holds back or repeats another. Absent for the first (the only one, mostly).
   */
  readonly lane?: string;
}
