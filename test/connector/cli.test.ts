import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runBuiltCli } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';

/** End-to-end: the built CLI, as users run it (npm run build first; npm test does). */
let work: string;
let out: string;
const CLOUD_IDS = ['commercial', 'gcc', 'gcchigh', 'dod'];

beforeAll(async () => {
  work = makeTempDir('connector-cli');
  out = join(work, 'out');
  const r = await runBuiltCli(['connector', 'build', '--cloud', 'all', '--output-directory', out], { cwd: work });
  expect(r.stderr).not.toMatch(/error/);
  expect(r.status).toBe(0);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function noStack(stderr: string): void {
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('coe-audit connector build (built CLI)', () => {
  it('writes one paconn folder per cloud and lists them on stdout', () => {
    expect(readdirSync(out).sort()).toEqual([...CLOUD_IDS].sort());
    for (const c of CLOUD_IDS) {
      expect(readdirSync(join(out, c)).sort()).toEqual(['README.md', 'apiDefinition.swagger.json', 'apiProperties.json', 'icon.png', 'settings.json']);
      const text = readFileSync(join(out, c, 'apiDefinition.swagger.json'), 'utf8');
      expect(text.endsWith('}\n')).toBe(true);
      expect(text).not.toMatch(/\r/);
      expect(text.split('\n')[1]).toMatch(/^ {2}"swagger"/);
    }
  });

  it('gives byte-identical files on a second run', async () => {
    const again = join(work, 'again');
    const r = await runBuiltCli(['connector', 'build', '--output-directory', again], { cwd: work });
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(CLOUD_IDS.map((c) => `again/${c}`));
    for (const c of CLOUD_IDS) {
      for (const f of readdirSync(join(out, c))) expect(readFileSync(join(again, c, f)).equals(readFileSync(join(out, c, f))), `${c}/${f}`).toBe(true);
    }
  });

  it('reads the client id from --config', async () => {
    const cfg = join(work, 'cfg.yaml');
    writeFileSync(cfg, 'connector:\n  clientId: 11111111-2222-3333-4444-555555555555\n');
    const r = await runBuiltCli(['connector', 'build', '--cloud', 'UsGov', '--output-directory', join(work, 'cfg-out'), '--config', cfg], { cwd: work });
    expect(r.status).toBe(0);
    expect(readFileSync(join(work, 'cfg-out', 'gcc', 'apiProperties.json'), 'utf8')).toContain('"clientId": "11111111-2222-3333-4444-555555555555"');
  });

  it('exits 2 on an unknown cloud, with one line and no stack', async () => {
    const r = await runBuiltCli(['connector', 'build', '--cloud', 'mars', '--output-directory', join(work, 'mars')], { cwd: work });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Allowed values: commercial, Public/);
    noStack(r.stderr);
    expect(existsSync(join(work, 'mars'))).toBe(false);
  });

  it('exits 2 on malformed source YAML with file:line:column, writing nothing', async () => {
    const src = join(work, 'bad-src');
    cpSync(join(REPO_ROOT, 'connector'), src, { recursive: true });
    writeFileSync(join(src, 'apiProperties.yaml'), 'properties:\n  iconBrandColor: "#2e5e8c\n');
    const target = join(work, 'not-written');
    const r = await runBuiltCli(['connector', 'build', '--source-directory', src, '--output-directory', target], { cwd: work });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^coe-audit: error: .*apiProperties\.yaml:\d+:\d+: /m);
    noStack(r.stderr);
    expect(existsSync(target)).toBe(false);
  });

  it('exits 2 on a source file that is not UTF-8 and on a missing required field, one line per problem', async () => {
    const src = join(work, 'bad-src-2');
    cpSync(join(REPO_ROOT, 'connector'), src, { recursive: true });
    writeFileSync(join(src, 'README.md'), Buffer.from([0x23, 0x20, 0x43, 0x61, 0x66, 0xe9, 0x0a]));
    const def = join(src, 'apiDefinition.yaml');
    writeFileSync(def, readFileSync(def, 'utf8').replace(/^host: .*\n/m, ''));
    const r = await runBuiltCli(['connector', 'build', '--source-directory', src, '--output-directory', join(work, 'not-written-2')], { cwd: work });
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^coe-audit: error: .*README\.md:1:6: is not valid UTF-8/);
    expect(lines[1]).toMatch(/^coe-audit: error: .*apiDefinition\.yaml:\d+:\d+: missing required field 'host'$/);
    expect(existsSync(join(work, 'not-written-2'))).toBe(false);
  });

  it('exits 2 on a malformed config file with line:column', async () => {
    const cfg = join(work, 'bad.yaml');
    writeFileSync(cfg, 'connector:\n  clientSecret: x\n');
    const r = await runBuiltCli(['connector', 'build', '--config', cfg, '--output-directory', join(work, 'x')], { cwd: work });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:2:3: /);
    noStack(r.stderr);
  });

  it('exits 2 on an unwritable output directory, leaving nothing half-written', async () => {
    const blocker = join(work, 'a-file');
    writeFileSync(blocker, 'not a folder');
    const r = await runBuiltCli(['connector', 'build', '--output-directory', join(blocker, 'sub')], { cwd: work });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cannot write \((ENOTDIR|EEXIST)\)/);
    noStack(r.stderr);
    expect(readdirSync(work).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });
});

