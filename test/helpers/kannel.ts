import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BEARERBOX = '/usr/sbin/bearerbox';
export const SMSBOX = '/usr/sbin/smsbox';
export const FAKESMSC = '/usr/lib/kannel/test/fakesmsc';
export const kannelInstalled = () => [BEARERBOX, SMSBOX, FAKESMSC].every((p) => existsSync(p));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** One SMS as fakesmsc received it from Kannel: its type (text, ucs-2, udh…) and its text, decoded. */
export interface FakePhoneSms {
  readonly from: string;
  readonly to: string;
  readonly text: string;
  /** Part n of m of a concatenated SMS, when it is one. */
  readonly part?: { readonly ref: number; readonly seq: number; readonly total: number };
  readonly ucs2: boolean;
}

const percentBytes = (s: string) => Buffer.from(s.replace(/\+/g, ' ').replace(/%([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');

/** "Got message N: <from to type [udh HEX] (text|data|ucs-2) TEXT>" as fakesmsc prints an SMS it receives. */
export function parseFakesmscLine(line: string): FakePhoneSms | undefined {
  const m = /Got message \d+: <(\S+) (\S+) (.*)>$/.exec(line);
  if (!m) return undefined;
  let rest = m[3]!;
  let part: FakePhoneSms['part'];
  const udh = /^udh (\S+) (.*)$/s.exec(rest);
  if (udh) {
    const h = percentBytes(udh[1]!);
    part = { ref: h[3]!, total: h[4]!, seq: h[5]! };
    rest = udh[2]!;
  }
  const typed = /^(text|data|ucs-2) (.*)$/s.exec(rest);
  if (!typed) return undefined;
  const bytes = percentBytes(typed[2]!);
  // fakesmsc prints the parts of a concatenated SMS as "data" whatever their coding: UCS-2 is told by its
  // high bytes (text here is Latin, Arabic or Bengali: most high bytes are 0x00, 0x06 or 0x09).
  const ucs2 = typed[1] === 'ucs-2' || (typed[1] === 'data' && bytes.length % 2 === 0 && bytes.filter((b, i) => i % 2 === 0 && b < 0x20).length * 2 >= bytes.length / 2);
  const text = ucs2 ? new TextDecoder('utf-16be').decode(bytes) : typed[1] === 'text' ? typed[2]! : bytes.toString('utf8');
  return { from: m[1]!, to: m[2]!, text, ucs2, ...(part ? { part } : {}) };
}

/**
 * A real Kannel (bearerbox and smsbox) with fakesmsc as the SMS centre, in a
 * temporary folder. `phone(from, text)` connects a fakesmsc that sends one SMS
 * to Guichet and collects what Kannel sends back to it.
 */
export async function startKannel(options: { guichetPort: number; secret: string; moRecode?: boolean }) {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-kannel-'));
  const [admin, smsboxPort, smsc, sendsms] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const conf = join(dir, 'kannel.conf');
  writeFileSync(
    conf,
    `group = core
admin-port = ${admin}
admin-password = test-admin
smsbox-port = ${smsboxPort}
box-allow-ip = 127.0.0.1
log-file = "${dir}/bearerbox.log"
log-level = 1
dlr-storage = internal

group = smsc
smsc = fake
smsc-id = fake
port = ${smsc}
connect-allow-ip = 127.0.0.1

group = smsbox
bearerbox-host = 127.0.0.1
sendsms-port = ${sendsms}
mo-recode = ${options.moRecode === false ? 'false' : 'true'}
log-file = "${dir}/smsbox.log"
log-level = 1

group = sendsms-user
username = guichet
password = test-password
max-messages = 10
concatenation = true

group = sms-service
keyword = default
catch-all = true
max-messages = 0
get-url = "http://127.0.0.1:${options.guichetPort}/sms/receive?secret=${options.secret}&id=%I&from=%p&to=%P&text=%b&coding=%c&charset=%C&ts=%t"
`,
  );
  const children: ChildProcess[] = [];
  const start = (bin: string, args: string[]) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    return child;
  };
  let boxes: ChildProcess[] = [];
  const startBoxes = async () => {
    boxes = [start(BEARERBOX, [conf])];
    await waitFor(() => portOpen(admin), 'bearerbox');
    boxes.push(start(SMSBOX, [conf]));
    await waitFor(() => portOpen(sendsms), 'smsbox');
  };
  const stopBoxes = async () => {
    for (const box of boxes.reverse()) {
      box.kill('SIGTERM');
      await new Promise((resolve) => (box.exitCode !== null || box.signalCode !== null ? resolve(null) : box.once('exit', resolve)));
    }
  };
  await startBoxes();

  let phoned = 0;
  /** Sends `text` from `from`, then waits until `expect(received)` holds (or the time runs out) and returns what came back. */
  async function phone(from: string, text: string, expect: (received: FakePhoneSms[]) => boolean, timeoutMs = 15_000, type = 'text'): Promise<FakePhoneSms[]> {
    // bearerbox 1.4.5 stops reading a fake SMS centre that connects for the third time: each SMS sent gets a fresh Kannel.
    if (phoned++ > 0) {
      await stopBoxes();
      await startBoxes();
    }
    const received: FakePhoneSms[] = [];
    const fake = start(FAKESMSC, ['-H', '127.0.0.1', '-r', String(smsc), '-i', '0.5', '-m', '1', `${from} 1234 ${type} ${text}`]);
    let buffer = '';
    let all = '';
    const onData = (chunk: Buffer) => {
      all += chunk.toString('utf8');
      buffer += chunk.toString('utf8');
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        const sms = parseFakesmscLine(line);
        if (sms) received.push(sms);
      }
    };
    fake.stdout!.on('data', onData);
    fake.stderr!.on('data', onData);
    try {
      await waitFor(async () => expect(received), 'the expected SMS', timeoutMs).catch((e) => { if (process.env.KANNEL_DEBUG) console.log(all, received, readFileSync(join(dir, 'smsbox.log'), 'utf8').slice(-3000), readFileSync(join(dir, 'bearerbox.log'), 'utf8').slice(-3000)); throw e; });
    } finally {
      fake.kill('SIGKILL');
      await new Promise((resolve) => (fake.exitCode !== null ? resolve(null) : fake.once('exit', resolve)));
    }
    return received;
  }

  return {
    sendsmsUrl: `http://127.0.0.1:${sendsms}/cgi-bin/sendsms`,
    username: 'guichet',
    password: 'test-password',
    phone,
    async stop() {
      for (const child of children) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function portOpen(port: number): Promise<boolean> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The SMS a phone shows: the parts of each concatenated message put together, in order. */
export function assembled(received: readonly FakePhoneSms[]): string[] {
  const out: string[] = [];
  const groups = new Map<number, FakePhoneSms[]>();
  for (const sms of received) {
    if (!sms.part) {
      out.push(sms.text);
      continue;
    }
    const group = groups.get(sms.part.ref) ?? [];
    group.push(sms);
    groups.set(sms.part.ref, group);
    if (group.length === sms.part.total) out.push(group.sort((a, b) => a.part!.seq - b.part!.seq).map((p) => p.text).join(''));
  }
  return out;
}
