import { ARCHIVED_CORRELATION_COST, placeSuppressRules, sourceFilterName, type HubConfig } from '../shared/index.ts';

/** What `synth` says under rules `at: source`: the cost GuardDuty's correlation pays for them ({@link ARCHIVED_CORRELATION_COST}). */
export const SOURCE_SUPPRESS_WARNING = `  warning: ${ARCHIVED_CORRELATION_COST}; to quiet findings for a while without that cost, use a silence (silences:, or guardduty-hub silences add)`;

/**
 * Where each `suppress` rule applies, for `synth` to print: GuardDuty filters (`at: source`, with
 * the filter name and the regions that get it) or the consumer (`at: hub`); with any at the source,
 * {@link SOURCE_SUPPRESS_WARNING}.
 */
export function formatSuppressPlacement(config: Pick<HubConfig, 'hub' | 'regions' | 'suppress'>): string[] {
  if (config.suppress.length === 0) return ['suppress: no rules'];
  const { source, hub } = placeSuppressRules(config);
  const lines = [`suppress: ${source.length} at source (GuardDuty filters, ARCHIVE), ${hub.length} at hub (consumer)`];
  config.suppress.forEach((rule, i) => {
    if (rule.at === 'hub') {
      lines.push(`  suppress[${i}] → hub: the consumer skips matching findings`);
      return;
    }
    const regions = config.regions.filter((region) => rule.regions === undefined || rule.regions.includes(region));
    const where = regions.length > 0 ? regions.join(', ') : 'no configured region';
    lines.push(`  suppress[${i}] → source: filter ${sourceFilterName(config, rule)} in ${where}`);
  });
  return source.length > 0 ? [...lines, SOURCE_SUPPRESS_WARNING] : lines;
}
