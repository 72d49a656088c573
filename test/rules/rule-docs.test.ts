import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_RULES } from '../../src/cli/rule-catalog.js';
import { REPO_ROOT } from '../helpers/run-cli.js';

/** Every code in the rule catalogue has a `### \`code\`` entry with Why, Bad and Good on its docs page. */
function section(text: string, code: string): string | undefined {
  const heading = `### \`${code}\``;
  const at = text.split('\n').findIndex((l) => l.trim() === heading);
  if (at < 0) return undefined;
  const rest = text.split('\n').slice(at + 1);
  const end = rest.findIndex((l) => /^#{1,3} /.test(l));
  return rest.slice(0, end < 0 ? undefined : end).join('\n');
}

describe('rule documentation', () => {
  it('has rules', () => expect(ALL_RULES.length).toBeGreaterThan(0));
  it('has unique codes', () => expect(new Set(ALL_RULES.map((r) => r.code)).size).toBe(ALL_RULES.length));
  for (const rule of ALL_RULES) {
    it(`documents ${rule.code}`, () => {
      const page = join(REPO_ROOT, rule.docsPage);
      expect(existsSync(page), `${rule.docsPage} is missing`).toBe(true);
      const body = section(readFileSync(page, 'utf8'), rule.code);
      expect(body, `${rule.docsPage} has no ### \`${rule.code}\` section`).toBeDefined();
      for (const part of ['**Why**', '**Bad**', '**Good**']) expect(body, `${rule.code} lacks ${part}`).toContain(part);
    });
  }
});
