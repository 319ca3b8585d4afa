import { FLOWS, type FlowRegistry } from '../machines/registry.js';
import type { Config } from './config/config.js';
import { loadDocumentTexts } from './content/load-documents.js';
import type { Clock } from './engine/clock.js';
import { systemClock } from './engine/clock.js';
import { Engine } from './engine/engine.js';
import { Renderer } from './engine/render.js';
import { createTranslator, loadLocaleFiles } from './i18n/translator.js';
import type { Logger } from './log/logger.js';
import type { Outbox } from './messages.js';
import { CONTENT_DIR, LOCALES_DIR } from './paths.js';
import type { Store } from './store/ports.js';

export interface AppParts {
  readonly store: Store;
  readonly outbox: Outbox;
  readonly logger: Logger;
  readonly config: Pick<Config, 'timeZone'>;
  readonly clock?: Clock;
  readonly flows?: FlowRegistry;
  readonly localesDir?: string;
  readonly contentDir?: string;
}

/** Loads and checks locales and content, then wires the engine. Shared by main, tests and the benchmark. */
export function createEngine(parts: AppParts): { engine: Engine; renderer: Renderer } {
  const translator = createTranslator(
    loadLocaleFiles(parts.localesDir ?? LOCALES_DIR),
    loadDocumentTexts(parts.contentDir ?? CONTENT_DIR),
  );
  const renderer = new Renderer(translator);
  const engine = new Engine({
    store: parts.store,
    flows: parts.flows ?? FLOWS,
    renderer,
    outbox: parts.outbox,
    clock: parts.clock ?? systemClock(parts.config.timeZone),
    logger: parts.logger,
  });
  return { engine, renderer };
}
