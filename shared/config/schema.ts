import * as z from 'zod';
import { SEVERITY_BANDS } from '../severity.ts';
import { webhookHostProblem } from './webhook-hosts.ts';

/**
 * The configuration contract (DESIGN.md, "Configuration"): the shape of the YAML file and its
 * defaults. Field-level rules live here; rules that relate two fields live in `rules.ts`.
 */

/** A 12-digit AWS account id (also the form of `accounts` keys, checked in `load.ts`). */
export const ACCOUNT_ID = /^\d{12}$/;
/** The problem with an `accounts` key that is not an account id. */
export const ACCOUNT_KEY_MESSAGE =
  'must be a 12-digit AWS account id; write it in quotes so that leading zeros are kept';
const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/;
const NAME = /^[a-z][a-z0-9-]{0,38}[a-z0-9]$/;
/** A destination name (a key of `destinations`, checked in `rules.ts`). */
export const DESTINATION_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;

const accountId = z.string({ error: 'must be a 12-digit AWS account id in quotes' }).regex(ACCOUNT_ID, {
  error: 'must be a 12-digit AWS account id',
});

const regionName = z.string({ error: 'must be a region name such as us-east-1' });

const colour = z.string({ error: 'must be a hex colour such as "#E8743B"' }).regex(HEX_COLOUR, {
  error: 'must be a hex colour such as "#E8743B"',
});

/** `low | medium | high | critical | a number 1.0–10.0`. */
const THRESHOLD_ERROR = 'must be low, medium, high, critical or a number from 1.0 to 10.0';
export const severityThreshold = z
  .union([z.enum(SEVERITY_BANDS), z.number()], { error: THRESHOLD_ERROR })
  .refine((value) => typeof value === 'string' || (value >= 1 && value <= 10), { error: THRESHOLD_ERROR });

const webhookHost = z
  .string({ error: 'must be a host name such as hooks.example.com' })
  .superRefine((value, context) => {
    const message = webhookHostProblem(value);
    if (message !== undefined) context.addIssue({ code: 'custom', message });
  });

const positiveInt = (min: number, max: number) =>
  z
    .number({ error: `must be a whole number from ${min} to ${max}` })
    .int({ error: `must be a whole number from ${min} to ${max}` })
    .min(min, { error: `must be a whole number from ${min} to ${max}` })
    .max(max, { error: `must be a whole number from ${min} to ${max}` });

const hubSchema = z.strictObject({
  /** GuardDuty administrator account; hosts the hub. */
  account: accountId,
  /** Hub region: the bus, queue, consumer and state table live here. */
  region: regionName,
  /** Resource name prefix. */
  name: z
    .string()
    .regex(NAME, { error: 'must be 2–40 lowercase letters, digits or hyphens, starting with a letter' })
    .default('guardduty-hub'),
});

const FREQUENCIES = ['FIFTEEN_MINUTES', 'ONE_HOUR', 'SIX_HOURS'] as const;

const guarddutySchema = z.strictObject({
  /** `invitation` (the original design: the admin invites members by email) or `organization`. */
  mode: z.enum(['invitation', 'organization'], { error: 'must be invitation or organization' }).default('invitation'),
  /** How often GuardDuty re-publishes updated findings. */
  findingPublishingFrequency: z
    .enum(FREQUENCIES, { error: 'must be FIFTEEN_MINUTES, ONE_HOUR or SIX_HOURS' })
    .default('FIFTEEN_MINUTES'),
  /** Invitation mode: the message sent with each invitation. */
  invitationMessage: z.string().max(1000).default('Please accept the GuardDuty invitation from the security team.'),
  /** Organization mode: the management account that designates the administrator. */
  managementAccount: accountId.optional(),
  /** Organization mode: which member accounts GuardDuty enables by itself. */
  autoEnable: z.enum(['ALL', 'NEW', 'NONE'], { error: 'must be ALL, NEW or NONE' }).default('ALL'),
});

const DEFAULT_COLOURS = { low: '#7CD197', medium: '#F2C744', high: '#E8743B', critical: '#B8122B' } as const;

