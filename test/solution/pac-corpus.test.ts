import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  contentTypesXml,
  packSolution,
  parseXml,
  readSourceTree,
  readZip,
  serializeXml,
  unpackSolution,
  type SourceTree,
  type XElement,
  type XNode,
  type ZipEntry,
} from '../../src/solution/index.js';
import { HAS_SHARED, SHARED_DIR, SHARED_SKIP_REASON } from '../helpers/shared.js';
import { canonicalXml, normalisedText } from './helpers.js';

/**
 * The 20 public solutions of ../shared/anchors/pac-corpus, each with the zip published beside it, read in place.
 * Every solution packs to the entries and content of its zip, or the table below names the difference: how the
 * zip was written (pac on Windows, pac on macOS in file-system order, or a Dataverse export), and the source drift,
 * a value present in one and absent in the other that no packing rule produces.
 */
const CORPUS = join(SHARED_DIR, 'anchors', 'pac-corpus');

/** pac: Windows enumeration order, reproduced. pac-macos: pac on macOS wrote the file-system order, which no rule gives. dataverse-export: not pac's zip ([Content_Types].xml second, its own element order). */
type Writer = 'pac' | 'pac-macos' | 'dataverse-export';

/** The committed .msapp was re-packed from CanvasApps/src/ (`pac canvas pack`: JSON keys re-ordered) after the zip was made. */
const MSAPP_REPACKED = 'msapp-repacked';
interface Drift {
  entry: string;
  why: string;
  /** Text found in pac's entry and not in ours (and the reverse), showing the drift. */
  inZip?: string;
  inSource?: string;
  /** The source file the drifting value unpacks to, when it is not the entry's own. */
  unpacksTo?: string;
}

interface Expectation {
  writer: Writer;
  drift?: Drift[];
}

const msapp = (app: string): Drift => ({ entry: `CanvasApps/${app}_DocumentUri.msapp`, why: MSAPP_REPACKED });

const EXPECTED: Record<string, Expectation> = {
  'a-puzzle-a-day': { writer: 'pac' },
  'ai-driven-expense-report-processing': { writer: 'pac' },
  badgerfx: { writer: 'pac', drift: [msapp('ag_badgerfxapp_37307')] },
  'cascading-dropdown-component': { writer: 'pac' },
  'circular-timer-component': { writer: 'pac', drift: [msapp('cr630_circulartimer_68073')] },
  'color-converter': { writer: 'pac', drift: [msapp('csex_convertingcolours_ebfb1')] },
  'contoso-school': { writer: 'pac-macos', drift: [msapp('acs_contososchool_60e52')] },
  'dynamic-forms': { writer: 'dataverse-export' },
  'editable-subgrid': { writer: 'pac', drift: [msapp('sha_subgrid_8aeeb')] },
  'gym-management-app': { writer: 'pac' },
  'incident-reporting': { writer: 'pac', drift: [msapp('csa_incedentreporting_0a14a')] },
  'mvp-content-sharing': { writer: 'pac', drift: [msapp('sa_configurations_21d4f'), msapp('sa_sharingcontent_3a43b')] },
  'podcast-copilot': { writer: 'pac', drift: [msapp('cr51e_podcastcopilotapp_8b13a')] },
  'prompt-wagon': { writer: 'pac' },
  'responsive-canvas-template': { writer: 'pac', drift: [msapp('sh_responsivecanvastemplate_758cc')] },
  'sharepoint-followsites': {
    writer: 'dataverse-export',
    drift: [
      {
        entry: 'customizations.xml',
        why: 'the canvas app was saved again after its source was committed: <CanvasApp><AppVersion> and the flow ids in <ConnectionReferences> differ',
        inZip: '<AppVersion>2023-11-07T13:25:44Z</AppVersion>',
        inSource: '<AppVersion>2023-11-07T11:59:39Z</AppVersion>',
        unpacksTo: 'CanvasApps/alexmsft_followsites_7d504.meta.xml',
      },
      { entry: 'CanvasApps/alexmsft_followsites_7d504_DocumentUri.msapp', why: 'the canvas app was saved again after its source was committed (see AppVersion)' },
    ],
  },
  'sharepoint-site-assistant': { writer: 'pac-macos', drift: [msapp('kch_sharepointassistant_35d1a')] },
  'term-buddy': { writer: 'pac' },
  'upload-to-sharepoint': { writer: 'pac', drift: [msapp('sh_attachmentupload_12492')] },
  'weekly-timesheet-sharepoint': { writer: 'pac', drift: [msapp('ad_weeklytimecardsharepointtemplatecopy_ed80c')] },
};

const MANIFESTS = new Set(['solution.xml', 'customizations.xml']);

