import { createLogger } from '../../core/log.ts';
import { createMetrics } from '../../core/metrics.ts';
import { defaultSilenceStore, loadBundledConfig, secretsManagerTokenResolver } from '../runtime.ts';
import {
  lambdaHandOff,
  lazyGuardDutyClients,
  signingSecretFrom,
  triageEnvFrom,
  triageHistory,
  triageStore,
} from './runtime.ts';
import { TriageError } from '../../destinations/slack-app/triage/errors.ts';
import { sdkTriageGuardDuty } from '../../destinations/slack-app/triage/guardduty.ts';
import { createTriageHandler, type TriageWiring } from './handler.ts';

/** The real wiring: the bundled config, the state table, Secrets Manager, GuardDuty per region, Lambda self-invocation. */
async function realWiring(): Promise<TriageWiring> {
  const config = await loadBundledConfig();
  if (config.triage === undefined) throw new TriageError('the bundled config has no triage section');
  const env = triageEnvFrom();
  const logger = createLogger();
  const store = await triageStore(env.tableName, logger);
  return {
    config,
    store,
    history: await triageHistory(env.tableName, store),
    signingSecret: signingSecretFrom(config.triage.signingSecret),
    tokens: secretsManagerTokenResolver(config),
    guardduty: sdkTriageGuardDuty(lazyGuardDutyClients(), config.hub.account),
    silences: await defaultSilenceStore(),
    handOff: env.functionName === undefined ? undefined : lambdaHandOff(env.functionName),
    logger,
    metrics: createMetrics(),
  };
}

/** The triage function's handler (`index.triageHandler`). */
export const triageHandler = createTriageHandler(realWiring);
