import type { Command } from 'commander';
import { commandContext } from '../aws/index.ts';
import { UsageError } from '../errors.ts';
import { renderTable } from '../output/index.ts';
import { finishReport, loadCommandConfig, renderAttention, withCommonOptions, type CommonOptions } from './common.ts';
import { integerIn } from './integer.ts';
import { DEFAULT_SAMPLE_TYPE, runSmoke, type SmokeReport } from './smoke/index.ts';

const HELP = `
For each region: creates one GuardDuty sample finding (CreateSampleFindings; GuardDuty marks it as
a sample, and its Slack message's header starts with [SAMPLE]) and waits until the hub sees it: the hub queue's
NumberOfMessagesSent or the consumer's FindingsDelivered metric grows. Regions run one after the
other, since those metrics are not per region. CloudWatch metrics arrive minutes late: allow time.
The sample does reach Slack, in the destination of the administrator account.

Exit status: 0 every region seen, 1 a region was not seen in time or failed, 2 bad usage.

Examples:
  $ guardduty-hub smoke --region us-east-1
  $ guardduty-hub smoke --region us-east-1 eu-north-1 --timeout 900
  $ guardduty-hub smoke --region us-west-2 --type Recon:EC2/PortProbeUnprotectedPort --json
`;

/** Milliseconds between metric polls. */
export const SMOKE_POLL_INTERVAL_MS = 30_000;

interface SmokeFlags extends CommonOptions {
  readonly region?: string[];
  readonly timeout: number;
  readonly type: string;
}

/** Registers `smoke`. */
export function register(program: Command): void {
  withCommonOptions(program.command('smoke'))
    .description('Create a sample finding per region and wait until the hub sees it')
    .option('--region <regions...>', 'regions to test (from the config)')
    .option('--timeout <seconds>', 'seconds to wait per region (60–3600)', integerIn(60, 3600), 600)
    .option('--type <findingType>', 'sample finding type', DEFAULT_SAMPLE_TYPE)
    .addHelpText('after', HELP)
    .action(async (options: SmokeFlags) => {
      const { awsClients, io, env, now, sleep } = commandContext();
      const clients = await awsClients();
      const { config } = loadCommandConfig(options, env);
      const regions = options.region ?? [];
      if (regions.length === 0)
        throw new UsageError(`name the regions to test with --region (configured: ${config.regions.join(', ')})`);
      const unknown = regions.filter((region) => !config.regions.includes(region));
      if (unknown.length > 0) {
        throw new UsageError(
          `region ${unknown.join(', ')} is not in the config's regions (${config.regions.join(', ')})`,
        );
      }
      const report = await runSmoke(clients, config, {
        regions,
        findingType: options.type,
        timeoutSeconds: options.timeout,
        pollIntervalMs: SMOKE_POLL_INTERVAL_MS,
        now,
        sleep,
        log: (line) => io.stderr.write(`${line}\n`),
      });
      finishReport(io, options, report, () => renderSmoke(report));
    });
}

function renderSmoke(report: SmokeReport): string {
  const rows = report.regions.map((r) => [
    r.region,
    r.status,
    String(r.queued),
    String(r.delivered),
    `${r.waitedSeconds} s`,
    r.error ?? '',
  ]);
  return `Smoke test (${report.findingType})\n${renderTable({ header: ['region', 'result', 'queued', 'delivered', 'waited', ''], rows }, '  ')}\n${renderAttention(report.attention, 'Every region reached the hub.')}`;
}
