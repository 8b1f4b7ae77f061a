import type { InputStream, OutputStream } from '../../output/index.ts';
import { UsageError } from '../../errors.ts';

/** Most characters read from stdin: a webhook URL is about 80; anything much longer is not one. */
export const MAX_INPUT_CHARS = 4096;

/**
 * Reads a secret from stdin: all of it from a pipe or file, or one line typed at a terminal with
 * echo off (raw mode: nothing typed is shown; Enter ends, Ctrl-C or Ctrl-D on an empty line cancel).
 * The prompt goes to `prompt` (stderr).
 */
export async function readSecretInput(stdin: InputStream, prompt: OutputStream, promptText: string): Promise<string> {
  if (isTerminal(stdin)) return readHidden(stdin, prompt, promptText);
  let text = '';
  for await (const chunk of stdin) {
    text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    if (text.length > MAX_INPUT_CHARS)
      throw new UsageError(`stdin holds more than ${MAX_INPUT_CHARS} characters: expected one webhook URL`);
  }
  return text;
}

/** A terminal's stdin: raw mode and data events. */
type TerminalInput = InputStream & Required<Pick<InputStream, 'setRawMode' | 'on' | 'off'>>;

function isTerminal(stdin: InputStream): stdin is TerminalInput {
  return stdin.isTTY === true && stdin.setRawMode !== undefined && stdin.on !== undefined && stdin.off !== undefined;
}

function readHidden(stdin: TerminalInput, prompt: OutputStream, promptText: string): Promise<string> {
  prompt.write(promptText);
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (error?: Error): void => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause?.();
      prompt.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: string | Buffer): void => {
      for (const char of typeof chunk === 'string' ? chunk : chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') {
          finish();
          return;
        }
        if (char === '\u0003' || (char === '\u0004' && typed === '')) {
          finish(new UsageError('cancelled: nothing stored'));
          return;
        }
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else if (typed.length < MAX_INPUT_CHARS) typed += char;
      }
    };
    stdin.setRawMode(true);
    stdin.on('data', onData);
    stdin.resume?.();
  });
}
