/** Time as the engine sees it; tests and `--at` runs pass their own. */
export interface Clock {
  now(): number;
  /** Today's calendar date (YYYY-MM-DD) in the configured time zone. */
  today(): string;
}

export function systemClock(timeZone: string): Clock {
  // en-CA formats dates as YYYY-MM-DD.
  const format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  return { now: () => Date.now(), today: () => format.format(new Date()) };
}

export function fixedClock(isoDateTime: string, timeZone = 'Europe/Paris'): Clock & { advance(ms: number): void } {
  let now = Date.parse(isoDateTime);
  if (Number.isNaN(now)) throw new RangeError('fixedClock needs an ISO date-time');
  const format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  return {
    now: () => now,
    today: () => format.format(new Date(now)),
    advance: (ms) => void (now += ms),
  };
}
