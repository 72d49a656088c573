import { cpSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLOUDS } from '../../src/clouds/index.js';
import { buildConnectorVariant, CLIENT_ID_PLACEHOLDER, loadConnectorSource } from '../../src/connector/index.js';
import { UsageError } from '../../src/errors.js';
import { REPO_ROOT } from '../helpers/run-cli.js';
import { SOURCE } from './fixtures.js';
import { makeTempDir } from '../helpers/temp-dir.js';

const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

/** A copy of connector/ to break. */
function copySource(): string {
  const dir = makeTempDir('connector-src');
  temps.push(dir);
  cpSync(join(REPO_ROOT, 'connector'), dir, { recursive: true });
  return dir;
}

function usageError(root: string): UsageError {
  try {
    loadConnectorSource(root);
  } catch (e) {
    if (e instanceof UsageError) return e;
    throw e;
  }
  throw new Error('expected a UsageError');
}

describe('loadConnectorSource: bad input is a UsageError naming file and line:column', () => {
  it('malformed YAML', () => {
    const dir = copySource();
    writeFileSync(join(dir, 'apiDefinition.yaml'), "swagger: '2.0'\ninfo:\n  title: [unclosed\n");
    expect(usageError(dir).message).toMatch(/apiDefinition\.yaml:\d+:\d+: /);
  });
  it('a missing required field', () => {
    const dir = copySource();
    const file = join(dir, 'apiDefinition.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^ {2}title: .*\n/m, ''));
    expect(usageError(dir).message).toMatch(/apiDefinition\.yaml:8:3: missing required field 'info\.title'/);
  });
  it('a file that is not UTF-8', () => {
    const dir = copySource();
    writeFileSync(join(dir, 'apiProperties.yaml'), Buffer.concat([Buffer.from('properties:\n  publisher: caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    expect(usageError(dir).message).toMatch(/apiProperties\.yaml:2:17: is not valid UTF-8/);
  });
  it('an unknown placeholder', () => {
    const dir = copySource();
    const file = join(dir, 'README.md');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\nSee {{managmentHost}}.\n`);
    expect(usageError(dir).message).toMatch(/README\.md:\d+:5: unknown placeholder '\{\{managmentHost\}\}'/);
  });
  it('a missing file', () => {
    const dir = copySource();
    unlinkSync(join(dir, 'icon.png'));
    expect(usageError(dir).message).toMatch(/icon\.png: cannot read: ENOENT/);
  });
});

describe('buildConnectorVariant', () => {
  it('is deterministic', () => {
    for (const cloud of CLOUDS) {
      const a = buildConnectorVariant(SOURCE, cloud).files;
      const b = buildConnectorVariant(loadConnectorSource(), cloud).files;
      expect([...a.keys()]).toEqual([...b.keys()]);
      for (const [k, v] of a) expect(Buffer.from(v).equals(Buffer.from(b.get(k)!)), k).toBe(true);
    }
  });

  it('fills the title with the cloud suffix, within 30 characters', () => {
    const titles = CLOUDS.map((c) => buildConnectorVariant(SOURCE, c).title);
    expect(titles).toEqual(['Office 365 Activity', 'Office 365 Activity (GCC)', 'Office 365 Activity (GCC High)', 'Office 365 Activity (DoD)']);
    for (const t of titles) expect(t.length).toBeLessThanOrEqual(30);
  });

  it('takes the client id and redirect URL from the options, and a dummy id otherwise', () => {
    const id = '11111111-2222-3333-4444-555555555555';
    const v = buildConnectorVariant(SOURCE, CLOUDS[2]!, { clientId: id, redirectUrl: 'https://example.com/redirect' });
    const s = (v.apiProperties.properties.connectionParameters as Record<string, { oAuthSettings?: Record<string, unknown> }>).token!.oAuthSettings!;
    expect(s.clientId).toBe(id);
    expect(s.redirectUrl).toBe('https://example.com/redirect');
    expect(new TextDecoder().decode(v.files.get('README.md'))).not.toMatch(/No Microsoft document confirms/);
    const plain = buildConnectorVariant(SOURCE, CLOUDS[2]!);
    expect(JSON.stringify(plain.apiProperties)).toContain(CLIENT_ID_PLACEHOLDER);
    expect(new TextDecoder().decode(plain.files.get('README.md'))).toMatch(/No Microsoft document confirms/);
  });

  it('variants differ only in the cloud values (connector.md §7 G 54)', () => {
    const normalise = (cloudIndex: number) => {
      const c = CLOUDS[cloudIndex]!;
      const v = buildConnectorVariant(SOURCE, c);
      let text = new TextDecoder().decode(v.files.get('apiDefinition.swagger.json')) + new TextDecoder().decode(v.files.get('apiProperties.json'));
      text = text.split(JSON.stringify(v.title)).join('<title>');
      for (const value of [c.managementAudience, c.managementHost, c.connector.loginUri, c.connector.redirectUrl, c.displayName]) text = text.split(value).join('<cloud>');
      return text;
    };
    for (let i = 1; i < CLOUDS.length; i++) expect(normalise(i)).toBe(normalise(0));
  });

  it('writes no secret and no placeholder', () => {
    for (const cloud of CLOUDS) {
      for (const [name, bytes] of buildConnectorVariant(SOURCE, cloud).files) {
        if (name.endsWith('.png')) continue;
        const text = new TextDecoder().decode(bytes);
        expect(text, name).not.toMatch(/\{\{/);
        expect(text, name).not.toMatch(/"clientSecret"/);
      }
    }
  });
});
