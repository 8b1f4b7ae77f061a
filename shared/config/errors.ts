import type { ConfigProblem } from './rules.ts';

/** Base class for problems with the configuration file. */
export class ConfigError extends Error {
  override readonly name: string = 'ConfigError';
  /** Every problem found, each with its key path. */
  readonly problems: readonly ConfigProblem[];
  /** The file the config came from. */
  readonly source: string;

  constructor(source: string, problems: readonly ConfigProblem[], options?: { cause?: unknown }) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    const lines = problems.map((p) => (p.path === '' ? `  - ${p.message}` : `  - ${p.path}: ${p.message}`));
    super(`Invalid config ${source} (${count}):\n${lines.join('\n')}`, options);
    this.problems = problems;
    this.source = source;
  }
}

/** The config file could not be read or is not YAML. */
export class ConfigFileError extends ConfigError {
  override readonly name = 'ConfigFileError';
}
