import { describe, expect, it } from 'vitest';
import { ProactivePacer } from '../../src/channels/whatsapp/proactive-pacer.js';

function clock() {
  let now = 0;
  let day = '2026-11-28';
  return {
    now: () => now,
    today: () => day,
    sleep: async (ms: number) => void (now += ms),
    setDay: (d: string) => void (day = d),
  };
}

describe('proactive message pacing', () => {
  it('spaces messages by the interval plus jitter, one at a time', async () => {
    const c = clock();
    const pacer = new ProactivePacer({ minIntervalMs: 1000, jitterMs: 400, dailyCap: 100, ...c, random: () => 0.5 });
    const sentAt: number[] = [];
    await Promise.all([1, 2, 3].map(() => pacer.schedule(async () => void sentAt.push(c.now()))));
    expect(sentAt).toEqual([0, 1200, 2400]);
  });

  it('stops at the daily cap and starts again the next day', async () => {
    const c = clock();
    const pacer = new ProactivePacer({ minIntervalMs: 1000, jitterMs: 0, dailyCap: 2, ...c });
    let sent = 0;
    const results = await Promise.all([1, 2, 3].map(() => pacer.schedule(async () => void sent++)));
    expect(results).toEqual([true, true, false]);
    expect(sent).toBe(2);
    c.setDay('2026-11-29');
    expect(await pacer.schedule(async () => void sent++)).toBe(true);
  });

  it('keeps going after a failed send', async () => {
    const c = clock();
    const pacer = new ProactivePacer({ minIntervalMs: 10, jitterMs: 0, dailyCap: 5, ...c });
    await expect(pacer.schedule(() => Promise.reject(new Error('offline')))).rejects.toThrow('offline');
    expect(await pacer.schedule(async () => undefined)).toBe(true);
  });
});
