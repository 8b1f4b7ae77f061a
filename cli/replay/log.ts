import type { ConsumerLogger } from '../../lambdas/consumer/index.ts';
import type { OutputStream } from '../output/index.ts';

const LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
type Level = (typeof LEVELS)[number];

/**
 * The consumer's logs during a replay: JSON lines on `stream` (stderr), at `level` and above, so
 * that stdout carries only the summary.
 */
export function jsonLinesLogger(stream: OutputStream, level: string = 'error'): ConsumerLogger {
  const threshold = LEVELS.indexOf(
    (LEVELS as readonly string[]).includes(level.toLowerCase()) ? (level.toLowerCase() as Level) : 'error',
  );
  const at =
    (name: Exclude<Level, 'silent'>) =>
    (message: string, ...attributes: Record<string, unknown>[]) => {
      if (LEVELS.indexOf(name) < threshold) return;
      stream.write(`${JSON.stringify(Object.assign({ level: name.toUpperCase(), message }, ...attributes))}\n`);
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