const coloursSchema = z.strictObject({
  low: colour.default(DEFAULT_COLOURS.low),
  medium: colour.default(DEFAULT_COLOURS.medium),
  high: colour.default(DEFAULT_COLOURS.high),
  critical: colour.default(DEFAULT_COLOURS.critical),
});

/** One `accounts` entry (parsed entry by entry in `load.ts`). */
export const accountSchema = z.strictObject({
  /** Human name shown in Slack. */
  name: z
    .string({
      error: (issue) =>
        issue.input === undefined ? 'is required: the name shown in Slack' : 'must be text: the name shown in Slack',
    })
    .min(1, { error: 'must not be empty' })
    .max(64, { error: 'must be at most 64 characters long' }),
  /** Invitation mode: the member's root email address. */
  email: z.email({ error: 'must be an email address' }).optional(),
  /** Regions this member is enabled in; a subset of `regions`. All of them when absent. */
  regions: z.array(regionName).min(1, { error: 'must list at least one region, or be left out' }).optional(),
  /** Lowest severity sent to Slack for this account; `defaults.minSeverity` when absent. */
  minSeverity: severityThreshold.optional(),
  /** Destination for this account's findings; `defaults.destination` when absent. */
  destination: z.string().optional(),
  /**
   * Several destinations for this account's findings, each delivered on its own (a finding shown at
   * one is never held back or sent twice because another failed); instead of `destination`.
   */
  destinations: z
    .array(z.string(), { error: 'must be a list of destination names' })
    .min(1, { error: 'must name at least one destination, or be left out' })
    .optional(),
});

/** A Slack channel id: `C…` (public), `G…` (private) or `D…` (direct), upper-case letters and digits. */
export const SLACK_CHANNEL_ID = /^[CGD][A-Z0-9]{8,}$/;

const secretName = (what: string) =>
  z
    .string({ error: `is required: the name of the Secrets Manager secret that holds the ${what}` })
    .regex(SECRET_NAME, { error: 'must be a Secrets Manager secret name (letters, digits and /_+=.@-)' });

/** A Slack app destination: a bot token (`xoxb-…`, in Secrets Manager) and the channel it posts to. */
const appDestinationSchema = z.strictObject({
  /** Name of the Secrets Manager secret whose value is the bot token (`xoxb-…`). */
  botTokenSecret: secretName('bot token (xoxb-…)'),
  /** The channel id (`C0123ABCD`, not `#name`): the bot must be a member of it. */
  channel: z
    .string({ error: 'is required: the channel id (such as C0123ABCD) the bot posts to' })
    .regex(SLACK_CHANNEL_ID, {
      error:
        'must be a Slack channel id such as C0123ABCD (not a #name): in Slack, open the channel details to copy it',
    }),
});

/**
 * The destination types, and the field each needs: `webhookSecret` for a webhook, `app` for a Slack app,
 * `routingKeySecret` for PagerDuty (which needs its `type` said), `workflowUrlSecret` for Microsoft Teams
 * (a Workflows webhook; its `type: teams` is never implied either).
 */
export const DESTINATION_TYPES = ['slack-webhook', 'slack-app', 'pagerduty', 'teams'] as const;

/** One of {@link DESTINATION_TYPES}. */
export type DestinationType = (typeof DESTINATION_TYPES)[number];

/**
 * A destination: a webhook (`webhookSecret`), a Slack app (`app`), PagerDuty (`type: pagerduty` and
 * `routingKeySecret`) or Microsoft Teams (`type: teams` and `workflowUrlSecret`); exactly one of the four (checked in `rules.ts`, so that every problem is reported
 * with the rest). `type` may say which; without it, `webhookSecret` or `app` implies it.
 */
