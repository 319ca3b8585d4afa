import { loadContent } from './content/load-content.js';
import type { Fact } from './content/content-schema.js';
import { ContentError } from './errors.js';
import { CONTENT_DIR } from './paths.js';

/**
 * `npm run facts [-- --at YYYY-MM-DD]`: the facts of the ledger whose
 * `reviewBy` date is before that day (default: today in Paris), with their
 * sources, so that a content editor knows what to check again. Information
 * only: it exits 0 whether or not facts are due, and 1 only when the ledger
 * itself is malformed.
 */

const USAGE = 'usage: npm run facts [-- --at YYYY-MM-DD]';

function parisToday(): string {
  // en-CA formats a date as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

function parseAt(argv: readonly string[]): string | undefined {
  const index = argv.indexOf('--at');
  if (index < 0) return parisToday();
  const value = argv[index + 1] ?? '';
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
  return valid ? value : undefined;
}

function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  return rows.map((row) => row.map((cell, col) => (col === row.length - 1 ? cell : cell.padEnd(widths[col]!))).join('  '));
}

function reviewReport(facts: readonly Fact[], at: string): string {
  const byDate = [...facts].sort((a, b) => a.reviewBy.localeCompare(b.reviewBy) || a.id.localeCompare(b.id));
  const due = byDate.filter((f) => f.reviewBy < at);
  if (due.length === 0) {
    const next = byDate.filter((f) => f.reviewBy === byDate[0]?.reviewBy);
    const which = next.length > 1 ? `${next[0]!.id} and ${next.length - 1} more` : (next[0]?.id ?? '');
    return `No fact is due for review on ${at}: ${facts.length} facts in the ledger, next review on ${next[0]?.reviewBy ?? '(none)'} (${which}).\n`;
  }
  const lines = [`${due.length} of ${facts.length} facts are due for review on ${at} (reviewBy before that day):`, ''];
  const rows = table([['ID', 'STATUS', 'CHECKED', 'REVIEW BY'], ...due.map((f) => [f.id, f.status, f.checked, f.reviewBy])]);
  lines.push(rows[0]!);
  due.forEach((fact, i) => {
    lines.push(rows[i + 1]!);
    if (fact.sources.length === 0) lines.push('    (no source: find one)');
    for (const source of fact.sources) lines.push(`    - ${source.label}: ${source.url}`);
  });
  return `${lines.join('\n')}\n`;
}

function main(): number {
  const at = parseAt(process.argv.slice(2));
  if (!at) {
    process.stderr.write(`--at: expected a calendar date YYYY-MM-DD\n${USAGE}\n`);
    return 2;
  }
  let facts: Fact[];
  try {
    facts = [...loadContent(CONTENT_DIR).facts.values()];
  } catch (error) {
    process.stderr.write(`${error instanceof ContentError ? error.message : String(error)}\n`);
    return 1;
  }
  process.stdout.write(reviewReport(facts, at));
  return 0;
}

process.exitCode = main();
