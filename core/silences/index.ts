export { applySilences, matchesSilence, type Silenced } from './apply.ts';
export { DynamoSilenceStore, type DynamoSilenceStoreOptions } from './dynamo-store.ts';
export { MemorySilenceStore } from './memory-store.ts';
export { SILENCES_REFRESH_MS, silenceSource, type SilenceSource, type SilenceSourceOptions } from './source.ts';
export type { KeptSilence, SilenceStore } from './store.ts';
