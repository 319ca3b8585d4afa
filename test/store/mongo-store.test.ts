import { randomUUID } from 'node:crypto';
import { describe, it } from 'vitest';
import mongoose from 'mongoose';
import { openMongoStore } from '../../src/store/mongo/mongo-store.js';
import { defineStoreContract } from './store-contract.js';

/**
 * Runs the same contract against MongoDB when MONGODB_URI is set (for example
 * `docker compose up mongo` and MONGODB_URI=mongodb://localhost:27017). Each
 * test gets its own database, dropped afterwards.
 */
const baseUri = process.env.MONGODB_URI;

if (baseUri) {
  defineStoreContract('mongodb', async () => {
    const url = new URL(baseUri);
    url.pathname = `/guichet_test_${randomUUID().slice(0, 8)}`;
    const uri = url.toString();
    return {
      open: () => openMongoStore(uri),
      destroy: async () => {
        const connection = await mongoose.createConnection(uri).asPromise();
        await connection.dropDatabase();
        await connection.close();
      },
    };
  });
} else {
  process.stderr.write('\n  NOTICE: MongoDB store contract SKIPPED: MONGODB_URI is not set (see README, "Testing against MongoDB").\n\n');
  describe('store contract: mongodb', () => {
    it.skip('needs MONGODB_URI to run against a real MongoDB server', () => undefined);
  });
}
