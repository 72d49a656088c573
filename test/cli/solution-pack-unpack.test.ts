import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packSolution, readZip, writeZip } from '../../src/solution/index.js';
import { runBuiltCli } from '../helpers/run-cli.js';
import { buildTree, FIXTURES } from '../solution/fixtures.js';
import { bytes, tmp, writeTree } from '../solution/helpers.js';

const fixtureFolder = (name = 'connector-with-connection-reference') => writeTree(join(tmp(), 'src'), buildTree(FIXTURES[name]!));

/** A stand-in pac: records its argv and writes a zip at --zipfile (or exits with PAC_EXIT). */
function standInPac(dir: string, name = 'pac'): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  const zip = Buffer.from(packSolution(buildTree(FIXTURES['flow-only']!), { packageType: 'Unmanaged' })).toString('base64');
  writeFileSync(
    path,
    `#!${process.execPath}
const fs = require('node:fs');
const args = process.argv.slice(2);
fs.writeFileSync(${JSON.stringify(join(dir, 'argv.json'))}, JSON.stringify(args));
console.log('Microsoft PowerPlatform CLI (stand-in)');
if (process.env.PAC_EXIT) { console.error('pac failed'); process.exit(Number(process.env.PAC_EXIT)); }
fs.writeFileSync(args[args.indexOf('--zipfile') + 1], Buffer.from(${JSON.stringify(zip)}, 'base64'));
`,
  );
  chmodSync(path, 0o755);
  return path;
}

describe('coe-audit solution pack (built CLI)', () => {
  it('packs a folder, accepts pac camelCase flags case-insensitively, writes X.zip and X_managed.zip for Both', async () => {
    const src = fixtureFolder();
    const out = join(tmp(), 'Audit.zip');
    const r = await runBuiltCli(['solution', 'pack', '--zipFile', out, '--FOLDER', src, '--packageType', 'both', '--timestamp', '2025-01-31T12:00:00Z']);
    expect(r.stderr).toContain('packed with the native packer');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${out}\n${out.replace(/\.zip$/, '_managed.zip')}\n`);
    const managed = readZip(readFileSync(out.replace(/\.zip$/, '_managed.zip')), 'm');
    expect(Buffer.from(managed.find((e) => e.name === 'solution.xml')!.data).toString()).toContain('<Managed>1</Managed>');
    const again = join(dirname(out), 'Again.zip');
    expect((await runBuiltCli(['solution', 'pack', '--zipfile', again, '--folder', src, '--packagetype', 'Unmanaged', '--timestamp', '2025-01-31T12:00:00Z'])).status).toBe(0);
    expect(readFileSync(again).equals(readFileSync(out))).toBe(true);
  });

  it('exits 2 naming file, line and column for malformed XML, and writes nothing', async () => {
    const src = fixtureFolder();
    writeFileSync(join(src, 'Other', 'Customizations.xml'), '<ImportExportXml>\n  <Workflows>\n</ImportExportXml>\n');
    const outDir = tmp();
    const r = await runBuiltCli(['solution', 'pack', '--zipfile', join(outDir, 'x.zip'), '--folder', src]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^coe-audit: error: ${src.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/Other/Customizations\\.xml:3:\\d+: malformed XML: .*\\n$`));
    expect(readdirSync(outDir)).toEqual([]);
  });

  it('exits 2 for a missing Other/Solution.xml, a missing folder and an unwritable target', async () => {
    const src = fixtureFolder();
    const noSolution = writeTree(join(tmp(), 'src'), new Map([...buildTree(FIXTURES['flow-only']!)].filter(([k]) => k !== 'Other/Solution.xml')));
    let r = await runBuiltCli(['solution', 'pack', '--zipfile', join(tmp(), 'x.zip'), '--folder', noSolution]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Other\/Solution\.xml: is missing/);
    r = await runBuiltCli(['solution', 'pack', '--zipfile', join(tmp(), 'x.zip'), '--folder', join(tmp(), 'nope')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/nope: cannot read: ENOENT/);
    const file = join(tmp(), 'file');
    writeFileSync(file, 'keep');
    r = await runBuiltCli(['solution', 'pack', '--zipfile', join(file, 'x.zip'), '--folder', src]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/file\/x\.zip: cannot write \(E\w+\); choose a writable --zipfile location/);
    expect(readFileSync(file, 'utf8')).toBe('keep');
  });

  it('rejects a bad --packagetype, --packer or --timestamp with exit 2', async () => {
    for (const args of [['--packagetype', 'Sideways'], ['--packer', 'msbuild'], ['--timestamp', 'yesterday']]) {
      const r = await runBuiltCli(['solution', 'pack', '--zipfile', 'x.zip', '--folder', '.', ...args]);
      expect(r.status).toBe(2);
    }
  });
});

