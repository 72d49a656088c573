import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { managedZipPath, packFolder, packSolution, packSolutions, readSourceTree, readZip, unpackSolution, writeZip, type SourceTree } from '../../src/solution/index.js';
import { buildTree, FIXTURES } from './fixtures.js';
import { bytes, text, tmp, writeTree } from './helpers.js';

const pack = (tree: SourceTree, packageType: 'Unmanaged' | 'Managed' = 'Unmanaged', timestamp?: Date) => packSolution(tree, { packageType, timestamp });
const names = (zip: Uint8Array) => readZip(zip, 'z').map((e) => e.name);
const entry = (zip: Uint8Array, name: string) => text(readZip(zip, 'z').find((e) => e.name === name)?.data);

function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return e as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('packSolution / unpackSolution on our fixtures', () => {
  for (const [name, spec] of Object.entries(FIXTURES)) {
    it(`${name}: unpack(pack(src)) equals src byte for byte`, () => {
      const src = buildTree(spec);
      for (const type of ['Unmanaged', 'Managed'] as const) {
        const back = unpackSolution(pack(src, type));
        expect([...back.keys()].sort()).toEqual([...src.keys()].sort());
        for (const [rel, data] of src) expect(text(back.get(rel)), rel).toBe(text(data));
      }
    });
  }

  it('packSolutions gives the zips packSolution gives for each type, in the order asked', () => {
    for (const spec of Object.values(FIXTURES)) {
      const src = buildTree(spec);
      const timestamp = new Date('2026-01-02T03:04:06Z');
      expect(packSolutions(src, ['Managed', 'Unmanaged'], { timestamp })).toEqual([pack(src, 'Managed', timestamp), pack(src, 'Unmanaged', timestamp)]);
    }
  });

  it('writes the entries in pac order with the derived [Content_Types].xml', () => {
    const zip = pack(buildTree(FIXTURES['connector-with-connection-reference']!));
    expect(names(zip)).toEqual([
      'customizations.xml',
      'solution.xml',
      'Workflows/ListContent-B320508C-D212-F011-998A-6045BD0E2FC6.json',
      'Connector/coe_5Faudit-20api_connectionparameters.json',
      'Connector/coe_5Faudit-20api_iconblob.Png',
      'Connector/coe_5Faudit-20api_openapidefinition.json',
      'Connector/coe_5Faudit-20api_policytemplateinstances.json',
      '[Content_Types].xml',
    ]);
    expect(entry(zip, '[Content_Types].xml')).toBe(
      '\uFEFF<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="xml" ContentType="text/xml" /><Default Extension="json" ContentType="application/octet-stream" />' +
        '<Default Extension="Png" ContentType="application/octet-stream" /></Types>',
    );
    const cust = entry(zip, 'customizations.xml')!;
    expect(cust.startsWith('\uFEFF<?xml version="1.0" encoding="utf-8"?>\n<ImportExportXml')).toBe(true);
    expect(cust).toContain('  <Workflows>\n    <Workflow WorkflowId="{b320508c-d212-f011-998a-6045bd0e2fc6}" Name="ListContent">\n');
    expect(cust).toContain('  <Connectors>\n    <Connector>\n      <connectorid>5c834463-f47d-4959-9c3a-fa07810814e3</connectorid>');
    expect(cust).not.toMatch(/<(Workflow|Connector) [^>]*xmlns:xsi/);
    expect(cust.indexOf('<Connectors>')).toBeLessThan(cust.indexOf('<connectionreferences>'));
  });

  it('orders environment variable folders case-insensitively and overrides their XML type', () => {
    const zip = pack(buildTree(FIXTURES['flow-with-env-vars']!));
    const env = names(zip).filter((n) => n.startsWith('environmentvariabledefinitions/'));
    expect(env).toEqual(['coe_BatchSize', 'coe_ClientSecret', 'coe_SiteURL'].map((s) => `environmentvariabledefinitions/${s}/environmentvariabledefinition.xml`));
    expect(names(zip).at(-1)).toBe('[Content_Types].xml');
    for (const n of env) expect(entry(zip, '[Content_Types].xml')).toContain(`<Override PartName="/${n}" ContentType="application/octet-stream" />`);
  });

  it('sets <Managed> per package type and changes nothing else', () => {
    const src = buildTree(FIXTURES['flow-only']!);
    const un = pack(src, 'Unmanaged');
    const man = pack(src, 'Managed');
    expect(entry(un, 'solution.xml')).toContain('<Managed>0</Managed>');
    expect(entry(man, 'solution.xml')).toContain('<Managed>1</Managed>');
    expect(entry(man, 'solution.xml')!.replace('<Managed>1<', '<Managed>0<')).toBe(entry(un, 'solution.xml'));
    expect(names(un)).toEqual(names(man));
    expect(managedZipPath('out/X.zip')).toBe('out/X_managed.zip');
    expect(managedZipPath('out/X')).toBe('out/X_managed');
  });

  it('is byte-identical for the same input and timestamp, and writes the container as pac on Linux does', () => {
    const src = buildTree(FIXTURES['connector-with-connection-reference']!);
    const t = new Date('2024-05-06T07:08:10Z');
    const a = Buffer.from(pack(src, 'Unmanaged', t));
    expect(a.equals(Buffer.from(pack(src, 'Unmanaged', t)))).toBe(true);
    expect(a.equals(Buffer.from(pack(src, 'Unmanaged', new Date('2024-05-06T07:08:12Z'))))).toBe(false);
    expect(Buffer.from(pack(src)).equals(Buffer.from(pack(src, 'Unmanaged', new Date('1980-01-01T00:00:00Z'))))).toBe(true);
    // Walk the central directory.
    const eocd = a.length - 22;
    let p = a.readUInt32LE(eocd + 16);
    const count = a.readUInt16LE(eocd + 10);
    expect(a.readUInt16LE(eocd + 20)).toBe(0); // no comment
    for (let i = 0; i < count; i++) {
      expect(a.readUInt32LE(p)).toBe(0x02014b50);
      expect(a.readUInt16LE(p + 4)).toBe(0x0314); // made by Unix 2.0
      expect(a.readUInt16LE(p + 6)).toBe(20);
      expect(a.readUInt16LE(p + 8)).toBe(0x0800); // UTF-8 names, no data descriptor
      expect(a.readUInt16LE(p + 10)).toBe(8); // deflate, even for 4-byte files
      expect(a.readUInt16LE(p + 12)).toBe((7 << 11) | (8 << 5) | 5);
      expect(a.readUInt16LE(p + 14)).toBe(((2024 - 1980) << 9) | (5 << 5) | 6);
      expect(a.readUInt32LE(p + 38)).toBe(0); // external attributes
      const nameLen = a.readUInt16LE(p + 28);
      expect(a.readUInt16LE(p + 30)).toBe(0); // no extra field
      expect(a.subarray(p + 46, p + 46 + nameLen).toString().endsWith('/')).toBe(false);
      p += 46 + nameLen;
    }
  });

  it('accepts the older form with <Workflow> inline in Customizations.xml', () => {
    const src = buildTree(FIXTURES['flow-only']!);
    const dataName = [...src.keys()].find((k) => k.endsWith('.data.xml'))!;
    const workflow = text(src.get(dataName))!.replace(/^\uFEFF<\?xml[^>]*>\n/, '').replace(/ xmlns:xsi="[^"]*"/, '');
    src.delete(dataName);
    src.set('Other/Customizations.xml', bytes(text(src.get('Other/Customizations.xml'))!.replace('<Workflows />', `<Workflows>${workflow}</Workflows>`)));
    const zip = pack(src);
    expect(entry(zip, 'customizations.xml')).toContain('<JsonFileName>/Workflows/ReplyToRequest-');
    expect(unpackSolution(zip).has(dataName)).toBe(true);
  });
});

