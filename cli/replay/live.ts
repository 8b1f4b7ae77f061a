/**
 * What makes a replay stoppable and watchable: the consumer handler's clock and sleep, wrapped.
 *
 * - While the handler sleeps it is waiting on Slack (its rate limit, a `Retry-After`, a backoff):
 *   progress says so.
 * - When the signal aborts (Ctrl-C), the current invocation ends as its deadline would end it: the
 *   handler's clock moves past the invocation's time and its sleeps return at once, so it commits what
 *   Slack accepted, hands back the rest, and returns; no further batch starts. The summary then counts
 *   exactly what was shown.
 */

/** The clock and sleep a replay's handler runs with. */
export interface HandlerClock {
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

/** {@link HandlerClock} that a signal can end, and whether the handler is waiting now. */
export interface LiveClock extends HandlerClock {
  /** True while the handler sleeps (waiting on Slack's rate or a retry). */
  readonly waiting: () => boolean;
  /** A sleep the signal ends too, that is not the handler's (the replay waiting for hidden records). */
  readonly pause: (ms: number) => Promise<void>;
}

/**
 * Wraps `base`. After `signal` aborts, `now()` runs `pastDeadlineMs` ahead (at least one invocation's
 * time, so every deadline the handler holds has passed) and sleeps resolve at once.
 */
export function liveClock(base: HandlerClock, pastDeadlineMs: number, signal?: AbortSignal): LiveClock {
  let sleeping = 0;
  const aborted = () => signal?.aborted === true;
  const pause = async (ms: number): Promise<void> => {
    if (aborted()) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        signal?.removeEventListener('abort', done);
        resolve();
      };
      signal?.addEventListener('abort', done, { once: true });
      void base.sleep(ms).then(done);
    });
  };
  return {
    now: () => base.now() + (aborted() ? pastDeadlineMs : 0),
    waiting: () => sleeping > 0,
    pause,
    sleep: async (ms) => {
      sleeping += 1;
      try {
        await pause(ms);
      } finally {
        sleeping -= 1;
      }
    },
  };
}

/** Calls `tick` every `intervalMs` until the returned function is called. */
export function every(intervalMs: number, tick: () => void): () => void {
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
