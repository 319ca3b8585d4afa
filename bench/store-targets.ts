import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '../src/store/ports.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';

/** A store the benchmark can open several instances of (two pumps, two processes), then throw away. */
export interface StoreTarget {
  readonly label: string;
  open(): Promise<Store>;
  dispose(): Promise<void>;
}

/** SQLite in `dir`, or in a temporary folder of its own that dispose removes. */
export function sqliteTarget(dir?: string): StoreTarget {
  const own = dir === undefined;
  const folder = dir ?? mkdtempSync(join(tmpdir(), 'guichet-bench-store-'));
  return {
    label: 'SQLite',
    open: async () => openSqliteStore(folder),
    dispose: async () => {
      if (own) rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** A fresh database on the server of `baseUri`, dropped by dispose. */
export async function mongoTarget(baseUri: string): Promise<StoreTarget> {
  const { default: mongoose } = await import('mongoose');
  const { openMongoStore } = await import('../src/store/mongo/mongo-store.js');
  const url = new URL(baseUri);
  url.pathname = `/guichet_bench_${randomUUID().slice(0, 8)}`;
  const uri = url.toString();
  const connection = await mongoose.createConnection(uri).asPromise();
  const info = await connection.db!.admin().command({ buildInfo: 1 });
  // FerretDB answers buildInfo with the MongoDB version it emulates and its own.
  const label = typeof info['ferretdbVersion'] === 'string' ? `FerretDB ${String(info['ferretdbVersion']).replace(/^v/, '')}` : `MongoDB ${String(info['version'])}`;
  return {
    label,
    open: () => openMongoStore(uri),
    dispose: async () => {
      await connection.db!.dropDatabase();
      await connection.close();
    },
  };
}
