import { spawn } from 'node:child_process';
import { PROJECT_ROOT } from '../../src/paths.js';

/**
 * `npm start` as a person would run it, with a script piped to stdin, one
 * message per line. Bidi isolates are removed from stdout so that sentences
 * can be compared with the locale files.
 */
export function npmStart(lines: readonly string[], env: Record<string, string>): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return npmRun(['start', '--silent'], lines, env);
}

/** Any npm script, with `lines` on stdin. */
export function npmRun(args: readonly string[], lines: readonly string[], env: Record<string, string>): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', [...args], {
      cwd: PROJECT_ROOT,
      // The embedded store unless a test names another: MONGODB_URI set for the contract suite
      // (npm run test:mongo) is not meant for these processes' SQLite data folders.
      env: { ...withoutStore(process.env), LOG_LEVEL: 'warn', ADDRESS_API_URL: 'none', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout: stdout.replace(/[\u2066-\u2069]/g, ''), stderr, code }));
    child.stdin.end(lines.map((l) => `${l}\n`).join(''));
  });
}

/** The environment without MONGODB_URI: a child Guichet on the embedded store of its own DATA_DIR. */
export function withoutStore(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { MONGODB_URI: _store, ...rest } = env;
  return rest;
}
