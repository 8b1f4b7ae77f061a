/**
 * Errors of the operator CLI. Each carries the exit code `main()` returns and a message that names
 * the problem and the fix. None ever carries a webhook URL.
 *
 * Exit codes: 0 ok, 1 something needs attention, 2 bad usage, config or input, 130 interrupted (Ctrl-C).
 */

/** The exit codes of `guardduty-hub`. */
export const EXIT = {
  ok: 0,
  attention: 1,
  usage: 2,
  /** Ended by Ctrl-C (SIGINT): 128 + 2, as shells report it. */
  interrupted: 130,
} as const;

/** One of {@link EXIT}'s values. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Base class for every error a command throws on purpose. */
export class CliError extends Error {
  override readonly name: string = 'CliError';
  /** What `main()` returns. */
  readonly exitCode: ExitCode;

  constructor(message: string, exitCode: ExitCode, options?: { cause?: unknown }) {
    super(message, options);
    this.exitCode = exitCode;
  }
}

/** A command ended early by Ctrl-C, after saying what it had done: exit 130. */
export class InterruptedError extends CliError {
  override readonly name = 'InterruptedError';

  constructor(command: string) {
    super(`${command} interrupted (Ctrl-C): the summary printed is what was done until then`, EXIT.interrupted);
  }
}

/** Bad arguments or input (an unknown destination, a value out of range, a malformed URL): exit 2. */
export class UsageError extends CliError {
  override readonly name: string = 'UsageError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, EXIT.usage, options);
  }
}

/** The SDK found no credentials anywhere in its chain: exit 2. */
export class NoCredentialsError extends CliError {
  override readonly name = 'NoCredentialsError';

  constructor(options?: { cause?: unknown }) {
    super('no AWS credentials: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY', EXIT.usage, options);
  }
}

/** A hub resource the command needs (queue, DLQ, secret) does not exist: exit 2. */
export class ResourceMissingError extends CliError {
  override readonly name = 'ResourceMissingError';
  /** The resource's name. */
  readonly resource: string;

  constructor(message: string, resource: string, options?: { cause?: unknown }) {
    super(message, EXIT.usage, options);
    this.resource = resource;
  }
}

/**
 * The command ran and printed its report, and something in it needs attention (DLQ not empty, alarm
 * firing, member not enabled, secret missing, smoke test not seen): exit 1.
 */
export class NeedsAttentionError extends CliError {
  override readonly name = 'NeedsAttentionError';
  /** One line per item, as listed in the report's `attention` field. */
  readonly items: readonly string[];

  /**
   * @param items what needs attention, one line each.
   * @param shownIn where the command already printed the list (`above`, `the JSON's attention field`);
   *   the message then only points there instead of repeating it.
   */
  constructor(items: readonly string[], shownIn?: string) {
    const count = items.length === 1 ? '1 item needs' : `${items.length} items need`;
    const list = shownIn === undefined ? `:\n${items.map((item) => `  - ${item}`).join('\n')}` : ` (see ${shownIn})`;
    super(`${count} attention${list}`, EXIT.attention);
    this.items = items;
  }
}

/** An AWS call failed for a reason the command cannot work around: exit 1. */
export class AwsCallError extends CliError {
  override readonly name = 'AwsCallError';
  /** The API operation, such as `GetQueueAttributes`. */
  readonly operation: string;

  constructor(operation: string, detail: string, options?: { cause?: unknown }) {
    super(`${operation} failed: ${detail}`, EXIT.attention, options);
    this.operation = operation;
  }
}
