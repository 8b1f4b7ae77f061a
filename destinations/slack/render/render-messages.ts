import type { RoutedFinding } from '../../../core/types.ts';
import type { SlackMessage, SlackPayload } from './types.ts';
import { renderDigests } from './digest.ts';
import { bySeverityThenNewest } from './format.ts';
import { renderSingle } from './single.ts';
import { renderTamper } from './tamper.ts';
import { renderCoverage } from './coverage.ts';
import { kindOf } from '../../../core/kinds/index.ts';
import type { RenderConfig, RenderOptions } from './types.ts';

/**
 * The Slack messages for a batch of routed findings. Findings are grouped by destination (in order of
 * first appearance); a destination with more than `delivery.digestThreshold` findings gets digests,
 * otherwise one message per finding, highest severity first.
 */
export function renderMessages(
  routed: readonly RoutedFinding[],
  config: RenderConfig,
  options: RenderOptions = {},
): SlackMessage[] {
  const byDestination = new Map<string, RoutedFinding[]>();
  for (const item of routed) {
    const list = byDestination.get(item.destination);
    if (list) list.push(item);
    else byDestination.set(item.destination, [item]);
  }

  const messages: SlackMessage[] = [];
  for (const [destination, all] of byDestination) {
    const note = options.note?.(destination);
    // A kind that is never digested (a GuardDuty configuration change) gets a message of its own.
    const findings = all.filter((item) => kindOf(item.finding).digested);
    for (const item of all) {
      if (!kindOf(item.finding).digested)
        messages.push({ destination, kind: 'single', payload: renderAlone(item, config, note), findings: [item] });
    }
    if (findings.length > config.delivery.digestThreshold) {
      for (const digest of renderDigests(findings, config, note)) {
        messages.push({ destination, kind: 'digest', payload: digest.payload, findings: digest.findings });
      }
    } else {
      const sorted = [...findings].sort((a, b) => bySeverityThenNewest(a.finding, b.finding));
      for (const item of sorted) {
        messages.push({ destination, kind: 'single', payload: renderSingle(item, config, note), findings: [item] });
      }
    }
  }
  return messages;
}

/** A message of its own for a finding of a kind that is never digested: a configuration or coverage change its own alert, any other one finding. */
function renderAlone(item: RoutedFinding, config: RenderConfig, note: string | undefined): SlackPayload {
  const { finding } = item;
  if (finding.kind === 'tamper') return renderTamper(item, finding.tamper, config, note);
  if (finding.kind === 'coverage') return renderCoverage(item, finding.coverage, config, note);
  return renderSingle(item, config, note);
}
