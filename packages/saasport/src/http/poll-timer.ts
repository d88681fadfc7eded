/**
 * The timer of a background worker: runs `run` at most `delay` ms after `wake(delay)` (an earlier run
 * already scheduled is kept, so frequent wake-ups never starve it), and again `pollIntervalMs` after
 * each run ends, until stopped. `settled()` resolves once the run in progress, if any, has ended.
 */
export interface PollTimer {
  wake(delay: number): void;
  start(): void;
  stop(): Promise<void>;
}

export function createPollTimer(options: {
  run(): Promise<unknown>;
  pollIntervalMs: number;
  onError(error: unknown): void;
}): PollTimer {
  let timer: NodeJS.Timeout | undefined;
  let scheduledFor = Number.POSITIVE_INFINITY;
  let stopped = true;
  let current: Promise<unknown> = Promise.resolve();

  function wake(delay: number) {
    if (stopped) return;
    const at = Date.now() + delay;
    if (timer && at >= scheduledFor) return;
    clearTimeout(timer);
    scheduledFor = at;
    timer = setTimeout(() => {
      timer = undefined;
      scheduledFor = Number.POSITIVE_INFINITY;
      current = options
        .run()
        .catch(options.onError)
        .finally(() => wake(options.pollIntervalMs));
    }, delay);
    timer.unref();
  }

  return {
    wake,
    start() {
      if (!stopped) return;
      stopped = false;
      wake(0);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      timer = undefined;
      await current;
    },
  };
}