const destinationSchema = z.strictObject({
  /**
   * The lowest severity this destination takes, whatever an account's threshold (a pager only for
   * `critical`); none when absent.
   */
  minSeverity: severityThreshold.optional(),
  /**
   * Attack sequences (Extended Threat Detection) reach this destination whatever its `minSeverity`
   * says (the account's threshold still applies): page at `critical` and for every attack sequence.
   */
  attackSequences: z.boolean({ error: 'must be true or false' }).optional(),
  /** `slack-webhook`, `slack-app`, `pagerduty` or `teams`; the first two are implied by `webhookSecret` or `app` when absent. */
  type: z.enum(DESTINATION_TYPES, { error: `must be one of ${DESTINATION_TYPES.join(', ')}` }).optional(),
  /** Name of the Secrets Manager secret whose value is the webhook URL. */
  webhookSecret: secretName('webhook URL').optional(),
  /** A Slack app destination: one living message per issue, edited, with thread replies. */
  app: appDestinationSchema.optional(),
  /**
   * `type: pagerduty`: name of the Secrets Manager secret whose value is the Events API v2 routing key
   * (the 32-character integration key of an Events API v2 integration on a PagerDuty service).
   */
  routingKeySecret: secretName('PagerDuty routing key (the 32-character integration key)').optional(),
  /**
   * `type: teams`: name of the Secrets Manager secret whose value is the Microsoft Teams Workflows
   * webhook URL ("When a Teams webhook request is received"), https on Microsoft's hosts.
   */
  workflowUrlSecret: secretName('Teams Workflows webhook URL').optional(),
});

/** What a suppress rule or a silence matches: every criterion given must hold. */
const criteriaFields = {
  /** Finding type, exact (`Recon:EC2/PortProbeUnprotectedPort`) or a prefix ending in `*` (`Recon:*`). */
  type: z.string().min(1).optional(),
  /** Only for these accounts. */
  accounts: z.array(accountId).min(1).optional(),
  /** Only in these regions. */
  regions: z.array(regionName).min(1).optional(),
  /** Only below this severity. */
  below: severityThreshold.optional(),
};

/** True when at least one criterion of {@link criteriaFields} is given. */
const namesCriteria = (rule: { type?: unknown; accounts?: unknown; regions?: unknown; below?: unknown }) =>
  [rule.type, rule.accounts, rule.regions, rule.below].some((value) => value !== undefined);

const suppressSchema = z
  .strictObject({
    ...criteriaFields,
    /**
     * Where the rule applies: `hub` (default; the consumer drops matching findings) or `source` (a
     * GuardDuty filter with action ARCHIVE in every region stack: findings are archived by GuardDuty and never exported).
     */
    at: z.enum(['source', 'hub'], { error: 'must be source or hub' }).default('hub'),
  })
  .refine(namesCriteria, { error: 'must name at least one of type, accounts, regions or below' });

/**
 * A silence: findings matching its criteria are skipped by the consumer until `until` (GuardDuty keeps
 * and correlates them: nothing changes there). See `shared/silences.ts`.
 */
const silenceSchema = z
  .strictObject({
    ...criteriaFields,
    /** Who asked for it. */
    author: z.string({ error: 'is required: who asked for the silence (a name or an email)' }).min(1),
    /** Why. */
    reason: z.string({ error: 'is required: why these findings are silenced' }).min(1),
    /** When it ends, ISO 8601 with its offset; at most 90 days ahead. */
    until: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 time such as 2027-01-31T00:00:00Z' }),
  })
  .refine(namesCriteria, { error: 'must name at least one of type, accounts, regions or below' });

const principalArn = z
  .string({ error: 'must be an IAM role or user ARN such as arn:aws:iam::111111111111:role/deploy' })
  .regex(/^arn:aws[a-z-]*:(iam|sts)::\d{12}:[A-Za-z0-9+=,.@_/-]+$/, {
    error: 'must be an IAM role or user ARN such as arn:aws:iam::111111111111:role/deploy',
  });

/** A GuardDuty finding type (`Recon:EC2/PortProbeUnprotectedPort`): `ThreatPurpose:ResourceType/ThreatFamily...`. */
const findingType = z
  .string({ error: 'must be a GuardDuty finding type such as Recon:EC2/PortProbeUnprotectedPort' })
  .regex(/^[A-Za-z]+:[A-Za-z0-9]+\/[A-Za-z0-9!.:_-]+$/, {
    error: 'must be a GuardDuty finding type such as Recon:EC2/PortProbeUnprotectedPort',
  });

