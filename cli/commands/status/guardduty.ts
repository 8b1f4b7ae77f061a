import {
  GetDetectorCommand,
  ListMembersCommand,
  type DetectorFeatureConfigurationResult,
  type GuardDutyClient,
  type Member,
} from '@aws-sdk/client-guardduty';
import { membersInRegion, type HubConfig } from '../../../shared/index.ts';
import { call, failed, firstDetectorId, section, type Section } from '../../aws/index.ts';

/** One region's detector and members. */
export interface RegionStatus {
  readonly region: string;
  readonly detector: Section<DetectorStatus | null>;
  /** Members expected by the config and members GuardDuty lists; empty when there is no detector. */
  readonly members: Section<MemberStatus[]>;
}

/** The administrator's detector in a region. */
export interface DetectorStatus {
  readonly id: string;
  /** `ENABLED` or `DISABLED`. */
  readonly status: string | undefined;
  /** GetDetector's `Features` (protection plans), in GuardDuty's order; empty when it lists none. */
  readonly features: FeatureStatus[];
}

/** One detector feature (`S3_DATA_EVENTS`, `RUNTIME_MONITORING`, …) and its additional configurations. */
export interface FeatureStatus {
  readonly name: string;
  /** `ENABLED` or `DISABLED`. */
  readonly status: string;
  /** `AdditionalConfiguration` (`EKS_ADDON_MANAGEMENT`, …), each with its status. */
  readonly additional: readonly { readonly name: string; readonly status: string }[];
}

/** One member account: what GuardDuty says, against what the config expects. */
export interface MemberStatus {
  readonly accountId: string;
  /** The account's name in the config, if listed. */
  readonly name: string | undefined;
  /** GuardDuty's relationship status, or `not a member` when GuardDuty does not list the account. */
  readonly status: string;
  /** `Enabled` for accounts the config enables in this region; `not in config` for the others. */
  readonly expected: 'Enabled' | 'not in config';
  /** True when the status is what the config expects (members not in config are never counted as problems). */
  readonly ok: boolean;
}

/** Reads one region; every failure stays in its section. */
export async function readRegion(guardduty: GuardDutyClient, config: HubConfig, region: string): Promise<RegionStatus> {
  const detector = await section(() => findDetector(guardduty));
  if (detector === null || failed(detector)) return { region, detector, members: [] };
  const members = await section(async () => compareMembers(config, region, await listMembers(guardduty, detector.id)));
  return { region, detector, members };
}

/** The first detector in the client's region, with its status, or `null` when there is none. */
export async function findDetector(guardduty: GuardDutyClient): Promise<DetectorStatus | null> {
  const id = await firstDetectorId(guardduty);
  if (id === undefined) return null;
  const detector = await call('GetDetector', () => guardduty.send(new GetDetectorCommand({ DetectorId: id })));
  return { id, status: detector.Status, features: (detector.Features ?? []).map(featureStatus) };
}

function featureStatus(feature: DetectorFeatureConfigurationResult): FeatureStatus {
  return {
    name: feature.Name ?? '?',
    status: feature.Status ?? 'UNKNOWN',
    additional: (feature.AdditionalConfiguration ?? []).map((extra) => ({
      name: extra.Name ?? '?',
      status: extra.Status ?? 'UNKNOWN',
    })),
  };
}

/** The features, and additional configurations as `FEATURE/CONFIGURATION`, that are not `ENABLED`. */
export function disabledFeatures(detector: DetectorStatus): string[] {
  return detector.features.flatMap((feature) => [
    ...(feature.status === 'ENABLED' ? [] : [feature.name]),
    ...feature.additional.filter((extra) => extra.status !== 'ENABLED').map((extra) => `${feature.name}/${extra.name}`),
  ]);
}

async function listMembers(guardduty: GuardDutyClient, detectorId: string): Promise<Member[]> {
  const all: Member[] = [];
  let nextToken: string | undefined;
  do {
    const page = await call('ListMembers', () =>
      guardduty.send(new ListMembersCommand({ DetectorId: detectorId, OnlyAssociated: 'false', NextToken: nextToken })),
    );
    all.push(...(page.Members ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  return all;
}

/** Expected members first (config order), then members the config does not list. */
export function compareMembers(config: HubConfig, region: string, members: readonly Member[]): MemberStatus[] {
  const byId = new Map(members.map((m) => [m.AccountId ?? '', m]));
  const expected = membersInRegion(config, region);
  const expectedIds = new Set(expected.map(([id]) => id));
  const rows: MemberStatus[] = expected.map(([id, account]) => {
    const status = byId.get(id)?.RelationshipStatus ?? 'not a member';
    return { accountId: id, name: account.name, status, expected: 'Enabled', ok: status === 'Enabled' };
  });
  for (const member of members) {
    const id = member.AccountId ?? '?';
    if (expectedIds.has(id)) continue;
    rows.push({
      accountId: id,
      name: Object.hasOwn(config.accounts, id) ? config.accounts[id]?.name : undefined,
      status: member.RelationshipStatus ?? 'unknown',
      expected: 'not in config',
      ok: true,
    });
  }
  return rows;
}
