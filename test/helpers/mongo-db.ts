import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';

/** The server the MongoDB tests run against (npm run test:mongo sets it), or undefined. */
export const MONGODB_BASE_URI = process.env.MONGODB_URI || undefined;

/** A database of its own on the test server, so that tests never see each other's data. */
export function freshMongoUri(base: string): string {
  const url = new URL(base);
  url.pathname = `/guichet_test_${randomUUID().slice(0, 8)}`;
  return url.toString();
}

/** Runs `fn` on a direct driver connection to the database in `uri`. */
export async function withMongoDb<T>(uri: string, fn: (db: mongoose.mongo.Db) => Promise<T>): Promise<T> {
  const connection = await mongoose.createConnection(uri).asPromise();
  try {
    return await fn(connection.db!);
  } finally {
    await connection.close();
  }
}

export const dropMongoDb = (uri: string): Promise<void> => withMongoDb(uri, async (db) => void (await db.dropDatabase()));

/** Says once, on stderr, which MongoDB tests did not run and how to run them. */
export function noticeMongoSkipped(what: string): void {
  process.stderr.write(`\n  NOTICE: ${what} SKIPPED: MONGODB_URI is not set (npm run test:mongo starts FerretDB; see README, "Testing against MongoDB").\n\n`);
}
