import { buildFlows, type FlowRegistry } from '../machines/registry.js';
import type { Config } from './config/config.js';
import { loadContent, type Content } from './content/load-content.js';
import { loadDocumentTexts } from './content/load-documents.js';
import { buildFactIndex } from './content/fact-index.js';
import { loadStatements } from './content/load-statements.js';
import { createDocumentMaker } from './documents/make-document.js';
import type { Clock } from './engine/clock.js';
import { systemClock } from './engine/clock.js';
import { Engine, type EngineOptions } from './engine/engine.js';
import { Renderer } from './engine/render.js';
import { createTranslator, loadLocaleFiles } from './i18n/translator.js';
import type { Logger } from './log/logger.js';
import type { Outbox } from './messages.js';
import { CONTENT_DIR, LOCALES_DIR } from './paths.js';
import { AddressApiClient } from './places/address-api-client.js';
import { BundledPlaces } from './places/bundled-places.js';
import { createPlaceDirectory, type PlaceDirectory } from './places/place-directory.js';
import type { Store } from './store/ports.js';
import { ReminderService } from './reminders/reminder-service.js';
import { LinkCodes } from './cases/link-codes.js';
import { makeEvidenceFile } from './documents/evidence-file.js';
import { Vault } from './vault/vault.js';
import { linkCodeSecret } from './vault/vault-key.js';

export interface AppParts {
  readonly store: Store;
  readonly outbox: Outbox;
  readonly logger: Logger;
  readonly config: Pick<Config, 'timeZone'> & Partial<Pick<Config, 'addressApiUrl' | 'addressApiTimeoutMs' | 'maxAttachmentBytes' | 'caseRetentionMonths' | 'vaultQuota'>>;
  /** Per-person flood control (production: Telegram and WhatsApp); none in tests unless given. */
  readonly flood?: EngineOptions['flood'];
  /** The proof vault's key (see vault-key.ts): from VAULT_KEY or DATA_DIR in production, a throwaway one in tests. */
  readonly vaultKey: Buffer;
  readonly clock?: Clock;
  readonly flows?: FlowRegistry;
  readonly places?: PlaceDirectory;
  readonly localesDir?: string;
  readonly contentDir?: string;
  /** The volunteers' helpdesk, when one is configured: its settings, and what a turn asks of it. */
  readonly handoff?: EngineOptions['handoff'];
  readonly helpdesk?: EngineOptions['helpdesk'];
}

/** MAX_ATTACHMENT_MB's default, for engines built without a full config (tests, benchmark). */
const DEFAULT_MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

const DEFAULT_CASE_RETENTION_MONTHS = 24;

/** Bundled open data is large: one copy per process, whoever builds engines. */
const bundledPlaces = new BundledPlaces();

/**
 * Loads and checks locales and content, then wires the engine. Shared by
 * main, tests and the benchmark. A content mistake stops here, at start-up.
 */
export function createEngine(parts: AppParts): { engine: Engine; renderer: Renderer; content: Content; flows: FlowRegistry; vault: Vault; clock: Clock } {
  const contentDir = parts.contentDir ?? CONTENT_DIR;
  const documentTexts = loadDocumentTexts(contentDir);
  const translator = createTranslator(loadLocaleFiles(parts.localesDir ?? LOCALES_DIR), documentTexts);
  const renderer = new Renderer(translator);
  const content = loadContent(contentDir);
  const facts = buildFactIndex(content, loadStatements(contentDir, content));
  const flows = parts.flows ?? buildFlows(content.routes, { helpdesk: parts.handoff !== undefined });
  const api = parts.config.addressApiUrl
    ? new AddressApiClient({ baseUrl: parts.config.addressApiUrl, timeoutMs: parts.config.addressApiTimeoutMs ?? 2000 })
    : undefined;
  const clock = parts.clock ?? systemClock(parts.config.timeZone);
  const reminders = new ReminderService(parts.store, parts.config.timeZone);
  const vault = new Vault(parts.store, parts.vaultKey, parts.config.maxAttachmentBytes ?? DEFAULT_MAX_ATTACHMENT_BYTES, parts.config.vaultQuota);
  const engine = new Engine({
    store: parts.store,
    flows,
    renderer,
    outbox: parts.outbox,
    clock,
    logger: parts.logger,
    places: parts.places ?? createPlaceDirectory(bundledPlaces, api),
    documents: createDocumentMaker(renderer, documentTexts),
    reminders,
    vault,
    links: new LinkCodes(parts.store, linkCodeSecret(parts.vaultKey)),
    evidence: (input) => makeEvidenceFile(renderer, input),
    caseRetentionMonths: parts.config.caseRetentionMonths ?? DEFAULT_CASE_RETENTION_MONTHS,
    facts,
    ...(parts.flood ? { flood: parts.flood } : {}),
    ...(parts.handoff ? { handoff: parts.handoff } : {}),
    ...(parts.helpdesk ? { helpdesk: parts.helpdesk } : {}),
  });
  return { engine, renderer, content, flows, vault, clock };
}
