import { readFileSync } from 'node:fs';
import { awsClients, type AwsClients } from './aws.ts';
import {
  CREATORS,
  META_FIELDS,
  NOT_PROVISIONED,
  predictedAttributes,
  type Arguments,
  type Attributes,
} from './provision-resources.ts';

/**
 * Creates in moto what synthesized stacks (`cdk.tf.json`) describe, as `terraform apply` would:
 * in dependency order, with `${type.name.attribute}` references resolved to the created resources'
 * ids and ARNs, and every argument taken from the JSON (the exact `event_pattern` strings, queue
 * settings, redrive policies, targets and roles). Types moto cannot hold, or that the tests emulate
 * (Lambda, its event source mapping), are listed in `skipped` with the reason.
 */

/** A synthesized stack's Terraform JSON (the parts provisioning reads). */
export interface TerraformJson {
  readonly provider?: Readonly<Record<string, readonly Readonly<Record<string, unknown>>[]>>;
  readonly resource?: Readonly<Record<string, Readonly<Record<string, Arguments>>>>;
  readonly output?: Readonly<Record<string, { readonly value: unknown }>>;
}

/** One synthesized stack: its name (`hub`, `region-us-east-1`, …) and its JSON. */
export interface StackDocument {
  readonly name: string;
  readonly json: TerraformJson;
}

/** Reads a stack's `cdk.tf.json`. */
export function readStackDocument(name: string, file: string): StackDocument {
  return { name, json: JSON.parse(readFileSync(file, 'utf8')) as TerraformJson };
}

/** A resource as created (or, when skipped, as predicted). */
export interface ProvisionedResource {
  readonly stack: string;
  /** `aws_sqs_queue.Queues_Queue_E3D8A25A` */
  readonly address: string;
  readonly type: string;
  readonly region: string;
  /** Its Terraform arguments, references resolved. */
  readonly args: Arguments;
  /** `id`, `arn`, `url`, `name`, … */
  readonly attributes: Attributes;
}

/** A resource that was not created, and why. */
export interface SkippedResource {
  readonly stack: string;
  readonly address: string;
  readonly reason: string;
}

/** Thrown when the JSON holds something provisioning cannot create faithfully. */
export class ProvisionError extends Error {
  override readonly name = 'ProvisionError';
}

/** Options of {@link provision}. */
export interface ProvisionOptions {
  /** The moto URL. */
  readonly endpoint: string;
  /** The account the stacks deploy to (`hub.account`); moto acts as it. */
  readonly accountId: string;
  /**
   * Create only these resource types (the rest are skipped), for an endpoint that serves one
   * service, such as local-aws-sqs. Default: every type with a creator.
   */
  readonly types?: readonly string[];
}

const REFERENCE = /\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)\}/g;

/** What {@link provision} created, with lookups for tests. */
export class Provisioned {
  /** Resources created in moto, by `stack:address`. */
  readonly resources = new Map<string, ProvisionedResource>();
  /** Resources not created. */
  readonly skipped: SkippedResource[] = [];
  readonly #predicted = new Map<string, Attributes>();
  readonly #clients = new Map<string, AwsClients>();
  readonly #stacks: readonly StackDocument[];
  readonly #options: ProvisionOptions;

  constructor(stacks: readonly StackDocument[], options: ProvisionOptions) {
    this.#stacks = stacks;
    this.#options = options;
  }

  /** Clients for `region`, acting as the stacks' account. */
  clients(region: string): AwsClients {
    let clients = this.#clients.get(region);
    if (clients === undefined) {
      clients = awsClients(this.#options.endpoint, region, { accountId: this.#options.accountId });
      this.#clients.set(region, clients);
    }
    return clients;
  }

  /** The created resources of one type in one stack (e.g. the hub's `aws_sqs_queue`s). */
  ofType(stack: string, type: string): ProvisionedResource[] {
    return [...this.resources.values()].filter((r) => r.stack === stack && r.type === type);
  }

  /** The one created resource of `type` in `stack` whose `name` argument is `name`. */
  named(stack: string, type: string, name: string): ProvisionedResource {
    const found = this.ofType(stack, type).find((r) => r.args.name === name);
    if (found === undefined) throw new ProvisionError(`no ${type} named ${name} in stack ${stack}`);
    return found;
  }

  /** The arguments of every resource of `type` in `stack`, created or not, references resolved where known. */
  argumentsOf(stack: string, type: string): Arguments[] {
    const json = this.#stack(stack).json;
    return Object.keys(json.resource?.[type] ?? {}).map(
      (name) => this.resolve(stack, json.resource![type]![name]!, true) as Arguments,
    );
  }

  /** The stack's outputs whose values resolve (outputs of skipped resources resolve when predictable). */
  outputs(stack: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, output] of Object.entries(this.#stack(stack).json.output ?? {})) {
      const value = this.resolve(stack, output.value, true);
      if (typeof value === 'string' && !value.includes('${')) out[name] = value;
    }
    return out;
  }