const canarySchema = z.strictObject({
  /** Make a canary in every region. Default true; needs `guard.driftCheck`. */
  enabled: z.boolean().default(true),
  /** Minutes between canaries in a region (15–1440); at least `guard.driftCheckMinutes`. */
  everyMinutes: positiveInt(15, 1440).default(60),
  /** Minutes of slack on top of the interval and GuardDuty's publishing delay before a canary counts as late (5–240). */
  marginMinutes: positiveInt(5, 240).default(15),
  /** The sample finding type made (`CreateSampleFindings`); a sample of this type is never posted. */
  findingType: findingType.default('Recon:EC2/PortProbeUnprotectedPort'),
});

const guardSchema = z.strictObject({
  /** Watch GuardDuty API calls that weaken it (CloudTrail events) in every region. Default true. */
  tamperAlerts: z.boolean().default(true),
  /**
   * Principals whose GuardDuty changes are expected (the hub's deploy and triage roles): role ARNs
   * (`arn:aws:iam::…:role/name`, matching any session of the role), user ARNs or assumed-role ARNs.
   */
  quietPrincipals: z.array(principalArn).default([]),
  /** What a quiet principal's change becomes: `quiet` (a plain, grey message) or `drop` (no message, counted as suppressed). */
  quietChanges: z.enum(['quiet', 'drop'], { error: 'must be quiet or drop' }).default('quiet'),
  /** Run the scheduled drift check (detector and member relationships against the config). Default true. */
  driftCheck: z.boolean().default(true),
  /** Minutes between drift checks (EventBridge Scheduler `rate(N minutes)`, 1–60). */
  driftCheckMinutes: positiveInt(1, 60).default(5),
  /** The end-to-end canary, run by the drift check: one sample finding per region that must reach the consumer in time. */
  canary: canarySchema.prefault({}),
});

/** A Slack user id (`U…`, `W…` on Enterprise Grid) or user group id (`S…`). */
export const SLACK_PRINCIPAL_ID = /^[UWS][A-Z0-9]{8,}$/;

const slackPrincipals = z
  .array(
    z.string().regex(SLACK_PRINCIPAL_ID, {
      error:
        'must be a Slack user id (U…, W…) or user group id (S…): in Slack, open the profile or group and copy its member or group ID',
    }),
    { error: 'must be a list of Slack user ids (U…) and user group ids (S…)' },
  )
  .default([]);

/** Who may press which button. An action nobody is listed for is refused to everyone. */
const triageAllowSchema = z.strictObject({
  /** Acknowledge: records who looked at the finding, on the message. */
  acknowledge: slackPrincipals,
  /** Archive: GuardDuty `ArchiveFindings` on the finding, with the administrator's detector in its region. */
  archive: slackPrincipals,
  /** Unarchive: GuardDuty `UnarchiveFindings`, the undo of archive. */
  unarchive: slackPrincipals,
  /** Suppress like this: a GuardDuty filter (action ARCHIVE) for the finding's type and account in every configured region. */
  suppress: slackPrincipals,
  /**
   * Silence…: a modal that keeps a silence in the state table (this finding's resource, or findings like
   * this: same type in this account) for 1 hour to 30 days, with a required reason. Never offered for
   * critical findings, attack sequences, tamper, drift or scan alerts.
   */
  silence: slackPrincipals,
});

/**
 * Triage from Slack: buttons on app-destination messages, answered by an interactivity endpoint (a
 * Lambda function URL) in the hub stack. Absent: no buttons and no endpoint.
 */
const triageSchema = z.strictObject({
  /** Name of the Secrets Manager secret whose value is the Slack app's signing secret (Basic Information → App Credentials). */
  signingSecret: secretName('Slack app signing secret'),
  /** Slack users and user groups allowed each action. */
  allow: triageAllowSchema.prefault({}),
  /**
   * Days a filter made by "Suppress like this" lasts before the drift check removes it from every
   * region (its owner is reminded in the finding's thread 7 days before, and may renew it). 1–365, default 90.
   */
  suppressExpiryDays: positiveInt(1, 365).default(90),
});

