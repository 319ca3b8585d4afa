import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { ContentError } from '../errors.js';
import { factsFileSchema, routeSchema, type Fact, type RouteContent } from './content-schema.js';

/** Read a JSON content file and check it; a problem names the file and the field. */
export function readJson<T>(file: string, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ContentError(`${file} is missing or not valid JSON`, { cause: error });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new ContentError(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

export interface Content {
  readonly facts: ReadonlyMap<string, Fact>;
  readonly routes: ReadonlyMap<string, RouteContent>;
}

/** Facts and routes, checked against their schemas and against each other. */
export function loadContent(contentDir: string): Content {
  const facts = new Map<string, Fact>();
  for (const fact of readJson(join(contentDir, 'facts', 'facts.json'), factsFileSchema).facts) {
    if (facts.has(fact.id)) throw new ContentError(`facts.json: fact ${fact.id} appears twice`);
    facts.set(fact.id, fact);
  }
  const routes = new Map<string, RouteContent>();
  const routesDir = join(contentDir, 'routes');
  for (const name of readdirSync(routesDir).filter((n) => n.endsWith('.json')).sort()) {
    const route = readJson(join(routesDir, name), routeSchema);
    if (routes.has(route.id)) throw new ContentError(`${name}: route ${route.id} appears twice`);
    const stepIds = new Set<string>();
    for (const step of route.steps) {
      if (stepIds.has(step.id)) throw new ContentError(`${name}: step ${step.id} appears twice`);
      stepIds.add(step.id);
      for (const id of step.facts) if (!facts.has(id)) throw new ContentError(`${name}: step ${step.id} cites unknown fact ${id}`);
    }
    routes.set(route.id, route);
  }
  return { facts, routes };
}