describe('coe-audit solution pack --packer pac|auto (stand-in pac)', () => {
  it('runs pac from PATH with an argument array of absolute paths and passes its output to stderr', async () => {
    const bin = join(tmp(), 'bin');
    standInPac(bin);
    const src = fixtureFolder();
    const work = tmp();
    const r = await runBuiltCli(['solution', 'pack', '--zipfile', 'out/My Solution.zip', '--folder', src, '--packer', 'pac'], {
      cwd: work,
      env: { PATH: `${bin}:${process.env.PATH}`, POWERPLATFORMTOOLS_PACPATH: '' },
    });
    expect(r.stderr).toContain('Microsoft PowerPlatform CLI (stand-in)');
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`packed with pac (${join(bin, 'pac')})`);
    expect(JSON.parse(readFileSync(join(bin, 'argv.json'), 'utf8'))).toEqual([
      'solution', 'pack', '--zipfile', join(work, 'out', 'My Solution.zip'), '--folder', src, '--packagetype', 'Unmanaged',
    ]);
  });

  it('prefers POWERPLATFORMTOOLS_PACPATH; auto says which packer ran and falls back to native', async () => {
    const preferred = standInPac(join(tmp(), 'tools'));
    const onPath = join(tmp(), 'bin');
    standInPac(onPath);
    const src = fixtureFolder();
    let r = await runBuiltCli(['solution', 'pack', '--zipfile', join(tmp(), 'a.zip'), '--folder', src, '--packer', 'auto'], {
      env: { PATH: `${onPath}:${process.env.PATH}`, POWERPLATFORMTOOLS_PACPATH: preferred },
    });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`packed with pac (${preferred})`);
    expect(existsSync(join(onPath, 'argv.json'))).toBe(false);
    const out = join(tmp(), 'b.zip');
    r = await runBuiltCli(['solution', 'pack', '--zipfile', out, '--folder', src, '--packer', 'auto'], { env: { PATH: tmp(), POWERPLATFORMTOOLS_PACPATH: '' } });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('packed with the native packer');
    expect(existsSync(out)).toBe(true);
  });

  it('maps a failing pac to exit 2 and a missing pac to a usage error', async () => {
    const bin = join(tmp(), 'bin');
    standInPac(bin);
    const src = fixtureFolder();
    let r = await runBuiltCli(['solution', 'pack', '--zipfile', join(tmp(), 'a.zip'), '--folder', src, '--packer', 'pac'], {
      env: { PATH: `${bin}:${process.env.PATH}`, POWERPLATFORMTOOLS_PACPATH: '', PAC_EXIT: '3' },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('pac failed');
    expect(r.stderr).toMatch(/pac \(.*\) exited with status 3/);
    r = await runBuiltCli(['solution', 'pack', '--zipfile', join(tmp(), 'a.zip'), '--folder', src, '--packer', 'pac'], { env: { PATH: tmp(), POWERPLATFORMTOOLS_PACPATH: '' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/pac was not found: set POWERPLATFORMTOOLS_PACPATH/);
  });
});

describe('coe-audit solution unpack (built CLI)', () => {
  it('unpacks into the source layout and round-trips (--packagetype Both reads <zip>_managed.zip beside it)', async () => {
    const tree = buildTree(FIXTURES['connector-with-connection-reference']!);
    const dir = tmp();
    const zip = join(dir, 'in.zip');
    writeFileSync(zip, packSolution(tree, { packageType: 'Unmanaged' }));
    writeFileSync(join(dir, 'in_managed.zip'), packSolution(tree, { packageType: 'Managed' }));
    const dst = join(tmp(), 'dst');
    const r = await runBuiltCli(['solution', 'unpack', '--zipFile', zip, '--Folder', dst, '--packageType', 'both']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${dst}\n`);
    for (const [rel, data] of tree) expect(readFileSync(join(dst, rel)).equals(Buffer.from(data)), rel).toBe(true);
    // pac's default is Unmanaged: <Managed>0</Managed>.
    const dst2 = join(tmp(), 'dst');
    expect((await runBuiltCli(['solution', 'unpack', '--zipfile', zip, '--folder', dst2])).status).toBe(0);
    expect(readFileSync(join(dst2, 'Other/Solution.xml'), 'utf8')).toContain('<Managed>0</Managed>');
  });

  it('--allowWrite false writes nothing; --clobber overwrites a read-only file; --allowDelete removes what the zip does not hold', async () => {
    const zip = join(tmp(), 'in.zip');
    writeFileSync(zip, packSolution(buildTree(FIXTURES['flow-only']!), { packageType: 'Unmanaged' }));
    const dst = tmp();
    writeFileSync(join(dst, 'keep.txt'), 'keep');
    let r = await runBuiltCli(['solution', 'unpack', '--zipfile', zip, '--folder', dst, '--allowWrite', 'false']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/--allowWrite false: nothing written \(\d+ files: \d+ to write, 0 unchanged, 0 to delete\)/);
    expect(readdirSync(dst)).toEqual(['keep.txt']);
    r = await runBuiltCli(['solution', 'unpack', '--zipfile', zip, '--folder', dst]);
    expect(r.status).toBe(0);
    const solutionXml = join(dst, 'Other', 'Solution.xml');
    writeFileSync(solutionXml, 'changed');
    chmodSync(solutionXml, 0o444);
    r = await runBuiltCli(['solution', 'unpack', '--zipfile', zip, '--folder', dst]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Other\/Solution\.xml: is read-only; unpack with --clobber/);
    expect(readFileSync(solutionXml, 'utf8')).toBe('changed');
    r = await runBuiltCli(['solution', 'unpack', '--zipfile', zip, '--folder', dst, '--clobber', '--allowDelete', 'true']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/unpacked \d+ files \(1 written, \d+ unchanged, 1 deleted\)/);
    expect(readFileSync(solutionXml, 'utf8')).toContain('<Managed>0</Managed>');
    expect(existsSync(join(dst, 'keep.txt'))).toBe(false);
  });

  it('refuses an unsafe zip with exit 2 and writes nothing', async () => {
    const good = readZip(packSolution(buildTree(FIXTURES['flow-only']!), { packageType: 'Unmanaged' }), 'z');
    const zip = join(tmp(), 'evil.zip');
    writeFileSync(zip, writeZip([...good, { name: 'Workflows/../../escaped.txt', data: bytes('x') }]));
    const parent = tmp();
    const r = await runBuiltCli(['solution', 'unpack', '--zipfile', zip, '--folder', join(parent, 'dst')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/evil\.zip: has an entry "Workflows\/\.\.\/\.\.\/escaped\.txt" with '\.\.' in its path; refusing to unpack it/);
    expect(readdirSync(parent)).toEqual([]);
  });

  it('exits 2 for an unwritable target and leaves nothing behind', async () => {
    const zip = join(tmp(), 'in.zip');
    writeFileSync(zip, packSolution(buildTree(FIXTURES['flow-only']!), { packageType: 'Unmanaged' }));
    const file = join(tmp(), 'file');
    writeFileSync(file, 'keep');
    const r = await runBuiltCli(['solution', 'unpack', '--zipfile', zip, '--folder', join(file, 'dst')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/file\/dst: cannot write \(E\w+\); choose a writable --folder location/);
    expect(readFileSync(file, 'utf8')).toBe('keep');
  });
});
