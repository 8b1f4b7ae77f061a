import { describeMatchers, isSilence } from '../../../shared/silences.ts';
import { consoleHost } from '../../../shared/regions.ts';
import { tallyFrom } from '../../silences/tally.ts';
import type { ParseResult, SilenceRecapFinding } from '../../types.ts';
import { asRecord, seenOnce, toIsoTime, toText } from '../normalize.ts';
import { SILENCE_RECAP_EVENT, SILENCE_RECAP_TYPE, type SilenceRecap } from './types.ts';

/** True for a recap put on the hub queue by the drift check. */
export const isSilenceRecapEvent = (event: Record<string, unknown>): boolean =>
  event['detail-type'] === SILENCE_RECAP_EVENT.detailType && event.source === SILENCE_RECAP_EVENT.source;

/** Parses a recap into a `Finding` carrying it (`recap`). Never throws. */
export function parseSilenceRecapEvent(event: Record<string, unknown>): ParseResult {
  const detail = asRecord(event.detail);
  const silence = detail?.silence;
  const region = toText(event.region);
  const account = toText(event.account);
  if (!isSilence(silence) || region === undefined || account === undefined)
    return { ok: false, reason: 'a silence recap needs detail.silence, region and account' };
  const expired = asRecord(silence)?.expiredAtMs;
  const recap: SilenceRecap = {
    silence: { ...silence, ...(typeof expired === 'number' ? { expiredAtMs: expired } : {}) },
    held: typeof detail?.held === 'number' ? detail.held : 0,
    tally: tallyFrom(detail?.tally),
    renewable: detail?.renewable === true,
  };
  const time = toIsoTime(event.time) ?? new Date(silence.endsAtMs).toISOString();
  return { ok: true, finding: recapFinding(recap, account, region, time) };
}

/** The recap as a finding of the `silence-recap` kind: Low, about the hub's account and region. */
function recapFinding(recap: SilenceRecap, accountId: string, region: string, time: string): SilenceRecapFinding {
  const { silence, held } = recap;
  const matches = describeMatchers(silence.matchers);
  return {
    kind: 'silence-recap',
    id: `silence-recap:${silence.id}`,
    type: SILENCE_RECAP_TYPE,
    title: `Silence ended: ${matches}`,
    description: `It held ${held} ${held === 1 ? 'finding' : 'findings'}. Reason given: ${silence.reason}`,
    severity: 1,
    band: 'low',
    accountId,
    ...seenOnce(region, time, time),
    resource: { type: 'Silence', label: silence.id, details: [] },
    consoleUrl: `https://${consoleHost(region)}/guardduty/home?region=${encodeURIComponent(region)}#/findings?macros=current`,
    recap,
  };
}