const deliverySchema = z.strictObject({
  /** Records per Lambda invocation (SQS event source mapping, 1–10,000; above 10 needs a batching window). */
  batchSize: positiveInt(1, 10_000).default(100),
  /** Seconds the mapping waits to fill a batch (0–300). */
  maxBatchingWindowSeconds: positiveInt(0, 300).default(5),
  /** Most consumer instances at once (mapping scaling config, 2–1000). */
  maxConcurrency: z.number({ error: 'must be a whole number' }).int({ error: 'must be a whole number' }).default(2),
  /** Slack messages per second per destination, across all consumer instances (Slack allows about 1). */
  messagesPerSecond: z.number().positive({ error: 'must be greater than 0' }).max(100).default(1),
  /** Messages a destination may take at once before the rate applies. */
  burst: positiveInt(1, 100).default(3),
  /** More findings than this for one destination in one batch are sent as digests. */
  digestThreshold: positiveInt(1, 1000).default(5),
  /**
   * App destinations: a batch with more than `digestThreshold` findings for one starts (or adds to)
   * the storm summary of this window, one parent message per destination and window, minutes.
   */
  stormWindowMinutes: positiveInt(1, 1440).default(60),
  /** Most findings in one digest message (Slack allows 50 blocks a message). */
  maxFindingsPerMessage: positiveInt(1, 45).default(20),
  /**
   * Webhook hosts the consumer accepts from a secret besides Slack's own (`hooks.slack.com`,
   * `hooks.slack-gov.com`): exact host names, https only (plain http only to a loopback host listed
   * here, such as a local Slack simulator on 127.0.0.1). Default none. URLs given on the command line
   * (`replay --webhook NAME=URL`) are not checked.
   */
  allowedWebhookHosts: z
    .array(webhookHost, { error: 'must be a list of host names such as hooks.example.com' })
    .default([]),
});

const consumerSchema = z.strictObject({
  /** Lambda timeout in seconds (1–900). The queue's visibility timeout must be at least 6× this. */
  timeoutSeconds: positiveInt(1, 900).default(60),
  /** Lambda memory in MB (128–10,240). */
  memoryMb: positiveInt(128, 10_240).default(256),
  /** CloudWatch Logs retention for the consumer's log group, in days. */
  logRetentionDays: z
    .union(
      [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653].map(
        (days) => z.literal(days),
      ) as [z.ZodLiteral<number>, ...z.ZodLiteral<number>[]],
      { error: 'must be a CloudWatch Logs retention: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, … days' },
    )
    .default(30),
});

const queueSchema = z.strictObject({
  /** Seconds a received message stays invisible (0–43,200); at least 6× the consumer timeout. */
  visibilityTimeoutSeconds: positiveInt(0, 43_200).default(360),
  /**
   * Receives before a message moves to the DLQ. With the redelivery settings it sets the Slack outage
   * survived without loss (default 20 → about 6.3 hours; see shared/redelivery.ts).
   */
  maxReceiveCount: z
    .number({ error: 'must be a whole number' })
    .int({ error: 'must be a whole number' })
    .max(1000, { error: 'must be at most 1000 (the most an SQS redrive policy allows)' })
    .default(20),
  /** Seconds a record handed back after its first failed receive stays hidden (1–3,600); doubles per receive. */
  redeliveryBaseSeconds: positiveInt(1, 3_600).default(30),
  /** Longest time a handed-back record stays hidden, in seconds (1–43,200, SQS's 12 hours). */
  redeliveryMaxSeconds: positiveInt(1, 43_200).default(1_800),
  /** Days the hub queue keeps a message (1–14). */
  retentionDays: positiveInt(1, 14).default(4),
  /** Days the DLQ keeps a message (1–14); must be longer than `retentionDays`. */
  dlqRetentionDays: positiveInt(1, 14).default(14),
});

const alarmsSchema = z.strictObject({
  /** Alarm when the hub queue's oldest message is older than this many seconds. */
  oldestMessageAgeSeconds: positiveInt(60, 1_209_600).default(900),
  /** Alarm when the hub queue holds more visible messages than this. */
  queueDepth: positiveInt(1, 10_000_000).default(1000),
  /** Optional email subscribed to the alarm topic. */
  email: z.email({ error: 'must be an email address' }).optional(),
});

