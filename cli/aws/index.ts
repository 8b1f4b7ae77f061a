export { createClients, type AwsClients, type ClientOptions, type ServiceOptions } from './clients.ts';
export { firstDetectorId, noDetectorProblem } from './detectors.ts';
export { commandContext, withCommandContext, type CommandContext, type ContextOverrides } from './context.ts';
export {
  awsErrorName,
  call,
  describeAwsError,
  failed,
  isMissingCredentials,
  section,
  toCliError,
  type Section,
} from './errors.ts';
export {
  QUEUE_COUNTS,
  findNamedQueue,
  findQueue,
  queueCounts,
  type QueueCounts,
  type QueueLookup,
  type QueueRef,
  type QueueRole,
} from './queues.ts';
export {
  deadLetterQueueLabel,
  findDeadLetterQueue,
  selectDeadLetterQueues,
  type DeadLetterQueueRef,
  type DeadLetterSelection,
} from './dead-letter-queues.ts';
