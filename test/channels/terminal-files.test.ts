import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createTerminalChannel, TERMINAL_FILES_KEPT_MS } from '../../src/channels/terminal/terminal-channel.js';
import { tempDir } from '../helpers/test-app.js';

let temp: ReturnType<typeof tempDir>;
afterEach(() => temp?.remove());

const open = (user: string, documentsDir: string) =>
  createTerminalChannel({ user, input: new PassThrough(), output: new PassThrough(), interactive: false, documentsDir, maxAttachmentBytes: 1024 });

describe('files the terminal writes', () => {
  it('are removed a day after they were written: proofs and exports sent back in clear do not linger', () => {
    temp = tempDir();
    const dir = join(temp.dir, 'documents', 'amina');
    mkdirSync(dir, { recursive: true });
    const old = join(dir, 'old-export.zip');
    const fresh = join(dir, 'fresh-letter.pdf');
    writeFileSync(old, 'x');
    writeFileSync(fresh, 'y');
    const dayAndMore = (Date.now() - TERMINAL_FILES_KEPT_MS - 60_000) / 1000;
    utimesSync(old, dayAndMore, dayAndMore);
    open('amina', join(temp.dir, 'documents'));
    expect(existsSync(old)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
  });

  it('never writes or erases outside DATA_DIR/documents, whatever the chat user is called', () => {
    temp = tempDir();
    for (const user of ['.', '..', '../x', 'a/../..']) expect(() => open(user, join(temp.dir, 'documents')), user).toThrow(/inside DATA_DIR\/documents/);
  });
});