describe('packSolution refuses bad sources with the file and place', () => {
  const base = () => buildTree(FIXTURES['connector-with-connection-reference']!);

  it('malformed XML: file:line:column', () => {
    const src = base();
    src.set('Other/Customizations.xml', bytes('<ImportExportXml>\n  <Entities>\n</ImportExportXml>'));
    const e = usageError(() => packSolution(src, { packageType: 'Unmanaged', origin: 'src' }));
    expect(e.message).toMatch(/^src\/Other\/Customizations\.xml:3:\d+: malformed XML: /);
  });

  it('a DOCTYPE (entity expansion) is refused', () => {
    const src = base();
    src.set('Other/Customizations.xml', bytes('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>\n<ImportExportXml>&a;</ImportExportXml>'));
    expect(usageError(() => pack(src)).message).toMatch(/^Other\/Customizations\.xml:2:\d+: malformed XML: a DOCTYPE is not allowed/);
  });

  it('missing Other/Solution.xml', () => {
    const src = base();
    src.delete('Other/Solution.xml');
    expect(usageError(() => pack(src)).message).toMatch(/^Other\/Solution\.xml: is missing/);
  });

  it('a Workflow whose JSON file is missing', () => {
    const src = base();
    src.delete([...src.keys()].find((k) => k.endsWith('.json') && k.startsWith('Workflows/'))!);
    expect(usageError(() => pack(src)).message).toMatch(/^Workflows\/ListContent-.*\.json\.data\.xml:3:3: JsonFileName names "\/Workflows\/ListContent-.*\.json", which is not in the folder/);
  });

  it('a connector name over 30 characters (pac would silently drop it)', () => {
    const src = buildTree({ uniqueName: 'Long', connector: { name: 'coe_5Fa-20very-20long-20connector-20name', id: '00000000-0000-0000-0000-000000000001', displayName: 'x' } });
    expect(usageError(() => pack(src)).message).toMatch(/^Connectors\/coe_5Fa-20very-20long-20connector-20name\.xml:7:3: connector name '.*' is 40 characters; pac drops/);
  });

  it('a connector file that is missing', () => {
    const src = base();
    src.delete('Connectors/coe_5Faudit-20api_iconblob.Png');
    expect(usageError(() => pack(src)).message).toMatch(/<iconblob> names \/Connector\/coe_5Faudit-20api_iconblob\.Png, but Connectors\/.* is not in the folder/);
  });

  it('components the native packer cannot merge are refused by name, pointing at --packer pac', () => {
    for (const [rel, kind] of <[string, string][]>[
      ['PluginAssemblies/Contoso-1A2B/Contoso.dll.data.xml', 'PluginAssemblies/\\*\\.data\\.xml'],
      ['SdkMessageProcessingSteps/{0a1b}.xml', 'SdkMessageProcessingSteps/'],
      ['Entities/account/Visualizations/{0a1b}.xml', 'this file of Entities/'],
      ['Other/FieldSecurityProfiles.xml', 'this file of Other/'],
    ]) {
      const src = base();
      src.set(rel, bytes('<X />'));
      const escaped = rel.replace(/[.{}]/g, (c) => `\\${c}`);
      expect(usageError(() => pack(src)).message).toMatch(new RegExp(`^${escaped}: ${kind} is a component the native packer does not merge .*--packer pac`));
    }
  });

  it('a source unpacked as one type packs only as that type (<Managed>0</Managed> or 1); 2 packs either way', () => {
    const withManaged = (v: string) => {
      const src = base();
      src.set('Other/Solution.xml', bytes(text(src.get('Other/Solution.xml'))!.replace('<Managed>2</Managed>', `<Managed>${v}</Managed>`)));
      return src;
    };
    expect(usageError(() => pack(withManaged('0'), 'Managed')).message).toMatch(/^Other\/Solution\.xml:\d+:\d+: <Managed>0<\/Managed> is a source unpacked as Unmanaged, which packs only as Unmanaged .*--packagetype Unmanaged/);
    expect(usageError(() => pack(withManaged('1'), 'Unmanaged')).message).toMatch(/<Managed>1<\/Managed> is a source unpacked as Managed, which packs only as Managed/);
    expect(entry(pack(withManaged('1'), 'Managed'), 'solution.xml')).toContain('<Managed>1</Managed>');
    expect(entry(pack(withManaged('0'), 'Unmanaged'), 'solution.xml')).toContain('<Managed>0</Managed>');
    // Both types at once: the second is refused as it is alone.
    expect(usageError(() => packSolutions(withManaged('0'), ['Unmanaged', 'Managed'])).message).toBe(usageError(() => pack(withManaged('0'), 'Managed')).message);
  });

  it('a missing <Managed>', () => {
    const src = base();
    src.set('Other/Solution.xml', bytes(text(src.get('Other/Solution.xml'))!.replace('<Managed>2</Managed>', '')));
    expect(usageError(() => pack(src)).message).toMatch(/^Other\/Solution\.xml:\d+:\d+: has no <SolutionManifest><Managed>/);
  });
});

