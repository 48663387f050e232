/** Time is injected so that lockouts, session expiry, the ACD and reports can be tested on a fake clock. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock for tests that moves only when told to. */
export function createFakeClock(start = Date.UTC(2026, 0, 1, 9, 0, 0)) {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
    set(ms: number) {
      t = ms;
    },
  };
}
export type FakeClock = ReturnType<typeof createFakeClock>;

export const isoNow = (clock: Clock): string => new Date(clock.now()).toISOString();
