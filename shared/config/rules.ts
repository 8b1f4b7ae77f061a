import { destinationSecret } from './derive.ts';
import { DESTINATION_NAME, type DestinationConfig, type DestinationType, type HubConfig } from './schema.ts';
import { SLACK_WEBHOOK_HOSTS } from './webhook-hosts.ts';
import { MAX_SILENCE_DAYS, MAX_SILENCE_MS } from '../silences.ts';
import { isAwsRegion, partitionOf } from '../regions.ts';
import { longestStaySeconds } from '../redelivery.ts';
import { MAX_SOURCE_FILTERS, filterCriteria, sourceRuleContent } from '../guard/source-filters.ts';

const SECONDS_PER_DAY = 86_400;

/** One thing wrong with a config file: where (`delivery.batchSize`) and what. */
export interface ConfigProblem {
  readonly path: string;
  readonly message: string;
}

/** The sections that parsed on their own; a rule runs only when the sections it reads are here. */
export type PartialConfig = Partial<HubConfig>;

const WEBHOOK_URL = /^https?:\/\/(hooks\.slack(-gov)?\.com|[^\s]*\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/)/i;

/** The message given wherever a webhook URL is pasted into the config. */
export const WEBHOOK_IN_CONFIG =
  'looks like a Slack webhook URL; webhook URLs are secrets: put the URL in Secrets Manager ' +
  '(guardduty-hub secrets set DESTINATION) and name the secret in destinations.NAME.webhookSecret';

/** A Microsoft Teams Workflows webhook URL (Azure Logic Apps or Power Platform trigger host). */
const WORKFLOW_URL = /^https?:\/\/[^\s/]+\.(logic\.azure\.com|environment\.api\.powerplatform\.com)(:\d+)?\//i;

/** The message given wherever a Teams Workflows webhook URL is pasted into the config. */
export const WORKFLOW_URL_IN_CONFIG =
  'looks like a Teams Workflows webhook URL; it is a secret: put the URL in Secrets Manager ' +
  '(guardduty-hub secrets set DESTINATION) and name the secret in destinations.NAME.workflowUrlSecret';

const SLACK_TOKEN = /^(xox[abpe]|xapp)-/;

/** The message given wherever a Slack token is pasted into the config. */
export const TOKEN_IN_CONFIG =
  'looks like a Slack token; tokens are secrets: put the bot token in Secrets Manager ' +
  '(guardduty-hub secrets set DESTINATION) and name the secret in destinations.NAME.app.botTokenSecret';

/** Finds webhook URLs and Slack tokens anywhere in the raw document, before any other check. */
export function findPastedWebhooks(raw: unknown, path: readonly (string | number)[] = []): ConfigProblem[] {
  if (typeof raw === 'string') {
    if (SLACK_TOKEN.test(raw.trim())) return [{ path: formatPath(path), message: TOKEN_IN_CONFIG }];
    if (WORKFLOW_URL.test(raw.trim())) return [{ path: formatPath(path), message: WORKFLOW_URL_IN_CONFIG }];
    return WEBHOOK_URL.test(raw.trim()) ? [{ path: formatPath(path), message: WEBHOOK_IN_CONFIG }] : [];
  }
  if (Array.isArray(raw)) return raw.flatMap((item, i) => findPastedWebhooks(item, [...path, i]));
  if (raw !== null && typeof raw === 'object') {
    return Object.entries(raw).flatMap(([key, value]) => findPastedWebhooks(value, [...path, key]));
  }
  return [];
}

/** Rules that relate fields to each other (the field rules are in `schema.ts`). */
export function crossFieldProblems(config: PartialConfig): ConfigProblem[] {
  return [
    ...regionProblems(config),
    ...accountProblems(config),
    ...destinationProblems(config),
    ...routingProblems(config),
    ...deliveryProblems(config),
    ...queueProblems(config),
    ...guarddutyProblems(config),
    ...canaryProblems(config),
    ...sourceSuppressProblems(config),
    ...triageProblems(config),
    ...silenceProblems(config),
  ];
}

/** `region` at `path` is not a region AWS knows. */
const notARegion = (path: string, region: string): ConfigProblem => ({
  path,
  message: `${region} is not an AWS region name (for example us-east-1, eu-north-1)`,
});

