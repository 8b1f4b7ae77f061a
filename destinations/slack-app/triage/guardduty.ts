import { SLACK_FILTER_MADE_BY, SLACK_FILTER_TAGS, partitionOf } from '../../../shared/index.ts';
import { FilterLimitError, TriageGuardDutyError } from './errors.ts';
import type { SuppressCriteria } from './criteria.ts';

/**
 * The GuardDuty calls of triage, with the hub account's detector in each region. Only the actions the
 * triage role is granted: `ListDetectors`, `ArchiveFindings`, `UnarchiveFindings`, `CreateFilter`
 * (with tags, hence `TagResource`, which Renew uses too).
 */

/** A GuardDuty SDK client, or anything with its `send`. */
export interface GuardDutyLike {
  send(command: object): Promise<unknown>;
}

/** A filter "Suppress like this" makes. */
export interface SlackFilter {
  readonly name: string;
  readonly description: string;
  readonly criteria: SuppressCriteria;
  /** Slack user id who confirmed it, and the finding it was made from (its tags). */
  readonly userId: string;
  readonly findingId: string;
  /** When the drift check removes it unless renewed, epoch ms (tag `guardduty-hub:expires`). */
  readonly expiresAtMs?: number;
  /** The finding's parent message, whose thread hears of the reminder and the removal (tags). */
  readonly thread?: { readonly channel: string; readonly ts: string };
}

/** What triage does in GuardDuty. Every method throws {@link TriageGuardDutyError} naming the region. */
export interface TriageGuardDuty {
  archive(region: string, findingIds: readonly string[]): Promise<void>;
  unarchive(region: string, findingIds: readonly string[]): Promise<void>;
  /** `created`, or `exists` when a filter of that name is already there (a repeat: done). */
  createFilter(region: string, filter: SlackFilter): Promise<'created' | 'exists'>;
  /** Sets the expiry tag of the Slack-made filter `name` (Renew); `absent` when the region has no such filter. */
  renewFilter(region: string, name: string, expiresAtMs: number): Promise<'renewed' | 'absent'>;
}

let sdk: Promise<typeof import('@aws-sdk/client-guardduty')> | undefined;
const commands = (): Promise<typeof import('@aws-sdk/client-guardduty')> =>
  (sdk ??= import('@aws-sdk/client-guardduty'));

/**
 * Triage over SDK clients, one per region from `clientFor`; the detector id of each region is cached.
 * `account` (the hub account, `hub.account`) names filters in ARNs, which Renew's `TagResource` takes.
 */
export function sdkTriageGuardDuty(clientFor: (region: string) => GuardDutyLike, account = ''): TriageGuardDuty {
  const detectors = new Map<string, Promise<string>>();
  const detectorOf = (region: string): Promise<string> => {
    let found = detectors.get(region);
    if (found === undefined) {
      found = guarded(region, async () => {
        const { ListDetectorsCommand } = await commands();
        const ids =
          ((await clientFor(region).send(new ListDetectorsCommand({}))) as { DetectorIds?: string[] }).DetectorIds ??
          [];
        if (ids[0] === undefined)
          throw new TriageGuardDutyError(
            region,
            'NoDetector',
            'the hub account has no GuardDuty detector in this region',
          );
        return ids[0];
      });
      found.catch(() => detectors.delete(region));
      detectors.set(region, found);
    }
    return found;
  };
  return {
    archive: (region, findingIds) =>
      guarded(region, async () => {
        const { ArchiveFindingsCommand } = await commands();
        await clientFor(region).send(
          new ArchiveFindingsCommand({ DetectorId: await detectorOf(region), FindingIds: [...findingIds] }),
        );
      }),
    unarchive: (region, findingIds) =>
      guarded(region, async () => {
        const { UnarchiveFindingsCommand } = await commands();
        await clientFor(region).send(
          new UnarchiveFindingsCommand({ DetectorId: await detectorOf(region), FindingIds: [...findingIds] }),
        );
      }),
    createFilter: (region, filter) => guarded(region, () => createOne(clientFor(region), region, detectorOf, filter)),
    renewFilter: (region, name, expiresAtMs) =>
      guarded(region, async () => {
        const { TagResourceCommand } = await commands();
        const arn = `arn:${partitionOf(region)}:guardduty:${region}:${account}:detector/${await detectorOf(region)}/filter/${name}`;
        try {
          const tags = { [SLACK_FILTER_TAGS.expires]: new Date(expiresAtMs).toISOString() };
          await clientFor(region).send(new TagResourceCommand({ ResourceArn: arn, Tags: tags }));
          return 'renewed';
        } catch (error) {
          if (error instanceof Error && /not ?found|does not exist/i.test(`${error.name} ${error.message}`))
            return 'absent';
          throw error;
        }
      }),
  };
}

async function createOne(
  client: GuardDutyLike,
  region: string,
  detectorOf: (region: string) => Promise<string>,
  filter: SlackFilter,
): Promise<'created' | 'exists'> {
  const { CreateFilterCommand } = await commands();
  const input = {
    DetectorId: await detectorOf(region),
    Name: filter.name,
    Description: filter.description,
    Action: 'ARCHIVE' as const,
    FindingCriteria: {
      Criterion: Object.fromEntries(
        Object.entries(filter.criteria).map(([field, condition]) => [field, { Equals: [...condition.Equals] }]),
      ),
    },
    Tags: {
      [SLACK_FILTER_TAGS.madeBy]: SLACK_FILTER_MADE_BY,
      [SLACK_FILTER_TAGS.user]: filter.userId,
      [SLACK_FILTER_TAGS.finding]: filter.findingId.slice(0, 256),
      ...(filter.expiresAtMs === undefined
        ? {}
        : { [SLACK_FILTER_TAGS.expires]: new Date(filter.expiresAtMs).toISOString() }),
      ...(filter.thread === undefined
        ? {}
        : { [SLACK_FILTER_TAGS.channel]: filter.thread.channel, [SLACK_FILTER_TAGS.thread]: filter.thread.ts }),
    },
  };
  try {
    await client.send(new CreateFilterCommand(input));
    return 'created';
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/already exists/i.test(message)) return 'exists';
    if (/limit|maximum|exceed/i.test(message)) {
      throw new FilterLimitError(
        region,
        'FilterLimit',
        'GuardDuty keeps at most 100 filters per detector and this region has no room: remove or merge filters first',
        { cause: error },
      );
    }
    throw error;
  }
}

/** Runs `call`, turning any failure that is not already a triage error into one naming the region and the AWS error. */
async function guarded<T>(region: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof TriageGuardDutyError) throw error;
    const code = error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message : String(error);
    throw new TriageGuardDutyError(region, code, `GuardDuty answered ${code}: ${message.slice(0, 300)}`, {
      cause: error,
    });
  }
}
