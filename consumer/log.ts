import { Logger } from '@aws-lambda-powertools/logger';
import { SERVICE_NAME } from './metrics.ts';

/** A Powertools `Logger` for the consumer (service name and level from the Lambda environment when set). */
export function createLogger(env: NodeJS.ProcessEnv = process.env): Logger {
  const level = (env.LOG_LEVEL || 'INFO').toUpperCase();
  const known = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'];
  return new Logger({
    serviceName: env.POWERTOOLS_SERVICE_NAME || SERVICE_NAME,
    logLevel: (known.includes(level) ? level : 'INFO') as 'INFO',
  });
}
