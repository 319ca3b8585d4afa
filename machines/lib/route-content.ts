/**
 * The shape of a route as content editors write it (content/routes/*.json).
 * Plain types here so machines stay free of I/O and validation libraries; the
 * zod schema in src/content checks the files against the same shape.
 */
export interface RouteLink {
  readonly label: string;
  readonly flow: string;
}

export interface RouteStepContent {
  readonly id: string;
  readonly text: string;
  readonly facts: readonly string[];
  readonly checklist?: readonly string[];
  readonly links?: readonly RouteLink[];
}

export interface RouteContentData {
  readonly id: string;
  readonly name: string;
  /** One line for the triage result: cost, proof to keep, delay. */
  readonly summary?: string;
  readonly steps: readonly RouteStepContent[];
}

export function stepOf(route: RouteContentData, id: string): RouteStepContent {
  const step = route.steps.find((s) => s.id === id);
  if (!step) throw new Error(`route ${route.id} has no step ${id}`);
  return step;
}
