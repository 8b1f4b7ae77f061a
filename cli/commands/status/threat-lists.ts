import {
  GetIPSetCommand,
  GetThreatEntitySetCommand,
  GetThreatIntelSetCommand,
  GetTrustedEntitySetCommand,
  ListIPSetsCommand,
  ListThreatEntitySetsCommand,
  ListThreatIntelSetsCommand,
  ListTrustedEntitySetsCommand,
  type GuardDutyClient,
} from '@aws-sdk/client-guardduty';
import { call, section, type Section } from '../../aws/index.ts';

/**
 * The lists a detector holds: trusted IP sets and trusted entity sets (GuardDuty makes no findings
 * for what they list) and threat intel sets and threat entity sets (it makes findings for what they
 * list). The config makes none, so each one present is drift; an ACTIVE trusted one weakens detection.
 */

/** The kinds of list, in the order `status` shows them. */
export const THREAT_LIST_KINDS = ['ipSets', 'trustedEntitySets', 'threatIntelSets', 'threatEntitySets'] as const;

/** One kind of list. */
export type ThreatListKind = (typeof THREAT_LIST_KINDS)[number];

/** One list of a detector. */
export interface ThreatList {
  readonly id: string;
  readonly name: string;
  /** `ACTIVE`, `INACTIVE`, `ACTIVATING`, `DEACTIVATING`, `ERROR`, `DELETE_PENDING` or `DELETED`. */
  readonly status: string;
  /** `TXT`, `STIX`, `OTX_CSV`, … */
  readonly format: string | undefined;
  /** The file's URI (`s3://…` or `https://…`). */
  readonly location: string | undefined;
}

/** Every kind of list of one detector, each read on its own. */
export type ThreatListsStatus = Readonly<Record<ThreatListKind, Section<ThreatList[]>>>;

/** The fields `Get<Kind>` answers that `status` keeps. */
interface ListDetails {
  readonly Name?: string;
  readonly Status?: string;
  readonly Format?: string;
  readonly Location?: string;
}

/** How one kind of list is read and named. */
interface ThreatListSpec {
  /** `trusted IP set`: how a line names one. */
  readonly label: string;
  /** True for lists that stop findings (trusted ones). */
  readonly trusted: boolean;
  /** The AWS CLI's noun: `ip-set` (`aws guardduty update-ip-set --ip-set-id …`). */
  readonly cliNoun: string;
  /** One page of ids. */
  readonly list: (
    guardduty: GuardDutyClient,
    detectorId: string,
    nextToken: string | undefined,
  ) => Promise<{ ids: string[]; nextToken: string | undefined }>;
  readonly get: (guardduty: GuardDutyClient, detectorId: string, id: string) => Promise<ListDetails>;
}

