import { EventEmitter } from "node:events";

/**
 * In-process wake-ups after a commit: the database stays the source of truth, and other processes
 * find the same work by polling. Writers call these after their transaction committed.
 */
export interface Signals {
  /** Events were recorded (the SSE stream and `events tail` read the log again). */
  eventsRecorded(): void;
  /** Webhook deliveries were queued or became due (the dispatcher looks now instead of at its next poll). */
  deliveriesQueued(): void;
  /** Operations or subscription timers changed (the processor and scheduler look now). */
  workQueued(): void;
  on(signal: "eventsRecorded" | "deliveriesQueued" | "workQueued", listener: () => void): () => void;
}

export function createSignals(): Signals {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    eventsRecorded: () => emitter.emit("eventsRecorded"),
    deliveriesQueued: () => emitter.emit("deliveriesQueued"),
    workQueued: () => emitter.emit("workQueued"),
    on(signal, listener) {
      emitter.on(signal, listener);
      return () => emitter.off(signal, listener);
    },
  };
}
