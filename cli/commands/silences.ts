import type { Command } from 'commander';
import { describeMatchers, type SilenceMatchers } from '../../shared/index.ts';
import { commandContext } from '../aws/index.ts';
import { UsageError } from '../errors.ts';
import { formatTime, renderTable, writeJson } from '../output/index.ts';
import { loadCommandConfig, withCommonOptions, type CommonOptions } from './common.ts';
import { addSilence, expireSilence, listSilences, silenceStoreOf, type SilencesReport } from './silences/silences.ts';

const HELP = `
A silence makes the consumer skip the findings it matches until it ends, at most 90 days: GuardDuty
keeps every one of them, archived or not, so its attack-sequence correlation still sees them (unlike
suppress rules at the source and "Suppress like this", which archive findings in GuardDuty). Silences
come from the config (silences:) and from this command, which keeps them in the hub's state table; the
consumer reads them once a minute and counts what each held. Silences made here hold GuardDuty
findings only; tamper, drift and coverage alerts can be silenced only in the config.

Examples:
  $ guardduty-hub silences list
  $ guardduty-hub silences list --all --json
  $ guardduty-hub silences add --type 'Recon:EC2/*' --account 111111111111 --for 7d --reason "scanner under test"
  $ guardduty-hub silences add --below high --region eu-west-1 --until 2027-01-31T00:00:00Z --reason "migration"
  $ guardduty-hub silences expire sil-0a1b2c3d4e
`;

interface ListFlags extends CommonOptions {
  readonly all?: boolean;
}

interface AddFlags extends CommonOptions {
  readonly type?: string;
  readonly account: string[];
  readonly region: string[];
  readonly below?: string;
  readonly author?: string;
  readonly reason?: string;
  readonly for?: string;
  readonly until?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** Registers `silences list`, `silences add` and `silences expire`. */
export function register(program: Command): void {
  const silences = program
    .command('silences')
    .description('List, add and expire silences: findings the hub skips for a while (GuardDuty keeps them)')
    .addHelpText('after', HELP);

  withCommonOptions(silences.command('list'))
    .description('List the active silences, each with what it matches, who made it, why, its end and what it held')
    .option('--all', 'also those that ended, were expired or have not started')
    .action(async (options: ListFlags) => {
      const { awsClients, io, env, now } = commandContext();
      const { config } = loadCommandConfig(options, env);
      const store = silenceStoreOf(await awsClients(), config);
      const report = await listSilences(store, config, now().getTime(), options.all === true);
      if (options.json) writeJson(io.stdout, report);
      else io.stdout.write(renderSilences(report));
    });

  withCommonOptions(silences.command('add'))
    .description('Silence the findings that match, from now until --for or --until (at most 90 days)')
    .option('--type <type>', 'finding type, exact or a prefix ending in * (Recon:*)')
    .option('--account <id>', 'only this account (repeatable)', collect, [])
    .option('--region <region>', 'only this region (repeatable)', collect, [])
    .option('--below <severity>', 'only below this severity: low, medium, high, critical or 1-10')
    .option('--author <name>', 'who asks for it (default: $USER)')
    .option('--reason <text>', 'why (required; shown with the silence)')
    .option('--for <duration>', 'how long: 30m, 12h, 7d')
    .option('--until <time>', 'when it ends, ISO 8601 (instead of --for)')
    .action(addAction);

  withCommonOptions(silences.command('expire'))
    .description('End a silence made with this command now (config silences end by editing the config)')
    .argument('<id>', 'the silence id (sil-…), as silences list shows it')
    .action(async (id: string, options: CommonOptions) => {
      const { awsClients, io, env, now } = commandContext();
      const { config } = loadCommandConfig(options, env);
      const store = silenceStoreOf(await awsClients(), config);
      const expired = await expireSilence(store, config, id, now().getTime());
      if (options.json) writeJson(io.stdout, expired);
      else {
        const recap = config.guard.driftCheck ? '; the next drift check sends its recap' : '';
        io.stdout.write(`silence ${expired.id} expired; it held ${expired.held} finding(s)${recap}\n`);
      }
    });
}

/** `silences add`: keeps a new silence and says what it matches and until when. */
async function addAction(options: AddFlags): Promise<void> {
  const { awsClients, io, env, now } = commandContext();
  const { config } = loadCommandConfig(options, env);
  const store = silenceStoreOf(await awsClients(), config);
  const silence = await addSilence(
    store,
    {
      matchers: matchersOf(options),
      author: options.author ?? env.USER,
      reason: options.reason,
      duration: options.for,
      until: options.until,
    },
    now().getTime(),
  );
  if (options.json) writeJson(io.stdout, silence);
  else
    io.stdout.write(
      `silence ${silence.id} added: ${describeMatchers(silence.matchers)}, until ${formatTime(new Date(silence.endsAtMs))}\n`,
    );
}

/** The matchers of `silences add`: at least one (checked by `addSilence`), each as the config takes it. */
function matchersOf(options: AddFlags): SilenceMatchers {
  return {
    ...(options.type === undefined ? {} : { type: options.type }),
    ...(options.account.length === 0 ? {} : { accounts: options.account.map(accountId) }),
    ...(options.region.length === 0 ? {} : { regions: options.region }),
    ...(options.below === undefined ? {} : { below: severity(options.below) }),
  };
}

/** A 12-digit account id, else a {@link UsageError}. */
function accountId(text: string): string {
  if (!/^\d{12}$/.test(text)) throw new UsageError(`--account ${text}: an account id is 12 digits`);
  return text;
}

/** A severity threshold as the config takes it, else a {@link UsageError}. */
function severity(text: string): NonNullable<SilenceMatchers['below']> {
  if (text === 'low' || text === 'medium' || text === 'high' || text === 'critical') return text;
  const score = Number(text);
  if (Number.isFinite(score) && score >= 1 && score <= 10) return score;
  throw new UsageError(`--below ${text}: give low, medium, high, critical or a score from 1 to 10`);
}

/** The text form of `silences list`. */
function renderSilences(report: SilencesReport): string {
  if (report.silences.length === 0) return 'No silences (silences list --all shows ended ones).\n';
  const rows = report.silences.map((silence) => [
    silence.id,
    silence.state,
    describeMatchers(silence.matchers),
    formatTime(new Date(silence.endsAtMs)),
    String(silence.held),
    silence.author,
    silence.reason,
  ]);
  return renderTable({ header: ['id', 'state', 'matches', 'until', 'held', 'by', 'why'], rows });
}
