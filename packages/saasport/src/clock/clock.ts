/** Where "now" comes from. Real by default; the lifecycle engine adds virtual clocks. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
