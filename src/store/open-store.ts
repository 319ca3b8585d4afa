import type { Config } from '../config/config.js';
import type { Store } from './ports.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';

/**
 * The embedded SQLite store unless MONGODB_URI is set. Mongoose is loaded only
 * when needed: it is the heaviest import and the terminal chat does not use it.
 */
export async function openStore(config: Pick<Config, 'dataDir' | 'mongodbUri'>): Promise<Store> {
  if (config.mongodbUri) {
    const { openMongoStore } = await import('./mongo/mongo-store.js');
    return openMongoStore(config.mongodbUri);
  }
  return openSqliteStore(config.dataDir);
}