function regionProblems({ hub, regions, suppress, silences, state }: PartialConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const unknown = (path: string, region: string) => problems.push(notARegion(path, region));

  if (hub && !isAwsRegion(hub.region)) unknown('hub.region', hub.region);
  regions?.forEach((region, i) => {
    if (!isAwsRegion(region)) unknown(`regions[${i}]`, region);
    else if (regions.indexOf(region) !== i)
      problems.push({ path: `regions[${i}]`, message: `${region} is listed twice` });
  });
  for (const [i, rule] of (suppress ?? []).entries()) {
    for (const [j, region] of (rule.regions ?? []).entries())
      if (!isAwsRegion(region)) unknown(`suppress[${i}].regions[${j}]`, region);
  }
  for (const [i, silence] of (silences ?? []).entries()) {
    for (const [j, region] of (silence.regions ?? []).entries())
      if (!isAwsRegion(region)) unknown(`silences[${i}].regions[${j}]`, region);
  }
  if (state?.region !== undefined && !isAwsRegion(state.region)) unknown('state.region', state.region);

  if (hub && regions && isAwsRegion(hub.region)) {
    if (!regions.includes(hub.region)) {
      problems.push({ path: 'hub.region', message: `${hub.region} must also be listed in regions` });
    }
    const partition = partitionOf(hub.region);
    regions.forEach((region, i) => {
      if (isAwsRegion(region) && partitionOf(region) !== partition) {
        problems.push({
          path: `regions[${i}]`,
          message: `${region} is in partition ${partitionOf(region)}, but the hub region ${hub.region} is in ${partition}; one hub serves one partition`,
        });
      }
    });
  }
  return problems;
}

function accountProblems({ accounts, regions }: PartialConfig): ConfigProblem[] {
  if (!accounts) return [];
  const problems: ConfigProblem[] = [];
  for (const [id, account] of Object.entries(accounts)) {
    account.regions?.forEach((region, i) => {
      const path = `accounts.${id}.regions[${i}]`;
      if (!isAwsRegion(region)) {
        problems.push(notARegion(path, region));
      } else if (regions && !regions.includes(region)) {
        problems.push({
          path,
          message: `${region} is not in regions; an account's regions must be a subset of regions`,
        });
      }
    });
  }
  return problems;
}

function destinationProblems({ destinations }: PartialConfig): ConfigProblem[] {
  if (!destinations) return [];
  const problems: ConfigProblem[] = [];
  const names = Object.keys(destinations);

  if (names.length === 0) problems.push({ path: 'destinations', message: 'must name at least one destination' });
  for (const name of names) {
    if (!DESTINATION_NAME.test(name)) {
      problems.push({
        path: `destinations.${name}`,
        message: 'a destination name must be letters, digits, _ or -, at most 64 characters',
      });
    }
  }
  for (const [name, destination] of Object.entries(destinations)) problems.push(...destinationShape(name, destination));
  return problems;
}

/** Every destination an account or the defaults name exists, once per list, and an account names one list. */
function routingProblems({ defaults, accounts, destinations }: PartialConfig): ConfigProblem[] {
  if (!destinations) return [];
  const problems: ConfigProblem[] = [];
  const known = Object.keys(destinations).join(', ') || 'none';
  const mustExist = (path: string, name: string | undefined) => {
    if (name === undefined || Object.hasOwn(destinations, name)) return;
    problems.push({ path, message: `names destination "${name}", which is not under destinations (known: ${known})` });
  };
  mustExist('defaults.destination', defaults?.destination);
  for (const [i, name] of (defaults?.destinations ?? []).entries()) mustExist(`defaults.destinations[${i}]`, name);
  problems.push(...twice('defaults.destinations', defaults?.destinations));
  for (const [id, account] of Object.entries(accounts ?? {})) {
    mustExist(`accounts.${id}.destination`, account.destination);
    for (const [i, name] of (account.destinations ?? []).entries())
      mustExist(`accounts.${id}.destinations[${i}]`, name);
    problems.push(...twice(`accounts.${id}.destinations`, account.destinations));
    if (account.destination !== undefined && account.destinations !== undefined) {
      const message = 'has both destination and destinations: keep one (destinations may list one name)';
      problems.push({ path: `accounts.${id}`, message });
    }
  }
  return problems;
}

