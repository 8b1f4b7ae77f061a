import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { HubConfig, TriageConfig } from '../../shared/index.ts';
import { FILTER_EXPIRY_KEY } from '../../core/state-keys.ts';
import { nodeHttpFetch } from '../../core/port/http-fetch.ts';
import type { SecretReader } from '../../core/port/secrets.ts';
import { secretsManagerTokens, type BotTokenResolver } from '../../destinations/slack-app/tokens.ts';
import { slackForTriage, type TriageSlack } from '../../destinations/slack-app/triage/slack.ts';
import { DEFAULT_SLACK_API_URL } from '../../destinations/slack-app/web-api.ts';
import { lazyGuardDutyClients } from '../triage/runtime.ts';
import {
  runFilterExpiry,
  type FilterExpiryGuardDuty,
  type FilterExpiryReport,
  type FilterExpiryState,
  type FilterExpiryStore,
  type OwedNotice,
} from './filter-expiry.ts';

/**
 * The real I/O of the filter-expiry step: GuardDuty (`ListDetectors`, `ListFilters`, `GetFilter` for
 * the tags, `DeleteFilter`), the step's item in the state table (`GetItem`, `PutItem`), and Slack
 * (`chat.postMessage` with the app destination's bot token, read with `GetSecretValue`).
 */

/** A GuardDuty SDK client, or anything with its `send`. */
export interface GuardDutySendLike {
  send(command: object): Promise<unknown>;
}

/** {@link FilterExpiryGuardDuty} over `client` (one region's). */
export function sdkFilterGuardDuty(client: GuardDutySendLike): FilterExpiryGuardDuty {
  const sdk = import('@aws-sdk/client-guardduty');
  return {
    async listDetectorIds() {
      const { ListDetectorsCommand } = await sdk;
      return ((await client.send(new ListDetectorsCommand({}))) as { DetectorIds?: string[] }).DetectorIds ?? [];
    },
    async listFilterNames(detectorId) {
      const { ListFiltersCommand } = await sdk;
      const names: string[] = [];
      let token: string | undefined;
      do {
        const page = (await client.send(
          new ListFiltersCommand({ DetectorId: detectorId, MaxResults: 50, ...(token ? { NextToken: token } : {}) }),
        )) as { FilterNames?: string[]; NextToken?: string };
        names.push(...(page.FilterNames ?? []));
        token = page.NextToken || undefined;
      } while (token !== undefined);
      return names;
    },
    async filterTags(detectorId, name) {
      const { GetFilterCommand } = await sdk;
      const filter = (await client.send(new GetFilterCommand({ DetectorId: detectorId, FilterName: name }))) as {
        Tags?: Record<string, string>;
      };
      return filter.Tags ?? {};
    },
    async deleteFilter(detectorId, name) {
      const { DeleteFilterCommand } = await sdk;
      await client.send(new DeleteFilterCommand({ DetectorId: detectorId, FilterName: name }));
    },
  };
}

/** The step's state in the finding-state table: one item `filter-expiry`, `state` a JSON text. No TTL. */
export function dynamoFilterExpiryStore(options: {
  readonly client: Pick<DynamoDBClient, 'send'>;
  readonly tableName: string;
}): FilterExpiryStore {
  const sdk = import('@aws-sdk/client-dynamodb');
  return {
    async load() {
      const { GetItemCommand } = await sdk;
      const { Item } = await options.client.send(
        new GetItemCommand({
          TableName: options.tableName,
          Key: { pk: { S: FILTER_EXPIRY_KEY } },
          ConsistentRead: true,
        }),
      );
      const raw = Item?.state?.S;
      const state = raw === undefined ? {} : (JSON.parse(raw) as Partial<FilterExpiryState>);
      return { reminded: state.reminded ?? {}, removing: state.removing ?? {}, owed: state.owed ?? [] };
    },
    async save(state) {
      const { PutItemCommand } = await sdk;
      await options.client.send(
        new PutItemCommand({
          TableName: options.tableName,
          Item: { pk: { S: FILTER_EXPIRY_KEY }, state: { S: JSON.stringify(state) } },
        }),
      );
    },
  };
}

/** Posts a notice in its thread with the bot token of the app destination posting to its channel. */
export function slackNoticePoster(
  config: Pick<HubConfig, 'destinations'>,
  tokens: BotTokenResolver,
  slack: Pick<TriageSlack, 'call'>,
): (notice: OwedNotice) => Promise<void> {
  return async (notice) => {
    const destination = Object.entries(config.destinations).find(([, d]) => d.app?.channel === notice.channel)?.[0];
    if (destination === undefined) throw new Error(`no app destination posts to ${notice.channel}`);
    await slack.call('chat.postMessage', await tokens.botToken(destination), {
      channel: notice.channel,
      thread_ts: notice.threadTs,
      text: notice.text,
      ...(notice.attachments === undefined ? {} : { attachments: notice.attachments }),
    });
  };
}

/** `GetSecretValue` through a Secrets Manager client made on first use. */
function secretReader(): SecretReader {
  const client = import('@aws-sdk/client-secrets-manager').then((sdk) => ({
    sdk,
    client: new sdk.SecretsManagerClient({}),
  }));
  return async (secretId) => {
    const { sdk, client: secrets } = await client;
    return (await secrets.send(new sdk.GetSecretValueCommand({ SecretId: secretId }))).SecretString;
  };
}

/** The step over real clients, for `createDriftHandler`: the configured regions, the state table, Slack. */
export function filterExpiryStep(
  config: Pick<HubConfig, 'regions' | 'destinations'> & { readonly triage: Pick<TriageConfig, 'suppressExpiryDays'> },
  dynamo: Pick<DynamoDBClient, 'send'>,
  tableName: string,
): () => Promise<FilterExpiryReport> {
  const clientOf = lazyGuardDutyClients();
  const slack = slackForTriage({ apiUrl: DEFAULT_SLACK_API_URL, fetch: nodeHttpFetch() });
  const post = slackNoticePoster(config, secretsManagerTokens(config.destinations, secretReader()), slack);
  return () =>
    runFilterExpiry(
      {
        config,
        guardduty: (region) => sdkFilterGuardDuty(clientOf(region)),
        store: dynamoFilterExpiryStore({ client: dynamo, tableName }),
        post,
        now: Date.now,
      },
      config.triage.suppressExpiryDays,
    );
}