/** XML with sibling order and `<X />` versus `<X></X>` ignored: for zips whose writer ordered elements its own way. */
function unorderedXml(data: Uint8Array, file: string): string {
  const ser = (el: XElement) => serializeXml({ prolog: [], root: el }, { bom: false });
  const norm = (n: XNode): XNode => {
    if (n.type !== 'element') return n;
    const kids = n.children.map(norm);
    const elements = kids.filter((k): k is XElement => k.type === 'element').sort((a, b) => (ser(a) < ser(b) ? -1 : ser(a) > ser(b) ? 1 : 0));
    const rest = kids.filter((k) => k.type !== 'element' && !(k.type === 'text' && !k.value.trim()));
    const children = [...rest, ...elements];
    return { ...n, attrs: [...n.attrs].sort(([a], [b]) => (a < b ? -1 : 1)), children, selfClosing: children.length === 0 };
  };
  return ser(norm(parseXml(data, file).root) as XElement);
}

function sameContent(name: string, ours: Uint8Array, theirs: Uint8Array, writer: Writer): boolean {
  if (MANIFESTS.has(name)) return writer === 'pac' ? canonicalXml(ours, name) === canonicalXml(theirs, name) : unorderedXml(ours, name) === unorderedXml(theirs, name);
  return normalisedText(ours) === normalisedText(theirs);
}

/** Names and inflated text of the entries of an inner zip (an .msapp, whose names use backslashes our reader refuses). */
function innerZip(data: Uint8Array): Map<string, string> {
  const buf = Buffer.from(data);
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 5, 6]));
  const out = new Map<string, string>();
  let p = buf.readUInt32LE(eocd + 16);
  for (let i = 0; i < buf.readUInt16LE(eocd + 10); i++) {
    const [method, size, nameLen, extraLen, commentLen, local] = [buf.readUInt16LE(p + 10), buf.readUInt32LE(p + 20), buf.readUInt16LE(p + 28), buf.readUInt16LE(p + 30), buf.readUInt16LE(p + 32), buf.readUInt32LE(p + 42)];
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    p += 46 + nameLen + extraLen + commentLen;
    const at = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(at, at + size);
    out.set(name, (method === 8 ? inflateRawSync(raw) : raw).toString('utf8'));
  }
  return out;
}

const insensitive = (a: string, b: string) => (a.toUpperCase() < b.toUpperCase() ? -1 : a.toUpperCase() > b.toUpperCase() ? 1 : 0);

function expectDrift(d: Drift, ours: Uint8Array, theirs: Uint8Array, committed: Uint8Array | undefined): void {
  if (d.inZip || d.inSource) {
    const [o, t] = [Buffer.from(ours).toString('utf8'), Buffer.from(theirs).toString('utf8')];
    if (d.inZip) expect([t.includes(d.inZip), o.includes(d.inZip)], `${d.entry}: ${d.inZip}`).toEqual([true, false]);
    if (d.inSource) expect([o.includes(d.inSource), t.includes(d.inSource)], `${d.entry}: ${d.inSource}`).toEqual([true, false]);
    return;
  }
  // A copied file: ours is the committed file byte for byte, pac's zip holds another one.
  expect(committed && Buffer.from(ours).equals(committed), `${d.entry} is packed from the committed file`).toBe(true);
  const [mine, pacs] = [innerZip(ours), innerZip(theirs)];
  expect([...mine.keys()].sort(), `${d.entry}: the same files inside`).toEqual([...pacs.keys()].sort());
  if (d.why === MSAPP_REPACKED) {
    const keys = (m: Map<string, string>) => Object.keys(JSON.parse(m.get('Header.json')!.replace(/^\uFEFF/, '')) as object);
    expect(keys(mine), `${d.entry}: committed Header.json re-serialized with sorted keys`).toEqual([...keys(mine)].sort(insensitive));
    expect(keys(pacs), `${d.entry}: the zip's Header.json in Power Apps' order`).not.toEqual([...keys(pacs)].sort(insensitive));
  }
}

/** Unpack gives these back only with what the published zips lack: the managed zip, and pac's --processCanvasApps output. */
const notInAnUnmanagedZip = (rel: string) => /_managed\.xml$/i.test(rel) || /^CanvasApps\/src\//.test(rel);