/**
 * A PagerDuty routing key itself (32 letters and digits, several of them digits) where the name of the
 * secret holding it belongs; a secret name of that shape is unlikely (names carry `/` or `-`).
 */
const ROUTING_KEY_VALUE = /^(?=(?:[^0-9]*[0-9]){4})[A-Za-z0-9]{32}$/;

/**
 * The destination types whose one secret field is theirs alone, with the service named in messages.
 * Slack's two are told apart by `webhookSecret` and `app` (either may imply its type); these never are.
 */
const SECRET_FIELD_OF = {
  pagerduty: { field: 'routingKeySecret', service: 'PagerDuty', holds: 'routing key' },
  teams: { field: 'workflowUrlSecret', service: 'Microsoft Teams', holds: 'Teams Workflows webhook URL' },
} as const satisfies Partial<
  Record<DestinationType, { field: keyof DestinationConfig; service: string; holds: string }>
>;

/**
 * What is wrong with one destination's fields: a webhook has `webhookSecret`, a Slack app `app`,
 * PagerDuty `type: pagerduty` with `routingKeySecret`, and Microsoft Teams `type: teams` with
 * `workflowUrlSecret` (each required for its type and refused anywhere else).
 */
function destinationShape(name: string, destination: DestinationConfig): ConfigProblem[] {
  const path = `destinations.${name}`;
  const problems = strangerSecrets(path, destination);
  if (destination.type === 'pagerduty' || destination.type === 'teams') {
    return [...ownSecretShape(path, destination.type, destination), ...problems];
  }
  const both = destination.webhookSecret !== undefined && destination.app !== undefined;
  if (both || (destination.webhookSecret === undefined && destination.app === undefined)) {
    problems.push({
      path,
      message: both
        ? 'has both webhookSecret and app; a destination is either a webhook or a Slack app: keep one of the two'
        : 'needs webhookSecret (a webhook), app: { botTokenSecret, channel } (a Slack app), ' +
          'type: pagerduty with routingKeySecret or type: teams with workflowUrlSecret',
    });
  }
  const implied = destination.app !== undefined ? 'slack-app' : 'slack-webhook';
  if (
    destination.type !== undefined &&
    !both &&
    destination.type !== implied &&
    (destination.webhookSecret !== undefined || destination.app !== undefined)
  ) {
    problems.push({
      path: `${path}.type`,
      message: `is ${destination.type}, but the destination has ${implied === 'slack-app' ? 'app' : 'webhookSecret'} (a ${implied}): make them agree`,
    });
  }
  return problems;
}

/** The secret fields of {@link SECRET_FIELD_OF} on a destination of another type. */
function strangerSecrets(path: string, destination: DestinationConfig): ConfigProblem[] {
  return Object.entries(SECRET_FIELD_OF).flatMap(([type, { field, service }]) =>
    destination[field] === undefined || destination.type === type
      ? []
      : [
          {
            path: `${path}.${field}`,
            message: `is only for ${service} destinations: add type: ${type} (and drop webhookSecret or app), or remove it`,
          },
        ],
  );
}

/** A destination of a type of {@link SECRET_FIELD_OF}: its own secret field and nothing of Slack's. */
function ownSecretShape(
  path: string,
  type: keyof typeof SECRET_FIELD_OF,
  destination: DestinationConfig,
): ConfigProblem[] {
  const { field, service, holds } = SECRET_FIELD_OF[type];
  const problems: ConfigProblem[] = [];
  const secret = destination[field];
  if (secret === undefined) {
    problems.push({
      path: `${path}.${field}`,
      message: `is required for type: ${type}: the name of the Secrets Manager secret that holds the ${holds} (guardduty-hub secrets set NAME stores it)`,
    });
  } else if (type === 'pagerduty' && ROUTING_KEY_VALUE.test(secret)) {
    problems.push({
      path: `${path}.${field}`,
      message:
        'looks like a PagerDuty routing key; routing keys are secrets: put it in Secrets Manager (guardduty-hub secrets set NAME) and name the secret here',
    });
  }
  for (const slackField of ['webhookSecret', 'app'] as const) {
    if (destination[slackField] !== undefined)
      problems.push({
        path: `${path}.${slackField}`,
        message: `is not for type: ${type} (a ${service} destination takes ${field} only): remove it`,
      });
  }
  return problems;
}

