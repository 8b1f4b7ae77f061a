import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import type * as z from 'zod';
import { ConfigError, ConfigFileError } from './errors.ts';
import { crossFieldProblems, findPastedWebhooks, formatPath, type ConfigProblem, type PartialConfig } from './rules.ts';
import { withImpliedQuietPrincipals } from '../guard/quiet.ts';
import { configMessage } from './messages.ts';
import {
  ACCOUNT_ID,
  ACCOUNT_KEY_MESSAGE,
  accountSchema,
  configSchema,
  type AccountConfig,
  type HubConfig,
} from './schema.ts';

/** The example config that `synth` uses when `HUB_CONFIG` is unset. */
export const EXAMPLE_CONFIG_PATH = fileURLToPath(new URL('../../config/example.yml', import.meta.url));

/** The config file to use: `HUB_CONFIG` when set, else the embedded example. */
export function configPathFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.HUB_CONFIG?.trim();
  return fromEnv ? fromEnv : EXAMPLE_CONFIG_PATH;
}

/** Reads, parses and validates a config file. Throws `ConfigError` listing every problem. */
export function loadConfig(path: string = configPathFromEnv()): HubConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new ConfigFileError(path, [{ path: '', message: `cannot read the file: ${unreadableReason(cause)}` }], {
      cause,
    });
  }
  return parseConfig(text, path);
}

/** Why a config path cannot be read, in words and with the fix (never a bare `Error: EISDIR`). */
function unreadableReason(cause: unknown): string {
  switch ((cause as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'it is a folder: name the YAML file itself (for example hub.yml in it)';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied: make the file readable by this user';
    default:
      return cause instanceof Error ? cause.message : String(cause);
  }
}

/** Parses and validates config text. `source` names it in errors. */
export function parseConfig(text: string, source = 'config'): HubConfig {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    const problems = document.errors.map((error) => {
      const at = error.linePos?.[0];
      return {
        path: '',
        message: `not valid YAML${at ? ` at line ${at.line}, column ${at.col}` : ''}: ${(error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}`,
      };
    });
    throw new ConfigFileError(source, problems);
  }
  return validateConfig(document.toJS(), source);
}

/**
 * Validates a parsed document against the contract, listing every problem at once. The result adds
 * the hub's own expected principals to `guard.quietPrincipals` (the triage role, with `triage:`).
 */
export function validateConfig(raw: unknown, source = 'config'): HubConfig {
  if (raw === null || raw === undefined) {
    throw new ConfigError(source, [{ path: '', message: 'the file is empty; start from config/example.yml' }]);
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(source, [{ path: '', message: 'must be a mapping of keys (hub, regions, destinations, …)' }]);
  }

  const pasted = findPastedWebhooks(raw);
  const { partial, problems } = parseSections(raw as Record<string, unknown>);
  const all = [
    ...pasted,
    ...problems.filter((p) => !pasted.some((w) => p.path === w.path)),
    ...crossFieldProblems(partial),
  ];
  if (all.length > 0) throw new ConfigError(source, all);
  return withImpliedQuietPrincipals(partial as HubConfig);
}

/** Every parse gives the project's messages for checks without one of their own. */
const PARSE_OPTIONS = { reportInput: true, error: configMessage } as const;

/**
 * Parses each top-level section on its own, so that a broken section does not hide the problems
 * of the others, and cross-field rules can still run on the sections that parsed.
 */
function parseSections(raw: Record<string, unknown>): { partial: PartialConfig; problems: ConfigProblem[] } {
  const shape = configSchema.shape as Record<string, z.ZodType>;
  const partial: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];

  for (const key of Object.keys(raw)) {
    if (!Object.hasOwn(shape, key)) {
      problems.push({ path: key, message: `is not a known key (known: ${Object.keys(shape).join(', ')})` });
    }
  }
  for (const [key, schema] of Object.entries(shape)) {
    if (key === 'accounts' && isMapping(raw.accounts)) {
      const accounts = parseAccounts(raw.accounts);
      partial.accounts = accounts.parsed;
      problems.push(...accounts.problems);
      continue;
    }
    const result = schema.safeParse(raw[key], PARSE_OPTIONS);
    if (result.success) {
      if (result.data !== undefined) partial[key] = result.data;
      continue;
    }
    for (const issue of result.error.issues) problems.push(...toProblems([key], issue));
  }
  return { partial: partial as PartialConfig, problems };
}

const isMapping = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Parses each `accounts` entry on its own: a bad key (not a 12-digit id) or a broken entry does not
 * hide the entry's other problems, nor stop the cross-field rules (destination, regions, email) on
 * the entries that parsed.
 */
function parseAccounts(raw: Record<string, unknown>): {
  parsed: Record<string, AccountConfig>;
  problems: ConfigProblem[];
} {
  const parsed: Record<string, AccountConfig> = {};
  const problems: ConfigProblem[] = [];
  for (const [id, entry] of Object.entries(raw)) {
    if (!ACCOUNT_ID.test(id)) problems.push({ path: formatPath(['accounts', id]), message: ACCOUNT_KEY_MESSAGE });
    const result = accountSchema.safeParse(entry, PARSE_OPTIONS);
    if (result.success) {
      parsed[id] = result.data;
      continue;
    }
    for (const issue of result.error.issues) problems.push(...toProblems(['accounts', id], issue));
    if (isMapping(entry)) parsed[id] = parsableMembers(entry);
  }
  return { parsed, problems };
}

/**
 * The members of a broken `accounts` entry that are valid on their own, for the cross-field rules
 * (an unknown destination is still reported beside a bad email). An email that is present but
 * invalid is kept as written: it has its own problem already, and is not "missing".
 */
function parsableMembers(entry: Record<string, unknown>): AccountConfig {
  const members: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(accountSchema.shape as Record<string, z.ZodType>)) {
    const result = schema.safeParse(entry[key], PARSE_OPTIONS);
    if (result.success && result.data !== undefined) members[key] = result.data;
  }
  if (typeof entry.email === 'string') members.email = entry.email;
  return members as AccountConfig;
}

/** One zod issue as problems, under `prefix` (the section, or `accounts` and an id). */
function toProblems(prefix: readonly string[], issue: z.core.$ZodIssue): ConfigProblem[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: formatPath([...path, key]), message: 'is not a known key' }));
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return [
      { path: formatPath(path), message: issue.message.startsWith('is required') ? issue.message : 'is required' },
    ];
  }
  return [{ path: formatPath(path), message: issue.message }];
}
