import type { RoutedFinding } from '../../../core/types.ts';
import type { SlackMessage } from './types.ts';
import { renderDigests } from './digest.ts';
import { bySeverityThenNewest } from './format.ts';
import { renderSingle } from './single.ts';
import { renderTamper } from './tamper.ts';
import type { RenderConfig, RenderOptions } from './types.ts';

/**
 * The Slack messages for a batch of routed findings. Findings are grouped by destination (in order of
 * first appearance); a destination with more than `delivery.digestThreshold` findings gets digests,
 * otherwise one message per finding, highest severity first.
 */
export function renderMessages(routed: readonly RoutedFinding[], config: RenderConfig, options: RenderOptions = {}): SlackMessage[] {
  const byDestination = new Map<string, RoutedFinding[]>();
  for (const item of routed) {
    const list = byDestination.get(item.destination);
    if (list) list.push(item);
    else byDestination.set(item.destination, [item]);
  }

  const messages: SlackMessage[] = [];
  for (const [destination, all] of byDestination) {
    const note = options.note?.(destination);
    // GuardDuty configuration changes are never digested: each gets its own alert (consumer/tamper).
    const findings = all.filter((item) => item.finding.tamper === undefined);
    for (const item of all) {
      const change = item.finding.tamper;
      if (change !== undefined) messages.push({ destination, kind: 'single', payload: renderTamper(item, change, config, note), findings: [item] });
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