describe('coe-audit connector validate (built CLI)', () => {
  it('exits 0 on the built folders; json is an array of Diagnostics', async () => {
    const r = await runBuiltCli(['connector', 'validate', ...CLOUD_IDS.map((c) => join('out', c)), '--format', 'json'], { cwd: work });
    expect(r.status).toBe(0);
    const findings = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(findings.map((f) => [f.code, f.file])).toEqual([
      ['cloud-redirect-unverified', 'out/dod/apiProperties.json'],
      ['cloud-redirect-unverified', 'out/gcchigh/apiProperties.json'],
    ]);
    for (const f of findings) expect(Object.keys(f)).toEqual(['code', 'severity', 'path', 'message', 'file']);
  });

  it('exits 1 when a finding reaches --fail-severity', async () => {
    const r = await runBuiltCli(['connector', 'validate', 'out/gcchigh', '--fail-severity', 'info'], { cwd: work });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/1 finding \(0 errors, 0 warnings, 1 info, 0 hints\)/);
  });

  it('exits 1 on a broken folder and prints SARIF that parses', async () => {
    const bad = join(work, 'bad');
    cpSync(join(out, 'commercial'), bad, { recursive: true });
    const file = join(bad, 'apiDefinition.swagger.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"title": "Office 365 Activity"', '"title": "Office 365 Management Activity API"'));
    const r = await runBuiltCli(['connector', 'validate', 'bad', '--format', 'sarif'], { cwd: work });
    expect(r.status).toBe(1);
    const sarif = JSON.parse(r.stdout) as { version: string; runs: { tool: { driver: { rules: { id: string; helpUri: string }[] } }; results: { ruleId: string }[] }[] };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]!.results.map((x) => x.ruleId).sort()).toEqual(['connector-title-length', 'connector-title-words']);
    expect(sarif.runs[0]!.tool.driver.rules[0]!.helpUri).toMatch(/docs\/rules\/connector\.md#connector-title-length$/);
  });

  it('exits 2 on a folder that does not exist', async () => {
    const r = await runBuiltCli(['connector', 'validate', 'nowhere'], { cwd: work });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/nowhere: cannot read: ENOENT \(no such file or folder\)/);
    expect(r.stdout).toBe('');
    noStack(r.stderr);
  });

  it('exits 2 on a bad --format', async () => {
    const r = await runBuiltCli(['connector', 'validate', 'out/gcc', '--format', 'xml'], { cwd: work });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Allowed values: stylish, json, sarif/);
  });
});
