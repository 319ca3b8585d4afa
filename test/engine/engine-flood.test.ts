import { afterEach, describe, expect, it } from 'vitest';
import { FloodControl } from '../../src/engine/flood-control.js';
import { asText, createTestApp } from '../helpers/test-app.js';

type App = ReturnType<typeof createTestApp>;
let app: App;
afterEach(async () => app?.close());

/** A flood control on a fake clock: waiting moves the clock instead of taking time. */
function fakeFlood() {
  let now = 0;
  const control = new FloodControl({ burst: 8, perSecond: 1, maxQueued: 30 }, () => now, async (ms) => void (now += ms));
  return { control, elapsed: () => now, advance: (ms: number) => void (now += ms) };
}

function repliesTo(address: string) {
  return app.outbox.sent.filter((s) => s.to.address === address).flatMap((s) => s.messages.map(asText));
}

describe('flood control', () => {
  it('slows a burst far above human speed, answers every accepted message in order, and refuses the excess once, politely', async () => {
    const flood = fakeFlood();
    app = createTestApp({ flood: { control: flood.control, channels: ['telegram'] } });
    const send = (text: string, id: string) => app.engine.handle({ channel: 'telegram', address: 'fast', messageId: id, kind: 'text', text });
    await app.engine.handle({ channel: 'telegram', address: 'fast', messageId: 'open', kind: 'open' });
    await send('5', 'lang'); // English
    flood.advance(60_000);

    // 40 messages at once, alternating "help" and "privacy", as a script or a stuck key would send them.
    const before = repliesTo('fast').length;
    await Promise.all(Array.from({ length: 40 }, (_, i) => send(i % 2 === 0 ? 'help' : 'privacy', `burst-${i}`)));
    const replies = repliesTo('fast').slice(before);
    expect(replies.filter((r) => /sending messages very fast/.test(r))).toHaveLength(1);
    expect(replies.filter((r) => /too many messages at once/.test(r))).toHaveLength(1);
    // The first 30 were accepted and each answered, in the order sent; the last 10 were refused.
    const answers = replies.flatMap((r) => (r.startsWith('How to answer:') ? ['help'] : r.startsWith('What I keep about you:') ? ['privacy'] : []));
    expect(answers).toEqual(Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? 'help' : 'privacy')));
    // After the burst of 8, one a second: the 22 others waited about 22 seconds in all.
    expect(flood.elapsed() - 60_000).toBeGreaterThanOrEqual(21_000);
    expect(flood.elapsed() - 60_000).toBeLessThanOrEqual(23_000);
    // Calm again: forgotten, and a new message goes straight through with no notice.
    flood.advance(60_000);
    const calmFrom = repliesTo('fast').length;
    await send('menu', 'calm');
    expect(repliesTo('fast').slice(calmFrom).join('\n')).not.toMatch(/very fast|too many/);
    flood.advance(10_000);
    flood.control.sweep();
    expect(flood.control.tracked).toBe(0);
  });

  it('leaves other people and the terminal alone', async () => {
    const flood = fakeFlood();
    app = createTestApp({ flood: { control: flood.control, channels: ['telegram'] } });
    await app.engine.handle({ channel: 'telegram', address: 'flooder', messageId: 'open', kind: 'open' });
    await app.engine.handle({ channel: 'telegram', address: 'flooder', messageId: 'lang', kind: 'text', text: '5' });
    await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => app.engine.handle({ channel: 'telegram', address: 'flooder', messageId: `f${i}`, kind: 'text', text: 'menu' })),
      app.engine.handle({ channel: 'telegram', address: 'calm', messageId: 'c1', kind: 'text', text: 'menu' }),
      ...Array.from({ length: 20 }, (_, i) => app.engine.handle({ channel: 'terminal', address: 'dev', messageId: `t${i}`, kind: 'text', text: 'menu' })),
    ]);
    expect(repliesTo('calm').join('\n')).not.toMatch(/very fast|too many/);
    expect(repliesTo('dev').join('\n')).not.toMatch(/very fast|too many/);
    expect(repliesTo('flooder').join('\n')).toMatch(/very fast/);
  });
});
