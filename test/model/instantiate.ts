import type { GuardDutyModel } from './guardduty-model.ts';

/**
 * Builds a value for any shape of the GuardDuty model, deterministically: every structure member by
 * its wire name, two entries per list, enum values picked by the seed, strings that say which member
 * they fill and carry the seed (`bucketName-7`), so two seeds never give the same resource.
 */

/** Options of {@link instantiate}. */
export interface InstantiateOptions {
  /** Makes values distinct between findings. */
  readonly seed: number;
  /** Appends Slack control text (`<!channel> & <b>`) to every free-text string, to test escaping. */
  readonly hostile?: boolean;
  /** Structures nested deeper than this are left out (the model has cycles through lists). Default 7. */
  readonly maxDepth?: number;
}

/** The control text a hostile value carries: a mention, a link and each form of emphasis. */
export const HOSTILE_SUFFIX = ' <!channel> & <https://evil.example|click> *bold* _it_ ~strike~ `code`';

/** The time generated timestamps start from. */
const BASE_MS = Date.parse('2026-01-15T10:00:00.000Z');

function hex(seed: number, salt: string, length: number): string {
  let out = '';
  let state = seed * 7919 + [...salt].reduce((sum, char) => sum * 31 + char.charCodeAt(0), 17);
  while (out.length < length) {
    state = (state * 1103515245 + 12345) % 2147483648;
    out += state.toString(16).padStart(8, '0');
  }
  return out.slice(0, length);
}

function stringFor(name: string, options: InstantiateOptions, index: number): string {
  const { seed } = options;
  const lower = name.toLowerCase();
  if (lower.endsWith('arn')) return `arn:aws:guardduty:us-east-1:444444444444:${name}/${name}-${seed}-${index}`;
  if (lower === 'ip' || lower.endsWith('ipaddress') || lower.endsWith('ipaddressv4') || lower === 'publicip')
    return `198.51.${seed % 250}.${index + 1}`;
  if (lower.includes('sha256') || lower === 'hash') return hex(seed, name, 64);
  if (lower === 'accountid' || lower === 'account') return '444444444444';
  if (lower === 'region') return 'us-east-1';
  const text = `${name}-${seed}-${index}`;
  return options.hostile ? `${text}${HOSTILE_SUFFIX}` : text;
}

/** A value of shape `shapeName` for member `name`; undefined when cut by depth or a cycle. */
export function instantiate(
  model: GuardDutyModel,
  shapeName: string,
  name: string,
  options: InstantiateOptions,
  path: readonly string[] = [],
  index = 0,
): unknown {
  const shape = model.shapes[shapeName];
  if (shape === undefined) throw new Error(`shape ${shapeName} is not in the GuardDuty model`);
  const seed = options.seed + index;
  switch (shape.type) {
    case 'structure': {
      if (path.includes(shapeName) || path.length >= (options.maxDepth ?? 7)) return undefined;
      const out: Record<string, unknown> = {};
      for (const [member, spec] of Object.entries(shape.members ?? {})) {
        const wire = spec.locationName ?? member;
        const value = instantiate(model, spec.shape, wire, options, [...path, shapeName], index);
        if (value !== undefined) out[wire] = value;
      }
      return out;
    }
    case 'list': {
      const items = [0, 1].map((i) => instantiate(model, shape.member!.shape, name, options, path, index * 2 + i));
      return items.filter((item) => item !== undefined);
    }
    case 'map':
      return { [`${name}-key-${seed}`]: instantiate(model, shape.value!.shape, name, options, path, index) };
    case 'string':
      return shape.enum !== undefined && shape.enum.length > 0
        ? shape.enum[seed % shape.enum.length]
        : stringFor(name, options, index);
    case 'timestamp':
      return new Date(BASE_MS + (options.seed * 60 + index) * 60_000).toISOString();
    case 'integer':
    case 'long':
      return 1 + ((seed + index) % 5);
    case 'double':
    case 'float':
      return 5;
    case 'boolean':
      return false;
    default:
      return undefined;
  }
}
