import { afterEach, describe, expect, it, vi } from 'vitest';
import { showLinkInTerminal } from '../../src/channels/whatsapp/baileys-socket.js';

afterEach(() => vi.restoreAllMocks());

describe('the WhatsApp link (QR code or pairing code)', () => {
  it('is drawn on the terminal given, never on stderr where logs go', () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const shown: string[] = [];
    showLinkInTerminal({ qr: '2@abcdefgh,ijkl,mnop' }, (text) => void shown.push(text));
    showLinkInTerminal({ pairingCode: 'ABCD1234' }, (text) => void shown.push(text));
    expect(shown.join('')).toMatch(/Link a device, and scan:/);
    expect(shown.join('')).toMatch(/type: ABCD1234/);
    expect(stderr).not.toHaveBeenCalled();
  });

  it('is not drawn at all when there is no terminal; stderr only says how to link', () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((text) => (written.push(String(text)), true));
    showLinkInTerminal({ pairingCode: 'ABCD1234' }, null);
    showLinkInTerminal({ qr: '2@abcdefgh,ijkl,mnop' }, null);
    expect(written.join('')).not.toContain('ABCD1234');
    expect(written.join('')).not.toContain('2@abcdefgh');
    expect(written.join('')).toMatch(/no terminal to show the link on/);
  });
});