const repeatsSchema = z.strictObject({
  /** Skip re-published findings that are neither new, worse nor growing. */
  enabled: z.boolean().default(true),
  /** Notify again about an unchanged finding after this many hours. */
  renotifyAfterHours: z.number().positive({ error: 'must be greater than 0' }).max(8760).default(24),
  /** The same issue from several regions within this many minutes becomes one message. */
  crossRegionWindowMinutes: positiveInt(0, 1440).default(60),
  /** `service.count` values that trigger a new message when crossed. */
  countMilestones: z
    .array(positiveInt(2, 1_000_000_000))
    .default([10, 100, 1000, 10_000, 100_000])
    .refine((list) => list.every((value, i) => i === 0 || value > (list[i - 1] ?? Number.NEGATIVE_INFINITY)), {
      error: 'must be in increasing order',
    }),
});

const stateSchema = z.strictObject({
  /** S3 bucket for Terraform state. Local state when `state` is absent. */
  bucket: z.string().min(3).max(63),
  /** Key prefix; each stack's state is `<keyPrefix>/<stack>.tfstate`. */
  keyPrefix: z.string().default('guardduty-hub'),
  /** Region of the bucket; the hub region when absent. */
  region: regionName.optional(),
  /** Optional DynamoDB table for state locking. */
  dynamodbTable: z.string().optional(),
});

/** The whole configuration file. */
export const configSchema = z.strictObject({
  hub: hubSchema,
  regions: z
    .array(regionName, { error: 'must be a list of region names' })
    .min(1, { error: 'must list at least one region' }),
  guardduty: guarddutySchema.prefault({}),
  colors: coloursSchema.prefault({}),
  defaults: z.strictObject({
    /** Where findings of unlisted accounts go (the original default webhook). */
    destination: z.string({
      error: (issue) =>
        issue.input === undefined
          ? 'is required: the destination for accounts not listed under accounts'
          : 'must be the name of a destination under destinations',
    }),
    /**
     * Several destinations for the findings of accounts not listed (or listed without a destination),
     * each delivered on its own; `destination` alone when absent. `destination` stays the failover.
     */
    destinations: z
      .array(z.string(), { error: 'must be a list of destination names' })
      .min(1, { error: 'must name at least one destination, or be left out' })
      .optional(),
    /** Lowest severity sent to Slack by default. */
    minSeverity: severityThreshold.default('medium'),
  }),
  accounts: z.record(z.string(), accountSchema).default({}),
  destinations: z.record(z.string(), destinationSchema),
  suppress: z.array(suppressSchema).default([]),
  silences: z.array(silenceSchema).default([]),
  guard: guardSchema.prefault({}),
  triage: triageSchema.optional(),
  delivery: deliverySchema.prefault({}),
  consumer: consumerSchema.prefault({}),
  queue: queueSchema.prefault({}),
  alarms: alarmsSchema.prefault({}),
  repeats: repeatsSchema.prefault({}),
  state: stateSchema.optional(),
});

/** Validated, defaulted configuration. */
export type HubConfig = z.output<typeof configSchema>;
/** One member account's settings. */
export type AccountConfig = z.output<typeof accountSchema>;
/** One suppression rule. */
export type SuppressRule = z.output<typeof suppressSchema>;
/** Tamper alerts: which principals' GuardDuty changes are expected. */
export type GuardConfig = z.output<typeof guardSchema>;

/** `guard.canary`, defaults applied. */
export type CanaryConfig = z.output<typeof canarySchema>;
/** One destination (webhook or app). */
export type DestinationConfig = z.output<typeof destinationSchema>;
/** The `app` part of an app destination. */
export type AppDestinationConfig = z.output<typeof appDestinationSchema>;
/** Triage from Slack: the signing secret and who may do what. */
export type TriageConfig = z.output<typeof triageSchema>;
/** A triage action a button does. */
export type TriageAction = keyof TriageConfig['allow'];
/** Delivery tuning: batch, rate and digest settings. */
export type DeliveryConfig = z.output<typeof deliverySchema>;
/** Optional S3 state backend. */
export type StateConfig = z.output<typeof stateSchema>;
