import { AsyncLocalStorage } from 'node:async_hooks';
import { processIo, type CliIo } from '../output/io.ts';
import { createClients, type AwsClients } from './clients.ts';

/**
 * What a command needs from the outside world: AWS clients, streams, the clock and the environment.
 * `main()` runs commands with the real ones; tests run `main([...])` inside {@link withCommandContext}
 * to inject their own (clients pointed at moto, captured streams, a fast sleep), without module mocks
 * and without changing `main()`'s signature.
 */
export interface CommandContext {
  readonly clients: AwsClients;
  readonly io: CliIo;
  /** Current time. */
  now(): Date;
  /** Waits `ms` milliseconds (polling loops). */
  sleep(ms: number): Promise<void>;
  /** Environment variables (`HUB_CONFIG`). */
  readonly env: NodeJS.ProcessEnv;
}

const storage = new AsyncLocalStorage<Partial<CommandContext>>();

/** The context of the running command: what {@link withCommandContext} injected, real things otherwise. */
export function commandContext(): CommandContext {
  const injected = storage.getStore() ?? {};
  return {
    clients: injected.clients ?? defaultClients(),
    io: injected.io ?? processIo(),
    now: injected.now ?? (() => new Date()),
    sleep: injected.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    env: injected.env ?? process.env,
  };
}

/** Runs `fn` (typically `main([...])`) with parts of the context replaced. */
export function withCommandContext<T>(context: Partial<CommandContext>, fn: () => T): T {
  return storage.run(context, fn);
}

let shared: AwsClients | undefined;
function defaultClients(): AwsClients {
  shared ??= createClients();
  return shared;
}
