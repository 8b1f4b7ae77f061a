import { EventEmitter } from 'node:events';
import type { InputStream } from '../../cli/output/index.ts';

/**
 * A stand-in for a terminal on stdin: `isTTY`, raw mode, and `keys` typed (one `data` event each)
 * once the reader resumes the stream. Records whether raw mode was on while keys were typed.
 */
export class FakeTerminal extends EventEmitter implements InputStream {
  readonly isTTY = true;
  rawMode = false;
  /** Raw mode at the moment each key was delivered. */
  readonly rawWhileTyping: boolean[] = [];
  readonly #keys: readonly string[];

  constructor(keys: readonly string[]) {
    super();
    this.#keys = keys;
  }

  setRawMode(mode: boolean): this {
    this.rawMode = mode;
    return this;
  }

  resume(): this {
    setImmediate(() => {
      for (const key of this.#keys) {
        this.rawWhileTyping.push(this.rawMode);
        this.emit('data', Buffer.from(key, 'utf8'));
      }
    });
    return this;
  }

  pause(): this {
    return this;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<string> {
    yield* this.#keys;
  }
}