function deliveryProblems({ delivery }: PartialConfig): ConfigProblem[] {
  if (!delivery) return [];
  const problems: ConfigProblem[] = [];
  if (delivery.batchSize > 10 && delivery.maxBatchingWindowSeconds < 1) {
    problems.push({
      path: 'delivery.maxBatchingWindowSeconds',
      message: `must be at least 1 when delivery.batchSize is above 10 (it is ${delivery.batchSize}); SQS requires a batching window for batches over 10`,
    });
  }
  if (delivery.maxConcurrency < 2 || delivery.maxConcurrency > 1000) {
    problems.push({
      path: 'delivery.maxConcurrency',
      message: `must be from 2 to 1000 (the SQS event source mapping's maximum concurrency), not ${delivery.maxConcurrency}`,
    });
  }
  delivery.allowedWebhookHosts.forEach((host, i) => {
    const path = `delivery.allowedWebhookHosts[${i}]`;
    if ((SLACK_WEBHOOK_HOSTS as readonly string[]).includes(host)) {
      problems.push({ path, message: `${host} is always allowed; leave it out` });
    } else if (delivery.allowedWebhookHosts.indexOf(host) !== i) {
      problems.push({ path, message: `${host} is listed twice` });
    }
  });
  return problems;
}

function queueProblems({ queue, consumer }: PartialConfig): ConfigProblem[] {
  if (!queue) return [];
  const problems: ConfigProblem[] = [];
  if (queue.maxReceiveCount < 1) {
    problems.push({
      path: 'queue.maxReceiveCount',
      message: `must be at least 1 (5 or more is advised), not ${queue.maxReceiveCount}`,
    });
  }
  if (queue.dlqRetentionDays <= queue.retentionDays) {
    problems.push({
      path: 'queue.dlqRetentionDays',
      message: `must be longer than queue.retentionDays (${queue.retentionDays}), or messages can expire in the DLQ before anyone sees them`,
    });
  }
  if (consumer && longestStaySeconds(queue, consumer.timeoutSeconds) >= queue.retentionDays * SECONDS_PER_DAY) {
    const hours = (longestStaySeconds(queue, consumer.timeoutSeconds) / 3600).toFixed(1);
    problems.push({
      path: 'queue.maxReceiveCount',
      message: `with redeliveryBaseSeconds ${queue.redeliveryBaseSeconds} and redeliveryMaxSeconds ${queue.redeliveryMaxSeconds}, ${queue.maxReceiveCount} receives can take ${hours} hours, longer than queue.retentionDays (${queue.retentionDays} days): a finding could expire in the queue instead of reaching the DLQ`,
    });
  }
  if (queue.redeliveryMaxSeconds < queue.redeliveryBaseSeconds) {
    problems.push({
      path: 'queue.redeliveryMaxSeconds',
      message: `must be at least queue.redeliveryBaseSeconds (${queue.redeliveryBaseSeconds})`,
    });
  }
  if (consumer && queue.visibilityTimeoutSeconds < 6 * consumer.timeoutSeconds) {
    problems.push({
      path: 'queue.visibilityTimeoutSeconds',
      message: `must be at least 6 × consumer.timeoutSeconds (6 × ${consumer.timeoutSeconds} = ${6 * consumer.timeoutSeconds}), as AWS advises for SQS event sources`,
    });
  }
  return problems;
}

function guarddutyProblems({ guardduty, accounts, hub }: PartialConfig): ConfigProblem[] {
  if (!guardduty) return [];
  const problems: ConfigProblem[] = [];
  if (guardduty.mode === 'invitation' && accounts) {
    for (const [id, account] of Object.entries(accounts)) {
      if (account.email === undefined && id !== hub?.account) {
        problems.push({
          path: `accounts.${id}.email`,
          message: 'is required when guardduty.mode is invitation: GuardDuty sends the invitation to this address',
        });
      }
    }
  }
  if (guardduty.mode === 'organization' && guardduty.managementAccount === undefined) {
    problems.push({
      path: 'guardduty.managementAccount',
      message:
        'is required when guardduty.mode is organization: the org stack runs in that account to designate hub.account as administrator',
    });
  }
  return problems;
}

