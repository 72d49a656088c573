import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  contentTypesXml,
  packSolution,
  parseXml,
  readSourceTree,
  readZip,
  serializeXml,
  unpackSolution,
  writeZip,
  type SourceTree,
} from '../../src/solution/index.js';
import { HAS_SHARED, SHARED_DIR, SHARED_SKIP_REASON } from '../helpers/shared.js';
import { canonicalXml, normalisedText } from './helpers.js';

/** Fidelity against zips `pac solution pack` really wrote (../shared/anchors/pac-solutions, read in place). */
const ANCHORS = join(SHARED_DIR, 'anchors', 'pac-solutions');
const FULL = ['always-reply-to-request', 'power-automate-flow-to-share-an-app'];
const XML_MANIFESTS = new Set(['solution.xml', 'customizations.xml']);

function expectSameEntryContent(name: string, ours: Uint8Array, theirs: Uint8Array): void {
  if (XML_MANIFESTS.has(name)) expect(canonicalXml(ours, name), name).toBe(canonicalXml(theirs, name));
  else expect(normalisedText(ours), name).toBe(normalisedText(theirs));
}

function expectSameTree(ours: SourceTree, theirs: SourceTree): void {
  expect([...ours.keys()].sort()).toEqual([...theirs.keys()].sort());
  for (const [rel, data] of theirs) {
    const mine = ours.get(rel)!;
    if (rel.endsWith('.xml')) expect(canonicalXml(mine, rel), rel).toBe(canonicalXml(data, rel));
    expect(normalisedText(mine), rel).toBe(normalisedText(data));
  }
}

describe.skipIf(!HAS_SHARED)('native pack against pac-packed anchors', () => {
  for (const anchor of FULL) {
    const source = join(ANCHORS, anchor, 'source');
    // Read inside the tests: a skipped describe still runs its body to collect them.
    const pacZip = () => new Uint8Array(readFileSync(join(ANCHORS, anchor, 'pac-packed.zip')));

    it(`${anchor}: same entries in the same order, same [Content_Types].xml, same content`, () => {
      const ours = readZip(packSolution(readSourceTree(source), { packageType: 'Unmanaged' }), 'ours.zip');
      const theirs = readZip(pacZip(), 'pac-packed.zip');
      expect(ours.map((e) => e.name)).toEqual(theirs.map((e) => e.name));
      const ct = (list: typeof ours) => Buffer.from(list.find((e) => e.name === '[Content_Types].xml')!.data);
      expect(ct(ours).equals(ct(theirs))).toBe(true);
      for (let i = 0; i < ours.length; i++) expectSameEntryContent(theirs[i]!.name, ours[i]!.data, theirs[i]!.data);
      if (anchor === 'always-reply-to-request') {
        // pac on Linux writes LF like us: there every entry is byte-identical, not only equal as XML.
        for (let i = 0; i < ours.length; i++) expect(Buffer.from(ours[i]!.data).equals(theirs[i]!.data), theirs[i]!.name).toBe(true);
      }
    });

    it(`${anchor}: unpacking pac's zip gives the committed source`, () => {
      expectSameTree(unpackSolution(pacZip(), { origin: 'pac-packed.zip' }), readSourceTree(source));
    });
  }

  describe('prompt-wagon connector part', () => {
    const base = join(ANCHORS, 'prompt-wagon-connector');
    const fromZip = join(base, 'from-pac-zip');
    const order = () => readFileSync(join(fromZip, 'entry-order.txt'), 'utf8').split(/\r?\n/).filter(Boolean);
    const connectorEntries = () => order().filter((n) => n.startsWith('Connector/'));
    const sourceConnectors = () => new Map(readdirSync(join(base, 'source-Connectors')).map((f) => [`Connectors/${f}`, new Uint8Array(readFileSync(join(base, 'source-Connectors', f)))]));

    it('derives [Content_Types].xml byte for byte from the entry order', () => {
      expect(contentTypesXml(order())).toBe(readFileSync(join(fromZip, '[Content_Types].xml'), 'utf8'));
    });

    it("re-serializes pac's 5,000-line customizations.xml byte for byte (CRLF flavour)", () => {
      const raw = readFileSync(join(fromZip, 'customizations.xml'));
      expect(serializeXml(parseXml(raw, 'customizations.xml'), { newline: '\r\n' })).toBe(raw.toString('utf8'));
    });

    it('packs Connectors/ into Connector/ entries and merges the <Connector> as pac did', () => {
      const cust = parseXml(readFileSync(join(fromZip, 'customizations.xml')), 'customizations.xml');
      const connectors = cust.root.children.find((c) => c.type === 'element' && c.name === 'Connectors');
      if (connectors?.type !== 'element') throw new Error('no Connectors');
      connectors.children = [];
      connectors.selfClosing = true;
      const tree: SourceTree = new Map([
        ['Other/Solution.xml', new Uint8Array(readFileSync(join(fromZip, 'solution.xml')))],
        ['Other/Customizations.xml', new Uint8Array(Buffer.from(serializeXml(cust)))],
        ...sourceConnectors(),
      ]);
      const ours = readZip(packSolution(tree, { packageType: 'Unmanaged' }), 'ours.zip');
      expect(ours.filter((e) => e.name.startsWith('Connector/')).map((e) => e.name)).toEqual(connectorEntries());
      for (const e of ours.filter((x) => x.name.startsWith('Connector/'))) {
        expect(Buffer.from(e.data).equals(readFileSync(join(fromZip, e.name))), e.name).toBe(true);
      }
      expect(canonicalXml(ours[0]!.data)).toBe(canonicalXml(readFileSync(join(fromZip, 'customizations.xml'))));
    });

    it("unpacks pac's Connector/ entries and <Connector> into the committed Connectors/ source", () => {
      const names = ['customizations.xml', 'solution.xml', ...connectorEntries(), '[Content_Types].xml'];
      const zip = writeZip(names.map((name) => ({ name, data: new Uint8Array(readFileSync(join(fromZip, name))) })));
      const tree = unpackSolution(zip);
      const want = sourceConnectors();
      expectSameTree(new Map([...tree].filter(([k]) => k.startsWith('Connectors/'))), want);
      const cust = Buffer.from(tree.get('Other/Customizations.xml')!).toString('utf8');
      expect(cust).toContain('<Connectors />');
    });
  });
});

describe.skipIf(HAS_SHARED)('native pack against pac-packed anchors', () => {
  it.skip(SHARED_SKIP_REASON, () => {});
});
