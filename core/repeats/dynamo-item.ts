import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { bandOf, SEVERITY_BANDS, type SeverityBand } from '../../shared/severity.ts';
import type { NotifiedState } from './decide.ts';
import type { Claim, MessageRef, StateRecord } from './store.ts';

/**
 * The item layout of the state table. `pk` (S); `version` (N); the notified state `notifiedAt` (N, epoch
 * ms), `band` (S), `severity` (N), `count` (N), `destination` (S), `regions` (SS); the claim
 * `claimToken` (S), `claimUntil` (N, epoch ms), `claimBand`, `claimSeverity`, `claimCount`; the
 * parent message at an app destination `messageDestination`, `messageChannel`, `messageTs` (S) and
 * `messageArchived` (BOOL), `messageSummary` (S, a storm's running summary); the triage state `triage` (S, JSON) and
 * `triageVersion` (N); and the TTL `expiresAt` (N, epoch seconds).
 */

type Item = Record<string, AttributeValue>;

/** The `:placeholders` a SET of the notified state uses. */
export function notifiedValues(state: NotifiedState, expiresAtSeconds: number): Item {
  return {
    ':notifiedAt': { N: String(state.notifiedAtMs) },
    ':band': { S: state.band },
    ':severity': { N: String(state.severity) },
    ':count': { N: String(state.count) },
    ':destination': { S: state.destination },
    ':regions': { SS: [...new Set(state.regions)] },
    ':expiresAt': { N: String(expiresAtSeconds) },
    ':zero': { N: '0' },
    ':one': { N: '1' },
  };
}

/** A stored item as a {@link StateRecord}. */
export function fromItem(item: Item): StateRecord {
  const notifiedAtMs = numberOf(item.notifiedAt);
  const severity = numberOf(item.severity) ?? 0;
  const notified: NotifiedState | undefined =
    notifiedAtMs === undefined
      ? undefined
      : {
          notifiedAtMs,
          band: bandFrom(item.band, severity),
          severity,
          count: numberOf(item.count) ?? 0,
          destination: item.destination?.S ?? '',
          regions: [...(item.regions?.SS ?? [])].sort(),
        };
  const token = item.claimToken?.S;
  const claimSeverity = numberOf(item.claimSeverity) ?? 0;
  const claim: Claim | undefined =
    token === undefined
      ? undefined
      : {
          token,
          untilMs: numberOf(item.claimUntil) ?? 0,
          band: bandFrom(item.claimBand, claimSeverity),
          severity: claimSeverity,
          count: numberOf(item.claimCount) ?? 0,
        };
  const message = messageOf(item);
  const triageText = item.triage?.S;
  return {
    key: item.pk?.S ?? '',
    notified,
    version: numberOf(item.version) ?? 0,
    claim,
    expiresAtSeconds: numberOf(item.expiresAt) ?? 0,
    ...(message === undefined ? {} : { message }),
    ...(triageText === undefined ? {} : { triage: { text: triageText, version: numberOf(item.triageVersion) ?? 0 } }),
  };
}

/** The `:placeholders` of a SET of the parent message. */
export function messageValues(message: MessageRef, expiresAtSeconds: number): Item {
  return {
    ':messageDestination': { S: message.destination },
    ':messageChannel': { S: message.channel },
    ':messageTs': { S: message.ts },
    ':messageArchived': { BOOL: message.archived === true },
    ':messageSummary': { S: message.summary ?? '' },
    ':expiresAt': { N: String(expiresAtSeconds) },
  };
}

function messageOf(item: Item): MessageRef | undefined {
  const ts = item.messageTs?.S;
  const channel = item.messageChannel?.S;
  if (ts === undefined || channel === undefined) return undefined;
  const summary = item.messageSummary?.S;
  return {
    destination: item.messageDestination?.S ?? '',
    channel,
    ts,
    ...(item.messageArchived?.BOOL === true ? { archived: true } : {}),
    ...(summary ? { summary } : {}),
  };
}

function numberOf(value: AttributeValue | undefined): number | undefined {
  return value?.N === undefined ? undefined : Number(value.N);
}

function bandFrom(value: AttributeValue | undefined, severity: number): SeverityBand {
  const band = value?.S;
  return SEVERITY_BANDS.find((known) => known === band) ?? bandOf(severity);
}