  /** Replaces references in `value` by the attributes they name. `lenient` leaves unknown ones in place. */
  resolve(stack: string, value: unknown, lenient = false): unknown {
    if (typeof value === 'string') {
      return value.replace(REFERENCE, (whole, type: string, name: string, attribute: string) => {
        const address = `${stack}:${type}.${name}`;
        const attributes = this.resources.get(address)?.attributes ?? this.#predicted.get(address);
        const resolved = attributes?.[attribute];
        if (resolved !== undefined) return resolved;
        if (lenient) return whole;
        throw new ProvisionError(
          `${stack}: cannot resolve ${whole} (${attributes === undefined ? 'resource not created' : `no attribute ${attribute}`})`,
        );
      });
    }
    if (Array.isArray(value)) return value.map((item) => this.resolve(stack, item, lenient));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.resolve(stack, item, lenient)]));
    }
    return value;
  }

  /** Closes every client. */
  destroy(): void {
    for (const clients of this.#clients.values()) clients.destroy();
  }

  /** Creates every resource of every stack; stacks in the order given. */
  async apply(): Promise<void> {
    for (const stack of this.#stacks) await this.#applyStack(stack);
  }

  async #applyStack({ name: stack, json }: StackDocument): Promise<void> {
    for (const { type, name, args } of dependencyOrder(stack, json)) {
      const address = `${type}.${name}`;
      const region = regionOf(stack, json, args);
      const requested = this.#options.types === undefined || this.#options.types.includes(type);
      const creator = requested ? CREATORS[type] : undefined;
      if (creator === undefined) {
        const reason = requested
          ? (NOT_PROVISIONED[type] ?? 'no creator in test/support/provision-resources.ts')
          : 'type not requested';
        this.skipped.push({ stack, address, reason });
        const predicted = predictedAttributes(
          type,
          this.resolve(stack, args, true) as Arguments,
          region,
          this.#options.accountId,
        );
        if (predicted !== undefined) this.#predicted.set(`${stack}:${address}`, predicted);
        continue;
      }
      const unknown = Object.keys(args).filter(
        (key) => !creator.fields.includes(key) && !(META_FIELDS as readonly string[]).includes(key),
      );
      if (unknown.length > 0) {
        throw new ProvisionError(
          `${stack}: ${address} sets ${unknown.join(', ')}, which test/support/provision-resources.ts does not create; teach it, or the tests would check less than what is deployed`,
        );
      }
      const resolved = this.resolve(stack, args) as Arguments;
      let attributes: Attributes;
      try {
        attributes = await creator.create(resolved, { aws: this.clients(region), accountId: this.#options.accountId });
      } catch (cause) {
        throw new ProvisionError(`${stack}: creating ${address} in ${region} failed: ${(cause as Error).message}`, {
          cause,
        });
      }
      this.resources.set(`${stack}:${address}`, { stack, address, type, region, args: resolved, attributes });
    }
  }

  #stack(name: string): StackDocument {
    const stack = this.#stacks.find((s) => s.name === name);
    if (stack === undefined)
      throw new ProvisionError(`no stack ${name} (have ${this.#stacks.map((s) => s.name).join(', ')})`);
    return stack;
  }
}

/** Creates in moto what `stacks` describe (in the order given: the hub before the regions). */
export async function provision(stacks: readonly StackDocument[], options: ProvisionOptions): Promise<Provisioned> {
  const provisioned = new Provisioned(stacks, options);
  await provisioned.apply();
  return provisioned;
}

interface PendingResource {
  readonly type: string;
  readonly name: string;
  readonly args: Arguments;
}

/** Resources of one stack with every resource after the ones it references or depends on. */
function dependencyOrder(stack: string, json: TerraformJson): PendingResource[] {
  const all = new Map<string, PendingResource>();
  for (const [type, byName] of Object.entries(json.resource ?? {})) {
    for (const [name, args] of Object.entries(byName)) all.set(`${type}.${name}`, { type, name, args });
  }
  const ordered: PendingResource[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (address: string, path: readonly string[]): void => {
    if (state.get(address) === 'done') return;
    if (state.get(address) === 'visiting')
      throw new ProvisionError(`${stack}: dependency cycle ${[...path, address].join(' → ')}`);
    const resource = all.get(address);
    if (resource === undefined)
      throw new ProvisionError(`${stack}: ${path.at(-1)} references ${address}, which the stack does not define`);
    state.set(address, 'visiting');
    for (const dependency of dependenciesOf(resource.args)) visit(dependency, [...path, address]);
    state.set(address, 'done');
    ordered.push(resource);
  };
  for (const address of all.keys()) visit(address, []);
  return ordered;
}

function dependenciesOf(args: Arguments): Set<string> {
  const found = new Set<string>();
  for (const dependency of (args.depends_on as string[] | undefined) ?? []) found.add(dependency);
  const walk = (value: unknown): void => {
    if (typeof value === 'string') for (const match of value.matchAll(REFERENCE)) found.add(`${match[1]}.${match[2]}`);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object')
      for (const [key, item] of Object.entries(value)) if (key !== 'depends_on') walk(item);
  };
  walk(args);
  return found;
}

/** The region of the provider a resource uses (`provider: "aws.<alias>"`, else the default provider). */
function regionOf(stack: string, json: TerraformJson, args: Arguments): string {
  const providers = json.provider?.aws ?? [];
  const alias = typeof args.provider === 'string' ? args.provider.replace(/^aws\./, '') : undefined;
  const provider = providers.find((p) => (alias === undefined ? p.alias === undefined : p.alias === alias));
  if (typeof provider?.region !== 'string')
    throw new ProvisionError(`${stack}: no AWS provider region${alias ? ` for alias ${alias}` : ''}`);
  return provider.region;
}
