import { firstStopping, type MessageOutcome, type OutgoingMessage } from './outcome.ts';

/**
 * The two loops every message-sending adapter runs the same way: a destination's messages sent one
 * after the other until one of them stops the destination (no time left, or it is gone: the rest share
 * that fate, unsent), and a refused message sent again in smaller or simpler forms until only what is
 * refused in the simplest form fails. What "smaller" means, and what is logged, is the adapter's.
 */

/** A message in one of the forms its adapter renders (`blocks`, `plain`, `card`, …). */
export interface Shaped {
  readonly message: OutgoingMessage;
  readonly form: string;
}

/** What reshaping a refused message asks of its adapter. */
export interface Reshaper<S extends Shaped> {
  /** The next smaller or simpler forms of `shaped`, which together carry its findings once; empty for the simplest. */
  smaller(shaped: S): S[];
  /** The final outcome when even the simplest form is refused (its reason names the form tried). */
  refusedForGood(shaped: S, outcome: Extract<MessageOutcome, { status: 'failed' }>): MessageOutcome;
  /** Told before the smaller forms of a refused message are sent. */
  resending(shaped: S, outcome: Extract<MessageOutcome, { status: 'failed' }>, pieces: readonly S[]): void;
}

/**
 * Sends `items` in order with `send`, one at a time. Once an item's outcomes stop the destination
 * (`firstStopping`), every later item gets that outcome, standing for its own message, and is not sent.
 * Returns one list of outcomes per item, in order.
 */
export async function sendInTurn<T>(
  items: readonly T[],
  send: (item: T) => Promise<MessageOutcome[]>,
  messageOf: (item: T) => OutgoingMessage,
): Promise<MessageOutcome[][]> {
  const outcomes: MessageOutcome[][] = [];
  for (const [index, item] of items.entries()) {
    const got = await send(item);
    outcomes.push(got);
    const stop = firstStopping(got);
    if (stop) {
      for (const rest of items.slice(index + 1)) outcomes.push([{ ...stop, message: messageOf(rest) }]);
      break;
    }
  }
  return outcomes;
}

/**
 * Posts `shaped`; when the destination refuses it (`refused`), posts its smaller forms in turn
 * (recursively), so that only a finding refused even in the simplest form fails, alone. Returns the
 * outcomes, which together cover each of the message's findings exactly once.
 */
export async function sendReshaping<S extends Shaped>(
  shaped: S,
  post: (message: S['message']) => Promise<MessageOutcome>,
  reshaper: Reshaper<S>,
): Promise<MessageOutcome[]> {
  const outcome = await post(shaped.message);
  if (outcome.status !== 'failed' || outcome.failure.class !== 'refused') return [outcome];
  const pieces = reshaper.smaller(shaped);
  if (pieces.length === 0) return [reshaper.refusedForGood(shaped, outcome)];
  reshaper.resending(shaped, outcome, pieces);
  const sent = await sendInTurn(
    pieces,
    (piece) => sendReshaping(piece, post, reshaper),
    (piece) => piece.message,
  );
  return sent.flat();
}

/**
 * Groups `messages` by destination (in order of first appearance), runs `toDestination` for every
 * destination side by side, and returns the outcomes in the order of `messages` (several for a
 * message sent in smaller parts).
 */
export async function byDestination<M extends OutgoingMessage>(
  messages: readonly M[],
  toDestination: (destination: string, queue: readonly M[]) => Promise<MessageOutcome[][]>,
): Promise<MessageOutcome[]> {
  const queues = new Map<string, M[]>();
  for (const message of messages)
    queues.set(message.destination, [...(queues.get(message.destination) ?? []), message]);
  const results = await Promise.all(
    [...queues].map(async ([destination, queue]) => [queue, await toDestination(destination, queue)] as const),
  );
  const outcomesOf = new Map<OutgoingMessage, MessageOutcome[]>();
  for (const [queue, outcomes] of results)
    for (const [i, message] of queue.entries()) outcomesOf.set(message, outcomes[i] ?? []);
  return messages.flatMap((message) => outcomesOf.get(message) ?? []);
}
