export { applySilences, matchesSilence, type Silenced } from './apply.ts';
export { DynamoSilenceStore, type DynamoSilenceStoreOptions } from './dynamo-store.ts';
export { MemorySilenceStore } from './memory-store.ts';
export { SILENCES_REFRESH_MS, silenceSource, type SilenceSource, type SilenceSourceOptions } from './source.ts';
export { RECAP_CLAIM_MS, type KeptSilence, type KeptTally, type SilenceStore } from './store.ts';
export { SilenceStoreError } from './errors.ts';
export { TALLY_KEEP_DAYS, TALLY_WRITE_ATTEMPTS, parseTally } from './dynamo-tally.ts';
export {
  EMPTY_TALLY,
  OTHER_KEY,
  TALLY_LATEST,
  TALLY_MAX_KEYS,
  TALLY_TEXT_CHARS,
  type SilenceTally,
  type TalliedFinding,
  type TallyBatch,
} from './tally-types.ts';
export { addToTally, talliedFinding, tallyBatches, tallyFrom, worseThan } from './tally.ts';
