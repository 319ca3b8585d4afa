import type { Place } from '../../machines/lib/intents.js';
import type { AddressApiClient } from './address-api-client.js';
import type { BundledPlaces } from './bundled-places.js';

export interface PlaceDirectory {
  lookup(query: string): Promise<Place | undefined>;
}

/**
 * Postcode (5 digits) or département number (2A, 93, 971) from the bundled
 * open data; a town name through the address service when it is configured,
 * with the bundled list of towns as the fallback.
 */
export function createPlaceDirectory(bundled: BundledPlaces, api?: AddressApiClient): PlaceDirectory {
  return {
    async lookup(query) {
      const text = query.trim();
      const compact = text.replace(/\s+/g, '');
      if (/^\d{5}$/.test(compact)) return bundled.byPostcode(compact);
      if (/^(\d{1,3}|2[AaBb])$/.test(compact)) return bundled.byDepartementCode(compact);
      if (text.length < 2 || text.length > 80 || !/\p{L}/u.test(text)) return undefined;
      if (api) {
        const code = await api.townInseeCode(text);
        const place = code ? bundled.byInseeCode(code) : undefined;
        if (place) return place;
      }
      return bundled.byTownName(text);
    },
  };
}