describe.skipIf(!HAS_SHARED)('pac-corpus: 20 public solutions against the zips pac made', () => {
  const names = () => readdirSync(CORPUS).filter((n) => !n.endsWith('.md')).sort();

  it('the table names every corpus solution', () => {
    expect(names()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [solution, expected] of Object.entries(EXPECTED)) {
    const source = join(CORPUS, solution, 'source');
    const pacZip = () => new Uint8Array(readFileSync(join(CORPUS, solution, 'pac-packed.zip')));
    const drift = new Map((expected.drift ?? []).map((d) => [d.entry, d]));

    it(`${solution}: packs to pac's entries and content${expected.drift ? `, but for ${expected.drift.length} named drift` : ''} (${expected.writer})`, () => {
      const tree = readSourceTree(source);
      const ours = readZip(packSolution(tree, { packageType: 'Unmanaged' }), 'ours.zip');
      const theirs = readZip(pacZip(), 'pac-packed.zip');
      const byName = (list: ZipEntry[]) => new Map(list.map((e) => [e.name, e.data]));
      const [mine, pacs] = [byName(ours), byName(theirs)];
      expect([...mine.keys()].sort()).toEqual([...pacs.keys()].sort());
      if (expected.writer === 'pac') expect(ours.map((e) => e.name)).toEqual(theirs.map((e) => e.name));
      else if (expected.writer === 'dataverse-export') expect(theirs[1]!.name).toBe('[Content_Types].xml');
      else expect(ours.map((e) => e.name)).not.toEqual(theirs.map((e) => e.name));
      // pac's [Content_Types].xml follows from its entry order by pac's rule, byte for byte; a Dataverse export types xml as octet-stream.
      const theirTypes = Buffer.from(pacs.get('[Content_Types].xml')!).toString('utf8');
      if (expected.writer === 'dataverse-export') expect(theirTypes).toContain('<Default Extension="xml" ContentType="application/octet-stream" />');
      else expect(contentTypesXml(theirs.map((e) => e.name))).toBe(theirTypes);
      expect(Buffer.from(mine.get('[Content_Types].xml')!).toString('utf8')).toBe(contentTypesXml(ours.map((e) => e.name)));
      const differing: string[] = [];
      for (const [name, data] of pacs) {
        if (name === '[Content_Types].xml') continue;
        if (!sameContent(name, mine.get(name)!, data, expected.writer)) differing.push(name);
      }
      expect(differing.sort()).toEqual([...drift.keys()].sort());
      for (const d of drift.values()) expectDrift(d, mine.get(d.entry)!, pacs.get(d.entry)!, tree.get(d.entry));
    });

    it(`${solution}: unpacking pac's zip gives the committed source back`, () => {
      const tree = readSourceTree(source);
      const managedValue = /<Managed>(\d)<\/Managed>/.exec(Buffer.from(tree.get('Other/Solution.xml')!).toString('utf8'))?.[1];
      const back = unpackSolution(pacZip(), { origin: 'pac-packed.zip', packageType: managedValue === '0' ? 'Unmanaged' : 'Both' });
      const expectedTree: SourceTree = new Map([...tree].filter(([rel]) => !notInAnUnmanagedZip(rel)));
      expect([...back.keys()].sort()).toEqual([...expectedTree.keys()].sort());
      const drifted = new Set([...drift.values()].map((d) => d.unpacksTo ?? d.entry));
      const differing: string[] = [];
      for (const [rel, data] of expectedTree) {
        const same = rel.endsWith('.xml') ? canonicalXml(back.get(rel)!, rel) === canonicalXml(data, rel) : normalisedText(back.get(rel)!) === normalisedText(data);
        if (!same) differing.push(rel);
      }
      expect(differing.sort()).toEqual([...drifted].sort());
    });
  }
});

describe.skipIf(!HAS_SHARED)('pac-corpus: packing is deterministic', () => {
  it('two packs of every corpus solution are byte-identical, and packing the unpacked zip gives the same bytes again', () => {
    const timestamp = new Date('2025-01-31T12:00:00Z');
    for (const solution of Object.keys(EXPECTED)) {
      const tree = readSourceTree(join(CORPUS, solution, 'source'));
      const first = packSolution(tree, { packageType: 'Unmanaged', timestamp });
      expect(Buffer.from(packSolution(tree, { packageType: 'Unmanaged', timestamp })).equals(first), solution).toBe(true);
      const again = packSolution(unpackSolution(first, { packageType: 'Unmanaged' }), { packageType: 'Unmanaged', timestamp });
      expect(Buffer.from(again).equals(first), `${solution}: pack(unpack(pack(src)))`).toBe(true);
    }
  });
});

describe.skipIf(!HAS_SHARED)('pac-corpus: --packagetype Both', () => {
  it('packing Both from each <Managed>2</Managed> source and unpacking Both from the two zips gives the source back, _managed.xml files included', () => {
    let both = 0;
    for (const solution of Object.keys(EXPECTED)) {
      const tree = readSourceTree(join(CORPUS, solution, 'source'));
      if (!Buffer.from(tree.get('Other/Solution.xml')!).toString('utf8').includes('<Managed>2</Managed>')) {
        expect(() => packSolution(tree, { packageType: 'Managed' }), solution).toThrow(/<Managed>0<\/Managed> is a source unpacked as Unmanaged/);
        continue;
      }
      both++;
      const managedZip = { zip: packSolution(tree, { packageType: 'Managed' }), origin: `${solution}_managed.zip` };
      const back = unpackSolution(packSolution(tree, { packageType: 'Unmanaged' }), { packageType: 'Both', managedZip });
      const expected = [...tree.keys()].filter((rel) => !rel.startsWith('CanvasApps/src/')).sort();
      expect([...back.keys()].sort(), solution).toEqual(expected);
      for (const rel of expected) {
        const same = rel.endsWith('.xml') ? canonicalXml(back.get(rel)!, rel) === canonicalXml(tree.get(rel)!, rel) : normalisedText(back.get(rel)!) === normalisedText(tree.get(rel)!);
        expect(same, `${solution}: ${rel}`).toBe(true);
      }
    }
    expect(both).toBe(18);
  });
});

describe.skipIf(HAS_SHARED)('pac-corpus: 20 public solutions against the zips pac made', () => {
  it.skip(SHARED_SKIP_REASON, () => {});
});