/** The canary is made by the drift check, so it cannot come more often than the check runs. */
function canaryProblems({ guard }: PartialConfig): ConfigProblem[] {
  if (!guard?.driftCheck || !guard.canary.enabled || guard.canary.everyMinutes >= guard.driftCheckMinutes) return [];
  return [
    {
      path: 'guard.canary.everyMinutes',
      message: `must be at least guard.driftCheckMinutes (${guard.driftCheckMinutes}): the drift check makes the canaries`,
    },
  ];
}

/** `['accounts', '2222', 'regions', 0]` → `accounts.2222.regions[0]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    return out === '' ? String(key) : `${out}.${String(key)}`;
  }, '');
}

/** `at: source` rules must be expressible as GuardDuty filters, and fit in one detector's 100. */
function sourceSuppressProblems({ suppress }: PartialConfig): ConfigProblem[] {
  if (!suppress) return [];
  const problems: ConfigProblem[] = [];
  let count = 0;
  const seen = new Map<string, number>();
  suppress.forEach((rule, i) => {
    if (rule.at !== 'source') return;
    count += 1;
    const translated = filterCriteria(rule);
    const same = seen.get(sourceRuleContent(rule));
    seen.set(sourceRuleContent(rule), same ?? i);
    if (same !== undefined) {
      problems.push({
        path: `suppress[${i}]`,
        message: `is the same rule as suppress[${same}] (both at: source, so one GuardDuty filter): remove one of the two`,
      });
    } else if (!translated.ok) {
      problems.push({
        path: `suppress[${i}]`,
        message: `cannot be a GuardDuty filter: ${translated.why}; use at: hub to apply it in the consumer`,
      });
    } else if (count === MAX_SOURCE_FILTERS + 1) {
      problems.push({
        path: `suppress[${i}]`,
        message: `is source rule ${count}; GuardDuty keeps at most ${MAX_SOURCE_FILTERS} filters per region; use at: hub for the rest`,
      });
    }
  });
  return problems;
}

/**
 * Buttons exist only on app-destination messages, so triage needs at least one app destination; its
 * signing secret is a secret of its own (the hub stack creates it beside the destinations' secrets).
 */
function triageProblems({ triage, destinations }: PartialConfig): ConfigProblem[] {
  if (!triage || !destinations) return [];
  const used = Object.entries(destinations).find(([, d]) => destinationSecret(d) === triage.signingSecret);
  const clash: ConfigProblem[] = used
    ? [
        {
          path: 'triage.signingSecret',
          message: `is also the secret of destination ${used[0]}: the signing secret needs a secret of its own`,
        },
      ]
    : [];
  if (Object.values(destinations).some((destination) => destination.app !== undefined)) return clash;
  return [
    {
      path: 'triage',
      message:
        'needs an app destination (destinations.NAME.app): buttons are only on Slack app messages; add one or remove triage',
    },
    ...clash,
  ];
}

/** A problem for each name a destination list holds more than once. */
function twice(path: string, names: readonly string[] | undefined): ConfigProblem[] {
  const seen = new Set<string>();
  const problems: ConfigProblem[] = [];
  for (const [i, name] of (names ?? []).entries()) {
    if (seen.has(name))
      problems.push({ path: `${path}[${i}]`, message: `names ${name} twice: each destination gets a finding once` });
    seen.add(name);
  }
  return problems;
}

/** A silence ends within {@link MAX_SILENCE_DAYS} of now (the check gets easier as time passes, never harder). */
function silenceProblems({ silences }: PartialConfig, nowMs: number = Date.now()): ConfigProblem[] {
  return (silences ?? []).flatMap((silence, i) =>
    Date.parse(silence.until) - nowMs > MAX_SILENCE_MS
      ? [
          {
            path: `silences[${i}].until`,
            message: `is more than ${MAX_SILENCE_DAYS} days away: a silence lasts at most ${MAX_SILENCE_DAYS} days (renew it when it ends)`,
          },
        ]
      : [],
  );
}
