import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseXml, serializeXml, type SourceTree, type XElement, type XNode } from '../../src/solution/index.js';
import { makeTempDir } from '../helpers/temp-dir.js';

export const tmp = (label = 'solution') => makeTempDir(label);

/** XML as a tree for comparisons: whitespace between elements and attribute order do not matter. */
export function canonicalXml(data: Uint8Array | string, file = 'x.xml'): string {
  const sortAttrs = (n: XNode): XNode =>
    n.type === 'element' ? ({ ...n, attrs: [...n.attrs].sort(([a], [b]) => (a < b ? -1 : 1)), children: n.children.map(sortAttrs) } as XElement) : n;
  const doc = parseXml(data, file);
  return serializeXml({ prolog: doc.prolog, root: sortAttrs(doc.root) as XElement }, { bom: false });
}

/** Text with CRLF turned into LF and a leading BOM dropped. */
export function normalisedText(data: Uint8Array): string {
  return Buffer.from(data).toString('utf8').replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
}

export const text = (data: Uint8Array | undefined) => (data ? Buffer.from(data).toString('utf8') : undefined);
export const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

/** Writes a SourceTree under `root` and returns `root`. */
export function writeTree(root: string, tree: SourceTree): string {
  for (const [rel, data] of tree) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), data);
  }
  return root;
}
