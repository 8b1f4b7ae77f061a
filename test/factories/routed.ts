import { parseRecord } from '../../core/kinds/index.ts';
import type { Finding, RoutedFinding } from '../../core/types.ts';
import { makeFindingEvent, type DetailOverrides } from './finding.ts';

/** A parsed `Finding` from a factory event (overrides as in `makeFindingDetail`). */
export function makeFinding(...overrides: DetailOverrides[]): Finding {
  const detail: DetailOverrides = {};
  for (const o of overrides) Object.assign(detail, o, { service: { ...detail.service, ...o.service } });
  const result = parseRecord(JSON.stringify(makeFindingEvent({ detail })));
  if (!result.ok) throw new Error(`factory event did not parse: ${result.reason}`);
  return result.finding;
}

let messageCounter = 0;

/** A routed finding for `destination`, carried by one SQS message id. */
export function makeRoutedFinding(destination: string, ...overrides: DetailOverrides[]): RoutedFinding {
  messageCounter += 1;
  return { finding: makeFinding(...overrides), destination, messageIds: [`routed-msg-${messageCounter}`] };
}
