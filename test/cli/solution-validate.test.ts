import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packSolution, readZip, writeZip } from '../../src/solution/index.js';
import { runBuiltCli } from '../helpers/run-cli.js';
import { buildTree, FIXTURES } from '../solution/fixtures.js';
import { bytes, tmp, writeTree } from '../solution/helpers.js';

describe('coe-audit solution validate (built CLI)', () => {
  it('exits 0 for a good folder and a good zip', async () => {
    const tree = buildTree(FIXTURES['connector-with-connection-reference']!);
    const folder = writeTree(join(tmp(), 'src'), tree);
    let r = await runBuiltCli(['solution', 'validate', folder]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('No findings.\n');
    const zip = join(tmp(), 'ok.zip');
    writeFileSync(zip, packSolution(tree, { packageType: 'Managed' }));
    r = await runBuiltCli(['solution', 'validate', zip, '--format', 'json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });

  it('exits 1 with JSON and SARIF findings for a bad source', async () => {
    const tree = buildTree(FIXTURES['flow-with-env-vars']!);
    const rel = 'environmentvariabledefinitions/coe_ClientSecret/environmentvariabledefinition.xml';
    tree.set(rel, bytes(Buffer.from(tree.get(rel)!).toString().replace('<description', '<defaultvalue>x</defaultvalue>\n  <description')));
    const folder = writeTree(join(tmp(), 'src'), tree);
    let r = await runBuiltCli(['solution', 'validate', folder, '--format', 'json']);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual([
      expect.objectContaining({ code: 'envvar-secret-default', severity: 'error', file: rel, line: 2, column: 3 }),
    ]);
    r = await runBuiltCli(['solution', 'validate', folder, '--format', 'sarif']);
    expect(r.status).toBe(1);
    const sarif = JSON.parse(r.stdout) as { runs: { tool: { driver: { rules: { id: string; helpUri: string }[] } } }[] };
    expect(sarif.runs[0]!.tool.driver.rules[0]!.helpUri).toMatch(/docs\/rules\/envvar\.md#envvar-secret-default$/);
  });

  it('exits 2 for a missing path and an unsafe zip', async () => {
    let r = await runBuiltCli(['solution', 'validate', join(tmp(), 'nope')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/nope: cannot read: ENOENT/);
    const good = readZip(packSolution(buildTree(FIXTURES['flow-only']!), { packageType: 'Unmanaged' }), 'z');
    const zip = join(tmp(), 'evil.zip');
    writeFileSync(zip, writeZip([...good, { name: '/etc/evil', data: bytes('x') }]));
    r = await runBuiltCli(['solution', 'validate', zip]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/absolute path; refusing to unpack it/);
  });
});
