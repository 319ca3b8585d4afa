import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/paths.js';
import { FakeTelegram } from '../fakes/fake-telegram-server.js';
import { tempDir } from '../helpers/test-app.js';
import { withoutStore } from './npm-start.js';

describe('TELEGRAM_BOT_TOKEN=… npm start', () => {
  it('runs Guichet on Telegram, then stops cleanly on SIGTERM', async () => {
    const fake = new FakeTelegram();
    await fake.start();
    const temp = tempDir();
    const child = spawn('npm', ['start', '--silent'], {
      cwd: PROJECT_ROOT,
      env: { ...withoutStore(process.env), TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, DATA_DIR: temp.dir, LOG_FORMAT: 'json', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so the signal reaches npm and Guichet together, as Ctrl-C or a supervisor would.
      detached: true,
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));

    await fake.waitFor((calls) => calls.some((c) => c.method === 'getUpdates'), 15_000);
    const chat = { id: 77, type: 'private' };
    fake.push({ message: { message_id: 1, date: 1, chat, from: { id: 77, is_bot: false, first_name: 'A', language_code: 'pt' }, text: '/start' } });
    await fake.waitFor((calls) => calls.some((c) => c.method === 'sendMessage'), 15_000);
    expect(String(fake.callsOf('sendMessage')[0]!.payload.text)).toMatch(/^Escolha a sua língua/);

    process.kill(-child.pid!, 'SIGTERM');
    await exited;
    await fake.waitFor(() => /guichet stopped/.test(stderr), 10_000);
    expect(stderr).toMatch(/"msg":"guichet stopped"/);
    // Nothing a person typed or their chat id reaches the logs.
    expect(stderr).not.toMatch(/\/start|"77"/);
    await fake.stop();
    temp.remove();
  });
});
