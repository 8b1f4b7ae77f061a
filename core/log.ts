import { Logger } from '@aws-lambda-powertools/logger';
import { SERVICE_NAME } from '../shared/telemetry.ts';

/** A Powertools `Logger` for the consumer (service name and level from the Lambda environment when set). */
export function createLogger(env: NodeJS.ProcessEnv = process.env): Logger {
  const level = (env.LOG_LEVEL || 'INFO').toUpperCase();
  const known = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'];
  return new Logger({
    serviceName: env.POWERTOOLS_SERVICE_NAME || SERVICE_NAME,
    logLevel: (known.includes(level) ? level : 'INFO') as 'INFO',
  });
}

/** What the consumer logs through: a Powertools `Logger`, or anything with the same four methods. */
export interface ConsumerLogger {
  debug(message: string, ...attributes: Record<string, unknown>[]): void;
  info(message: string, ...attributes: Record<string, unknown>[]): void;
  warn(message: string, ...attributes: Record<string, unknown>[]): void;
  error(message: string, ...attributes: Record<string, unknown>[]): void;
}

/** A logger that drops everything (replay without `--verbose`, the sandbox, benchmarks). */
export const SILENT_LOGGER: ConsumerLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
