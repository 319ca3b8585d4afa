import { buildFlows, type FlowRegistry } from '../../machines/registry.js';
import { loadContent } from '../../src/content/load-content.js';
import { CONTENT_DIR } from '../../src/paths.js';

/** The flows exactly as Guichet builds them at start-up, from the content files. */
export function productionFlows(): FlowRegistry {
  return buildFlows(loadContent(CONTENT_DIR).routes);
}