describe('unpackSolution refuses unsafe and invalid zips', () => {
  const good = () => readZip(pack(buildTree(FIXTURES['flow-only']!)), 'z');
  const withEntry = (name: string, data = bytes('x')) => writeZip([...good(), { name, data }]);

  it.each([
    ['../evil.txt', /'\.\.' in its path/],
    ['Workflows/../../evil.txt', /'\.\.' in its path/],
    ['/etc/passwd', /absolute path/],
    ['C:/Windows/evil.txt', /drive-letter/],
    ['Workflows\\evil.txt', /backslash/],
    ['Workflows//evil.txt', /empty or "\." path segment/],
  ])('refuses %s', (name, why) => {
    expect(usageError(() => unpackSolution(withEntry(name), { origin: 'in.zip' })).message).toMatch(why);
  });

  it('refuses duplicate names, also when they differ only in case', () => {
    expect(usageError(() => unpackSolution(writeZip([...good(), good()[2]!]))).message).toMatch(/twice/);
    expect(usageError(() => unpackSolution(writeZip([...good(), { name: 'SOLUTION.XML', data: bytes('x') }]))).message).toMatch(/differ only in case/);
  });

  it('refuses symbolic links', () => {
    const zip = Buffer.from(withEntry('Workflows/link.json', bytes('/etc/passwd')));
    const eocd = zip.length - 22;
    let p = zip.readUInt32LE(eocd + 16);
    for (let i = 0; i < zip.readUInt16LE(eocd + 10) - 1; i++) p += 46 + zip.readUInt16LE(p + 28);
    zip.writeUInt32LE((0o120777 << 16) >>> 0, p + 38);
    expect(usageError(() => unpackSolution(new Uint8Array(zip))).message).toMatch(/symbolic link "Workflows\/link\.json"/);
  });

  it('refuses zip bombs, oversized entries, too many entries and bad CRCs', () => {
    const bomb = withEntry('Workflows/bomb.json', new Uint8Array(8 * 1024 * 1024));
    expect(usageError(() => unpackSolution(bomb)).message).toMatch(/ratio limit/);
    expect(usageError(() => unpackSolution(withEntry('Workflows/a.json', bytes('x'.repeat(2000))), { limits: { maxEntryBytes: 1000 } })).message).toMatch(/per-entry limit of 1000/);
    expect(usageError(() => unpackSolution(withEntry('Workflows/a.json'), { limits: { maxEntries: 3 } })).message).toMatch(/over the limit of 3/);
    expect(usageError(() => unpackSolution(withEntry('Workflows/a.json'), { limits: { maxTotalBytes: 100 } })).message).toMatch(/expands to more than/);
    const z = Buffer.from(pack(buildTree(FIXTURES['flow-only']!)));
    z.writeUInt32LE(z.readUInt32LE(14) ^ 1, 14); // local CRC of entry 1 is not read; flip the central one
    const eocd = z.length - 22;
    const cd = z.readUInt32LE(eocd + 16);
    z.writeUInt32LE(z.readUInt32LE(cd + 16) ^ 1, cd + 16);
    expect(usageError(() => unpackSolution(new Uint8Array(z))).message).toMatch(/CRC does not match/);
  });

  it('refuses zips that are not solutions', () => {
    expect(usageError(() => unpackSolution(bytes('hello'), { origin: 'x.zip' })).message).toMatch(/^x\.zip: is not a zip file/);
    const noCt = writeZip(good().filter((e) => e.name !== '[Content_Types].xml'));
    expect(usageError(() => unpackSolution(noCt, { origin: 'x.zip' })).message).toMatch(/^x\.zip: lacks \[Content_Types\]\.xml at its root/);
    const badXml = writeZip(good().map((e) => (e.name === 'solution.xml' ? { name: e.name, data: bytes('<a><b></a>') } : e)));
    expect(usageError(() => unpackSolution(badXml, { origin: 'x.zip' })).message).toMatch(/^x\.zip:solution\.xml:1:\d+: malformed XML/);
  });
});

