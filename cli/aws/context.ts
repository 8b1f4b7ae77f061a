import { AsyncLocalStorage } from 'node:async_hooks';
import { processIo, type CliIo } from '../output/io.ts';
import type { AwsClients } from './clients.ts';

/**
 * What a command needs from the outside world: AWS clients, streams, the clock and the environment.
 * `main()` runs commands with the real ones; tests run `main([...])` inside {@link withCommandContext}
 * to inject their own (clients pointed at moto, captured streams, a fast sleep), without module mocks
 * and without changing `main()`'s signature.
 */
export interface CommandContext {
  /**
   * The AWS clients. The SDK loads on the first call, so a command that reaches AWS only now and
   * then (`replay` for a secret, `preview` never) starts without loading it.
   */
  awsClients(): Promise<AwsClients>;
  readonly io: CliIo;
  /** Current time. */
  now(): Date;
  /** Waits `ms` milliseconds (polling loops). */
  sleep(ms: number): Promise<void>;
  /** Environment variables (`HUB_CONFIG`). */
  readonly env: NodeJS.ProcessEnv;
}

/** What {@link withCommandContext} may put in place of the real things. */
export interface ContextOverrides extends Partial<Omit<CommandContext, 'awsClients'>> {
  readonly clients?: AwsClients;
}

const storage = new AsyncLocalStorage<ContextOverrides>();

/** The context of the running command: what {@link withCommandContext} injected, real things otherwise. */
export function commandContext(): CommandContext {
  const injected = storage.getStore() ?? {};
  return {
    awsClients: async () => injected.clients ?? defaultClients(),
    io: injected.io ?? processIo(),
    now: injected.now ?? (() => new Date()),
    sleep: injected.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    env: injected.env ?? process.env,
  };
}

/** Runs `fn` (typically `main([...])`) with parts of the context replaced. */
export function withCommandContext<T>(context: ContextOverrides, fn: () => T): T {
  return storage.run(context, fn);
}

let shared: Promise<AwsClients> | undefined;
function defaultClients(): Promise<AwsClients> {
  shared ??= import('./clients.ts').then(({ createClients }) => createClients());
  return shared;
}
