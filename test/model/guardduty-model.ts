import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';

/**
 * The GuardDuty API model as botocore ships it (`botocore/data/guardduty/2017-11-28/service-2.json[.gz]`),
 * read from the test Python environment (`.cache/moto-venv`). Its member `locationName`s are the wire
 * names of the API, which are exactly the names in the EventBridge `detail` of a finding.
 */

/** One shape of the model (only the parts the generator reads). */
export interface ModelShape {
  readonly type:
    | 'structure'
    | 'list'
    | 'map'
    | 'string'
    | 'integer'
    | 'long'
    | 'double'
    | 'float'
    | 'boolean'
    | 'timestamp'
    | 'blob';
  readonly members?: Readonly<Record<string, { readonly shape: string; readonly locationName?: string }>>;
  readonly member?: { readonly shape: string };
  readonly key?: { readonly shape: string };
  readonly value?: { readonly shape: string };
  readonly enum?: readonly string[];
}

/** One operation of the model (only the parts the tests read). */
export interface ModelOperation {
  readonly name: string;
  /** The operation's description (HTML), as the API reference shows it. */
  readonly documentation?: string;
}

/** The model: operations and shapes by name. */
export interface GuardDutyModel {
  readonly path: string;
  readonly operations: Readonly<Record<string, ModelOperation>>;
  readonly shapes: Readonly<Record<string, ModelShape>>;
}

/** The model could not be found or read; says where it looked and how to get it. */
export class ModelNotFoundError extends Error {
  override readonly name = 'ModelNotFoundError';
}

const VENV = resolve(import.meta.dirname, '../../.cache/moto-venv');

/** Where the model is, or a ModelNotFoundError naming what is missing. */
export function findModelPath(venv = VENV): string {
  const lib = join(venv, 'lib');
  const pythons = existsSync(lib) ? readdirSync(lib).filter((name) => name.startsWith('python3')) : [];
  for (const python of pythons) {
    const dir = join(lib, python, 'site-packages/botocore/data/guardduty');
    const versions = existsSync(dir) ? readdirSync(dir).sort().reverse() : [];
    for (const version of versions) {
      for (const file of ['service-2.json.gz', 'service-2.json']) {
        if (existsSync(join(dir, version, file))) return join(dir, version, file);
      }
    }
  }
  throw new ModelNotFoundError(
    `The GuardDuty API model (botocore/data/guardduty/*/service-2.json[.gz]) is not in ${venv}/lib/python3*/site-packages. ` +
      'The family fixtures are generated from it: build the test Python environment (test/support/moto.sh installs moto and botocore into .cache/moto-venv), then run the tests again.',
  );
}

let cached: GuardDutyModel | undefined;

/** Loads (once) and returns the model; throws ModelNotFoundError when it is absent or unreadable. */
export function loadGuardDutyModel(path?: string): GuardDutyModel {
  if (path === undefined && cached !== undefined) return cached;
  const file = path ?? findModelPath();
  let json: { operations?: Record<string, ModelOperation>; shapes?: Record<string, ModelShape> };
  try {
    const raw = readFileSync(file);
    json = JSON.parse((file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8')) as typeof json;
  } catch (error) {
    throw new ModelNotFoundError(
      `The GuardDuty API model at ${file} cannot be read: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
      },
    );
  }
  if (json.shapes?.Finding === undefined || json.shapes.Resource === undefined) {
    throw new ModelNotFoundError(`${file} is not the GuardDuty API model: it has no Finding or Resource shape`);
  }
  if (json.operations?.CreateDetector === undefined) {
    throw new ModelNotFoundError(`${file} is not the GuardDuty API model: it has no CreateDetector operation`);
  }
  const model = { path: file, operations: json.operations, shapes: json.shapes };
  if (path === undefined) cached = model;
  return model;
}

/** The members of a structure shape as `[wireName, shapeName]`, in model order. */
export function membersOf(model: GuardDutyModel, shapeName: string): [wire: string, shape: string][] {
  const shape = model.shapes[shapeName];
  if (shape?.type !== 'structure') throw new Error(`${shapeName} is not a structure in the GuardDuty model`);
  return Object.entries(shape.members ?? {}).map(([name, member]) => [member.locationName ?? name, member.shape]);
}
