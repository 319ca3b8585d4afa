import { buildFlows, type FlowRegistry } from '../../machines/registry.js';
import { loadContent } from '../../src/content/load-content.js';
import { CONTENT_DIR } from '../../src/paths.js';

/** The flows exactly as Guichet builds them at start-up, from the content files (with a helpdesk: its flow and menu entry too). */
export function productionFlows(options: { readonly helpdesk?: boolean } = {}): FlowRegistry {
  return buildFlows(loadContent(CONTENT_DIR).routes, options);
}
