import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/paths.js';
import { FakeTelegram } from '../fakes/fake-telegram-server.js';
import { tempDir } from '../helpers/test-app.js';
import { withoutStore } from './npm-start.js';

/**
 * A whole session over Telegram through `npm start`, logging at the most
 * verbose level: language, a call log with a name, a number and a note, a
 * date, a helper's code, a photo as proof, the export. Then the captured
 * logs are searched for everything the person sent and for who they are.
 */
describe('logs hold nothing personal', () => {
  it('after a full session at LOG_LEVEL=trace, no name, number, text, chat id or file content is in the logs', async () => {
    const fake = new FakeTelegram();
    await fake.start();
    const temp = tempDir();
    const child = spawn('npm', ['start', '--silent'], {
      cwd: PROJECT_ROOT,
      env: { ...withoutStore(process.env), TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, DATA_DIR: temp.dir, LOG_FORMAT: 'json', LOG_LEVEL: 'trace', ADDRESS_API_URL: 'none' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let logs = '';
    child.stdout.on('data', (d) => (logs += d));
    child.stderr.on('data', (d) => (logs += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));

    const chatId = 918273645;
    const chat = { id: chatId, type: 'private', first_name: 'Zoubida', username: 'zoubida_k' };
    const from = { id: chatId, is_bot: false, first_name: 'Zoubida', last_name: 'Kaddouri', username: 'zoubida_k', language_code: 'en' };
    let messageId = 1;
    const photo = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, ...new TextEncoder().encode('PHOTO-CONTENT-MARKER-4471'), 0xff, 0xd9]);
    fake.addFile('photo-zk', photo);
    const say = async (text: string) => {
      const before = fake.callsOf('sendMessage').length + fake.callsOf('sendDocument').length;
      fake.push({ message: { message_id: messageId++, date: 1, chat, from, text } });
      await fake.waitFor((calls) => calls.filter((c) => c.method === 'sendMessage' || c.method === 'sendDocument').length > before, 15_000);
    };

    await fake.waitFor((calls) => calls.some((c) => c.method === 'getUpdates'), 15_000);
    const secrets = ['Dupont-Secret', '06 98 76 54 32', 'my private note xyzzy', 'Salle Marguerite 12', 'Tantine Fatou', 'Moussa'];
    for (const text of ['/start', '5', '3', '2', '1', '1', '1', '14:05', '2', '06 98 76 54 32', '1', 'Dupont-Secret', '6', 'my private note xyzzy', 'menu']) await say(text);
    for (const text of ['4', '3', '05/12/2026', '1', '09:30', 'Salle Marguerite 12', 'menu']) await say(text);
    for (const text of ['6', '1', '1', 'Moussa', 'Tantine Fatou', 'menu']) await say(text);
    // A photo as proof.
    const before = fake.callsOf('sendMessage').length;
    fake.push({ message: { message_id: messageId++, date: 1, chat, from, photo: [{ file_id: 'photo-zk', file_unique_id: 'u', width: 10, height: 10, file_size: photo.length }] } });
    await fake.waitFor((calls) => calls.filter((c) => c.method === 'sendMessage').length > before, 15_000);
    await say('7');
    await say('1');
    await say('export');

    const code = /((?:\d\d ){4}\d\d)/.exec(fake.callsOf('sendMessage').map((c) => String(c.payload.text)).join('\n'))?.[1];
    expect(code).toBeDefined();

    process.kill(-child.pid!, 'SIGTERM');
    await exited;
    await fake.stop();
    temp.remove();

    expect(logs).toMatch(/"msg":"guichet stopped"/);
    for (const secret of [...secrets, code!, code!.replaceAll(' ', ''), String(chatId), 'Zoubida', 'Kaddouri', 'zoubida_k', 'PHOTO-CONTENT-MARKER', '14:05', '05/12/2026']) {
      expect(logs, secret).not.toContain(secret);
    }
    // Nor the bot token (a secret from the environment).
    expect(logs).not.toContain(fake.token);
    expect(logs).not.toContain(fake.token.split(':')[1]!);
  }, 120_000);
});
