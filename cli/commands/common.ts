import type { Command } from 'commander';
import { configPathFromEnv, loadConfig, type HubConfig } from '../../shared/index.ts';
import { NeedsAttentionError } from '../errors.ts';
import { writeJson, type CliIo } from '../output/index.ts';

/**
 * Options and steps every operator command shares (not a command itself: `main.ts` registers the
 * commands, this module only helps them).
 */

/** `--config` and `--json`, as commander parses them. */
export interface CommonOptions {
  /** Config file; `HUB_CONFIG`, else `config/example.yml`. */
  readonly config?: string;
  /** Print one JSON document on stdout instead of tables. */
  readonly json?: boolean;
}

/** Adds `--config FILE` and `--json` to a command. */
export function withCommonOptions(command: Command): Command {
  return command
    .option('-c, --config <file>', 'config file (default: $HUB_CONFIG, else config/example.yml)')
    .option('--json', 'print one JSON document on stdout (for scripts) instead of tables');
}

/** The config file path a command uses, and the validated config in it (throws `ConfigError`, exit 2). */
export function loadCommandConfig(options: CommonOptions, env: NodeJS.ProcessEnv): { path: string; config: HubConfig } {
  const path = options.config ?? configPathFromEnv(env);
  return { path, config: loadConfig(path) };
}

/**
 * Prints a report (JSON or text) and then throws {@link NeedsAttentionError} (exit 1) when
 * `attention` lists anything. The list is part of both outputs, so the error only points at it.
 */
export function finishReport(
  io: CliIo,
  options: CommonOptions,
  report: { readonly attention: readonly string[] },
  text: () => string,
): void {
  if (options.json) writeJson(io.stdout, report);
  else io.stdout.write(text());
  if (report.attention.length > 0) {
    throw new NeedsAttentionError(report.attention, options.json ? 'attention in the JSON report' : 'the list above');
  }
}

/** The "Needs attention" block of a text report, or an all-clear line. */
export function renderAttention(attention: readonly string[], allClear = 'Nothing needs attention.'): string {
  if (attention.length === 0) return `${allClear}\n`;
  return `Needs attention:\n${attention.map((item) => `  - ${item}\n`).join('')}`;
}
