import { placeSuppressRules, sourceFilterName, type HubConfig } from '../shared/index.ts';

/**
 * Where each `suppress` rule applies, for `synth` to print: GuardDuty filters (`at: source`, with
 * the filter name and the regions that get it) or the consumer (`at: hub`).
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
  return lines;
}
