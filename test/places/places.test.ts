import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AddressApiClient } from '../../src/places/address-api-client.js';
import { BundledPlaces } from '../../src/places/bundled-places.js';
import { createPlaceDirectory } from '../../src/places/place-directory.js';

const bundled = new BundledPlaces();

describe('bundled open data', () => {
  it.each([
    ['93200', '93', 'Seine-Saint-Denis', 'Bobigny'],
    ['75011', '75', 'Paris', 'Paris'],
    ['13001', '13', 'Bouches-du-Rhône', 'Marseille'],
    ['97200', '972', 'Martinique', 'Fort-de-France'],
  ])('postcode %s → département %s, prefecture in %s', (postcode, code, name, city) => {
    expect(bundled.byPostcode(postcode)).toEqual({ departementCode: code, departementName: name, prefectureCity: city });
  });

  it('knows départements by number, including Corsica and overseas', () => {
    expect(bundled.byDepartementCode('2A')?.prefectureCity).toBe('Ajaccio');
    expect(bundled.byDepartementCode('1')?.departementName).toBe('Ain');
    expect(bundled.byDepartementCode('971')?.departementName).toBe('Guadeloupe');
    expect(bundled.byDepartementCode('99')).toBeUndefined();
  });

  it('finds a town by name, ignoring case and accents', () => {
    expect(bundled.byTownName('bobigny')?.departementCode).toBe('93');
    // Ambiguous names go to the most populated town: Montreuil (93), not Montreuil (62).
    expect(bundled.byTownName('MONTREUIL')?.departementCode).toBe('93');
    expect(bundled.byTownName('Nowhereville')).toBeUndefined();
  });
});

describe('place directory with the national address service', () => {
  let server: Server;
  let baseUrl: string;
  let requests = 0;
  let behaviour: 'ok' | 'slow' | 'error' = 'ok';

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests++;
      const url = new URL(req.url!, 'http://x');
      if (behaviour === 'error') return void res.writeHead(500).end();
      const reply = () => {
        const q = url.searchParams.get('q') ?? '';
        // A town the bundled table would not guess from a misspelling.
        const citycode = q.toLowerCase().startsWith('marseile') ? '13055' : null;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ type: 'FeatureCollection', features: citycode ? [{ properties: { citycode, type: 'municipality' } }] : [] }));
      };
      if (behaviour === 'slow') setTimeout(reply, 1_000);
      else reply();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('uses the service for town names and caches its answers', async () => {
    behaviour = 'ok';
    const directory = createPlaceDirectory(bundled, new AddressApiClient({ baseUrl, timeoutMs: 500 }));
    const before = requests;
    expect((await directory.lookup('Marseile'))?.departementCode).toBe('13');
    expect((await directory.lookup('marseile'))?.departementCode).toBe('13');
    expect(requests - before).toBe(1);
  });

  it('never calls the service for postcodes and département numbers', async () => {
    const directory = createPlaceDirectory(bundled, new AddressApiClient({ baseUrl, timeoutMs: 500 }));
    const before = requests;
    expect((await directory.lookup(' 93 200 '))?.departementCode).toBe('93');
    expect((await directory.lookup('2b'))?.prefectureCity).toBe('Bastia');
    expect(requests).toBe(before);
  });

  it('falls back to the bundled table when the service is slow or failing', async () => {
    for (const mode of ['slow', 'error'] as const) {
      behaviour = mode;
      const directory = createPlaceDirectory(bundled, new AddressApiClient({ baseUrl, timeoutMs: 200 }));
      expect((await directory.lookup('Bobigny'))?.departementCode, mode).toBe('93');
      expect(await directory.lookup('Marseile'), mode).toBeUndefined();
    }
  });

  it('refuses input that cannot be a place without asking anyone', async () => {
    const directory = createPlaceDirectory(bundled, new AddressApiClient({ baseUrl, timeoutMs: 200 }));
    const before = requests;
    expect(await directory.lookup('1234')).toBeUndefined();
    expect(await directory.lookup('!!!')).toBeUndefined();
    expect(await directory.lookup('x'.repeat(200))).toBeUndefined();
    expect(requests).toBe(before);
  });
});
