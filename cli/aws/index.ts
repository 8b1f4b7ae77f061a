export { createClients, type AwsClients, type ClientOptions, type ServiceOptions } from './clients.ts';
export { firstDetectorId, noDetectorProblem } from './detectors.ts';
export { commandContext, withCommandContext, type CommandContext } from './context.ts';
export { awsErrorName, call, describeAwsError, failed, isMissingCredentials, section, toCliError, type Section } from './errors.ts';
export { QUEUE_COUNTS, findQueue, queueCounts, type QueueCounts, type QueueRef, type QueueRole } from './queues.ts';