describe('readSourceTree', () => {
  it('reads a folder into POSIX paths and refuses a symbolic-link loop', () => {
    const root = writeTree(join(tmp(), 'src'), buildTree(FIXTURES['flow-only']!));
    expect([...readSourceTree(root).keys()].sort()).toEqual([...buildTree(FIXTURES['flow-only']!).keys()].sort());
    symlinkSync(root, join(root, 'Workflows', 'loop'));
    expect(usageError(() => readSourceTree(root)).message).toMatch(/nested more than 32 folders deep/);
  });

  it('pack from a folder does not read CanvasApps/src/ (pac --processCanvasApps output): a loop there is not even seen', async () => {
    const root = writeTree(join(tmp(), 'src'), buildTree(FIXTURES['flow-only']!));
    mkdirSync(join(root, 'CanvasApps', 'src', 'app'), { recursive: true });
    symlinkSync(root, join(root, 'CanvasApps', 'src', 'app', 'loop'));
    expect([...readSourceTree(root, { skipFolder: (rel) => rel === 'CanvasApps/src' }).keys()].some((k) => k.startsWith('CanvasApps/'))).toBe(false);
    const zipfile = join(tmp(), 'out.zip');
    const pac = { locator: { env: {} }, spawn: () => Promise.reject(new Error('no pac')), cwd: root, onOutput: () => {} };
    const result = await packFolder({ folder: root, zipfile, packageType: 'Unmanaged', packer: 'native', pac });
    expect(result.written).toEqual([zipfile]);
    expect(readZip(new Uint8Array(readFileSync(zipfile)), 'z').map((e) => e.name)).toEqual(names(pack(buildTree(FIXTURES['flow-only']!))));
  });
});