/** The specs of every kind; each list and get goes through {@link call}, so a failure names its operation. */
export const THREAT_LIST_SPECS: Readonly<Record<ThreatListKind, ThreatListSpec>> = {
  ipSets: {
    label: 'trusted IP set',
    trusted: true,
    cliNoun: 'ip-set',
    list: async (guardduty, detectorId, nextToken) => {
      const page = await call('ListIPSets', () =>
        guardduty.send(new ListIPSetsCommand({ DetectorId: detectorId, NextToken: nextToken })),
      );
      return { ids: page.IpSetIds ?? [], nextToken: page.NextToken || undefined };
    },
    get: (guardduty, detectorId, id) =>
      call('GetIPSet', () => guardduty.send(new GetIPSetCommand({ DetectorId: detectorId, IpSetId: id }))),
  },
  trustedEntitySets: {
    label: 'trusted entity set',
    trusted: true,
    cliNoun: 'trusted-entity-set',
    list: async (guardduty, detectorId, nextToken) => {
      const page = await call('ListTrustedEntitySets', () =>
        guardduty.send(new ListTrustedEntitySetsCommand({ DetectorId: detectorId, NextToken: nextToken })),
      );
      return { ids: page.TrustedEntitySetIds ?? [], nextToken: page.NextToken || undefined };
    },
    get: (guardduty, detectorId, id) =>
      call('GetTrustedEntitySet', () =>
        guardduty.send(new GetTrustedEntitySetCommand({ DetectorId: detectorId, TrustedEntitySetId: id })),
      ),
  },
  threatIntelSets: {
    label: 'threat intel set',
    trusted: false,
    cliNoun: 'threat-intel-set',
    list: async (guardduty, detectorId, nextToken) => {
      const page = await call('ListThreatIntelSets', () =>
        guardduty.send(new ListThreatIntelSetsCommand({ DetectorId: detectorId, NextToken: nextToken })),
      );
      return { ids: page.ThreatIntelSetIds ?? [], nextToken: page.NextToken || undefined };
    },
    get: (guardduty, detectorId, id) =>
      call('GetThreatIntelSet', () =>
        guardduty.send(new GetThreatIntelSetCommand({ DetectorId: detectorId, ThreatIntelSetId: id })),
      ),
  },
  threatEntitySets: {
    label: 'threat entity set',
    trusted: false,
    cliNoun: 'threat-entity-set',
    list: async (guardduty, detectorId, nextToken) => {
      const page = await call('ListThreatEntitySets', () =>
        guardduty.send(new ListThreatEntitySetsCommand({ DetectorId: detectorId, NextToken: nextToken })),
      );
      return { ids: page.ThreatEntitySetIds ?? [], nextToken: page.NextToken || undefined };
    },
    get: (guardduty, detectorId, id) =>
      call('GetThreatEntitySet', () =>
        guardduty.send(new GetThreatEntitySetCommand({ DetectorId: detectorId, ThreatEntitySetId: id })),
      ),
  },
};

/** Every kind of list of the detector, each its own section (one refused API leaves the others readable). */
export async function readThreatLists(guardduty: GuardDutyClient, detectorId: string): Promise<ThreatListsStatus> {
  const read = (kind: ThreatListKind) => section(() => readKind(guardduty, detectorId, THREAT_LIST_SPECS[kind]));
  const [ipSets, trustedEntitySets, threatIntelSets, threatEntitySets] = await Promise.all([
    read('ipSets'),
    read('trustedEntitySets'),
    read('threatIntelSets'),
    read('threatEntitySets'),
  ]);
  return { ipSets, trustedEntitySets, threatIntelSets, threatEntitySets };
}

/** No lists: a region without a detector. */
export const NO_THREAT_LISTS: ThreatListsStatus = {
  ipSets: [],
  trustedEntitySets: [],
  threatIntelSets: [],
  threatEntitySets: [],
};

async function readKind(guardduty: GuardDutyClient, detectorId: string, spec: ThreatListSpec): Promise<ThreatList[]> {
  const ids: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await spec.list(guardduty, detectorId, nextToken);
    ids.push(...page.ids);
    nextToken = page.nextToken;
  } while (nextToken);
  const lists: ThreatList[] = [];
  for (const id of ids) {
    const details = await spec.get(guardduty, detectorId, id);
    lists.push({
      id,
      name: details.Name ?? id,
      status: details.Status ?? 'UNKNOWN',
      format: details.Format,
      location: details.Location,
    });
  }
  return lists;
}

/** True for a list that stops findings now: trusted and ACTIVE. */
export function listWeakensDetection(kind: ThreatListKind, list: ThreatList): boolean {
  return THREAT_LIST_SPECS[kind].trusted && list.status === 'ACTIVE';
}

/** The AWS CLI command that deactivates a list (it stays, inactive, until deleted). */
export function deactivateCommand(kind: ThreatListKind, region: string, detectorId: string, list: ThreatList): string {
  const noun = THREAT_LIST_SPECS[kind].cliNoun;
  return `aws guardduty update-${noun} --region ${region} --detector-id ${detectorId} --${noun}-id ${list.id} --no-activate`;
}
