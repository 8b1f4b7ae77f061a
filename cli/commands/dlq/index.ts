export { PEEK_MAX, describeMessage, peekDlq, type PeekOptions, type PeekReport, type PeekedMessage } from './peek.ts';
export {
  MAX_RATE_PER_SECOND,
  listMoveTasks,
  redrive,
  type MoveTask,
  type RedriveOptions,
  type RedriveResult,
} from './redrive.ts';
export { forwardEvents, type ForwardFailure, type ForwardOptions, type ForwardResult } from './forward.ts';
export { renderForward, renderPeek, renderRedrive, renderTasks } from './render.ts';
export {
  EVENTBRIDGE_DLQ_ATTRIBUTES,
  NO_REASON_RECORDED,
  deadLetterCause,
  describeCause,
  type ConsumerDeadLetter,
  type DeadLetterCause,
  type EventBridgeDeadLetter,
  type SqsDeadLetter,
} from './why.ts';
