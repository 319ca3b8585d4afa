import axios, { type AxiosInstance } from 'axios';

export interface AddressApiOptions {
  /** Base URL of the national address service (Géoplateforme geocoding API). */
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly cacheSize?: number;
}

/**
 * A small client for the national address service, used only to recognise a
 * town typed by name. Answers are cached; a slow or failing service returns
 * undefined so the caller falls back to the bundled table. Only the town name
 * the person typed is sent, nothing else.
 */
export class AddressApiClient {
  private readonly http: AxiosInstance;
  private readonly cache = new Map<string, string | null>();
  private readonly cacheSize: number;

  constructor(options: AddressApiOptions) {
    this.http = axios.create({ baseURL: options.baseUrl, timeout: options.timeoutMs });
    this.cacheSize = options.cacheSize ?? 1000;
  }

  /** The INSEE code of the best-matching town, or undefined. */
  async townInseeCode(name: string): Promise<string | undefined> {
    const key = name.toLowerCase();
    if (this.cache.has(key)) return this.cache.get(key) ?? undefined;
    let code: string | null = null;
    try {
      const response = await this.http.get<{ features?: { properties?: { citycode?: unknown } }[] }>('/search', {
        params: { q: name, type: 'municipality', limit: 1 },
      });
      const found = response.data.features?.[0]?.properties?.citycode;
      code = typeof found === 'string' && /^[0-9AB]{5}$/.test(found) ? found : null;
    } catch {
      // Not cached: the next person may be luckier once the service is back.
      return undefined;
    }
    if (this.cache.size >= this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, code);
    return code ?? undefined;
  }
}
