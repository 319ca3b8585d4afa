import { createRequire } from 'node:module';
import type { Place } from '../../machines/lib/intents.js';
import { matchKey } from '../text/normalize-input.js';

interface Commune {
  code: string;
  nom: string;
  type: string;
  departement?: string;
  codesPostaux?: string[];
  population?: number;
}
interface Departement {
  code: string;
  nom: string;
  chefLieu: string;
}

/**
 * Postcodes, départements and towns from the official open data of the French
 * administrative map (@etalab/decoupage-administratif), loaded on first use
 * (it is 8 MB) and indexed in memory.
 */
export class BundledPlaces {
  private index:
    | { byPostcode: Map<string, string>; byDepartement: Map<string, Place>; byTown: Map<string, string>; byInsee: Map<string, string> }
    | undefined;

  private load() {
    if (this.index) return this.index;
    const require = createRequire(import.meta.url);
    const communes = require('@etalab/decoupage-administratif/data/communes.json') as Commune[];
    const departements = require('@etalab/decoupage-administratif/data/departements.json') as Departement[];
    const current = communes.filter((c) => c.type === 'commune-actuelle' && c.departement);
    const nameOf = new Map(current.map((c) => [c.code, c.nom]));
    const byDepartement = new Map<string, Place>();
    for (const d of departements) {
      byDepartement.set(d.code, { departementCode: d.code, departementName: d.nom, prefectureCity: nameOf.get(d.chefLieu) ?? d.nom });
    }
    // A postcode can span two départements; the more populated side wins.
    const byPostcode = new Map<string, { dep: string; population: number }>();
    const byTown = new Map<string, { dep: string; population: number }>();
    const byInsee = new Map<string, string>();
    for (const c of communes) {
      if (!c.departement || !byDepartement.has(c.departement)) continue;
      byInsee.set(c.code, c.departement);
      const population = c.population ?? 0;
      for (const postcode of c.codesPostaux ?? []) {
        const seen = byPostcode.get(postcode);
        if (!seen || seen.population < population) byPostcode.set(postcode, { dep: c.departement, population });
      }
      if (c.type === 'commune-actuelle') {
        const key = matchKey(c.nom).replace(/[-']/g, ' ');
        const seen = byTown.get(key);
        if (!seen || seen.population < population) byTown.set(key, { dep: c.departement, population });
      }
    }
    this.index = {
      byPostcode: new Map([...byPostcode].map(([k, v]) => [k, v.dep])),
      byDepartement,
      byTown: new Map([...byTown].map(([k, v]) => [k, v.dep])),
      byInsee,
    };
    return this.index;
  }

  byPostcode(postcode: string): Place | undefined {
    const index = this.load();
    const dep = index.byPostcode.get(postcode);
    return dep ? index.byDepartement.get(dep) : undefined;
  }

  /** "93", "2A", "971" — also "1" for "01". */
  byDepartementCode(code: string): Place | undefined {
    const index = this.load();
    const upper = code.toUpperCase();
    return index.byDepartement.get(upper) ?? index.byDepartement.get(upper.padStart(2, '0'));
  }

  /** A town by its official INSEE code (what the address service returns). */
  byInseeCode(code: string): Place | undefined {
    const index = this.load();
    const dep = index.byInsee.get(code);
    return dep ? index.byDepartement.get(dep) : undefined;
  }

  byTownName(name: string): Place | undefined {
    const index = this.load();
    const dep = index.byTown.get(matchKey(name).replace(/[-']/g, ' '));
    return dep ? index.byDepartement.get(dep) : undefined;
  }
}
