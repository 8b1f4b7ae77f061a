export { PEEK_MAX, describeMessage, peekDlq, type PeekOptions, type PeekReport, type PeekedMessage } from './peek.ts';
export { MAX_RATE_PER_SECOND, listMoveTasks, redrive, type MoveTask, type RedriveOptions, type RedriveResult } from './redrive.ts';
export { renderPeek, renderRedrive, renderTasks } from './render.ts';
