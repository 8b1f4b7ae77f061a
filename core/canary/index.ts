/** The canary's item in the state table: arrivals from the consumer, sends and sightings from the drift check. */
export { dynamoCanaryStore, type DynamoCanaryStoreOptions } from './dynamo-store.ts';
export { memoryCanaryStore } from './memory-store.ts';
export {
  NO_CANARY,
  judgeCanary,
  type CanaryArrival,
  type CanaryCheckFields,
  type CanaryJudgement,
  type CanaryRecord,
  type CanaryStore,
} from './store.ts';
