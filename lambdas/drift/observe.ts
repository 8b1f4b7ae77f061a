import type { DriftObservation } from '../../core/kinds/drift/types.ts';

/**
 * The GuardDuty calls the drift check makes, in one region: the boundary tests fake (moto 5.2.5 has
 * no member APIs). {@link sdkGuardDuty} is the real one.
 */
export interface GuardDutyReader {
  /** `ListDetectors`: the region's detector ids (at most one per account and region). */
  listDetectorIds(): Promise<readonly string[]>;
  /** `GetDetector`: its status, `ENABLED` or `DISABLED`. */
  detectorStatus(detectorId: string): Promise<string>;
  /** `ListMembers` (all pages, `OnlyAssociated=false`): relationship status by account id. */
  memberStatuses(detectorId: string): Promise<ReadonlyMap<string, string>>;
}

/** Reads a region's detector and member relationships. */
export async function observeRegion(region: string, reader: GuardDutyReader): Promise<DriftObservation> {
  const [detectorId] = await reader.listDetectorIds();
  if (detectorId === undefined) return { region, detector: 'missing', members: new Map() };
  const [detector, members] = await Promise.all([reader.detectorStatus(detectorId), reader.memberStatuses(detectorId)]);
  return { region, detector, members, detectorId };
}

/** A {@link GuardDutyReader} over the AWS SDK in `region` (loaded on first use, as in the consumer). */
export function sdkGuardDuty(region: string): GuardDutyReader {
  const load = (async () => {
    const sdk = await import('@aws-sdk/client-guardduty');
    return { sdk, client: new sdk.GuardDutyClient({ region }) };
  })();
  return {
    async listDetectorIds() {
      const { sdk, client } = await load;
      return (await client.send(new sdk.ListDetectorsCommand({}))).DetectorIds ?? [];
    },
    async detectorStatus(detectorId) {
      const { sdk, client } = await load;
      return (await client.send(new sdk.GetDetectorCommand({ DetectorId: detectorId }))).Status ?? 'unknown';
    },
    async memberStatuses(detectorId) {
      const { sdk, client } = await load;
      const statuses = new Map<string, string>();
      let nextToken: string | undefined;
      do {
        const page = await client.send(
          new sdk.ListMembersCommand({ DetectorId: detectorId, OnlyAssociated: 'false', NextToken: nextToken }),
        );
        for (const member of page.Members ?? [])
          statuses.set(member.AccountId ?? '?', member.RelationshipStatus ?? 'unknown');
        nextToken = page.NextToken;
      } while (nextToken);
      return statuses;
    },
  };
}
