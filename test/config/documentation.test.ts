import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES } from '../../src/config/config.js';
import { PROJECT_ROOT } from '../../src/paths.js';

describe('configuration is documented', () => {
  const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
  const example = readFileSync(join(PROJECT_ROOT, '.env.example'), 'utf8');
  it.each(CONFIG_VARIABLES)('%s is in the README table and in .env.example', (name) => {
    expect(readme).toMatch(new RegExp(`^\\| \`${name}\` \\|`, 'm'));
    expect(example).toMatch(new RegExp(`^${name}=`, 'm'));
  });
  it('the README table names no variable the code does not read', () => {
    const documented = [...readme.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual([...CONFIG_VARIABLES].sort());
  });
});
