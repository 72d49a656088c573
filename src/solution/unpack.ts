import { UsageError } from '../errors.js';
import { splitComponents } from './components.js';
import { CONTENT_TYPES_ENTRY } from './content-types.js';
import { CUSTOMIZATIONS_XML, SOLUTION_XML, utf8 } from './pack.js';
import type { SourceTree } from './source-tree.js';
import { childElements, elementsByPath, firstChild, parseXml, serializeXml, setText, textOf, type XElement } from './xml.js';
import { DEFAULT_ZIP_LIMITS, readZip, unsafeName, type ZipLimits } from './zip.js';

export interface UnpackOptions {
  limits?: Partial<ZipLimits>;
  /** The zip's name, for error messages. */
  origin?: string;
}

const ROOT_FILES = ['solution.xml', 'customizations.xml', CONTENT_TYPES_ENTRY];
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

/**
 * Unpacks solution zip bytes into the `pac solution unpack` layout: workflows and connectors are split out of
 * customizations.xml (placeholders `<Workflows />` / `<Connectors />` stay), `Connector/` becomes `Connectors/`,
 * `<Managed>` is written as 2 (a source that packs either way), `[Content_Types].xml` is dropped.
 * Unsafe or invalid zips are a UsageError; nothing is written here.
 */
export function unpackSolution(zip: Uint8Array, options: UnpackOptions = {}): SourceTree {
  const origin = options.origin ?? 'solution zip';
  const entries = readZip(zip, origin, { ...DEFAULT_ZIP_LIMITS, ...options.limits });
  const byName = new Map(entries.map((e) => [e.name, e.data]));
  const missing = ROOT_FILES.filter((f) => !byName.has(f));
  if (missing.length > 0) {
    throw new UsageError([{ file: origin, message: `lacks ${missing.join(', ')} at its root; a solution zip holds solution.xml, customizations.xml and [Content_Types].xml` }]);
  }
  const at = (entry: string) => `${origin}:${entry}`;
  const tree: SourceTree = new Map();
  const put = (rel: string, data: Uint8Array, from: string) => {
    if (tree.has(rel)) throw new UsageError([{ file: at(from), message: `would be unpacked to ${rel}, which another entry also writes; refusing to unpack it` }]);
    tree.set(rel, data);
  };

  const solution = parseXml(byName.get('solution.xml')!, at('solution.xml'));
  const managed = elementsByPath(solution.root, ['SolutionManifest', 'Managed'])[0];
  if (managed) setText(managed, '2');
  put(SOLUTION_XML, utf8(serializeXml(solution)), 'solution.xml');

  const customizations = parseXml(byName.get('customizations.xml')!, at('customizations.xml'));
  const xsi = customizations.root.attrs.find(([k]) => k === 'xmlns:xsi')?.[1] ?? XSI;
  const splitOut = (sectionName: string, childName: string, fileOf: (el: XElement) => string | undefined) => {
    for (const section of childElements(customizations.root, sectionName)) {
      const kept = section.children.filter((child) => {
        if (child.type !== 'element' || child.name !== childName) return true;
        const rel = fileOf(child);
        if (!rel) return true;
        const root: XElement = { ...child, attrs: [...child.attrs.filter(([k]) => k !== 'xmlns:xsi'), ['xmlns:xsi', xsi]] };
        put(rel, utf8(serializeXml({ prolog: [], root })), 'customizations.xml');
        return false;
      });
      section.children = kept;
      if (kept.length === 0) section.selfClosing = true;
    }
  };
  splitOut('Workflows', 'Workflow', (w) => {
    const m = /^\/Workflows\/([^/\\]+)$/.exec(textOf(firstChild(w, 'JsonFileName'))?.trim() ?? '');
    return m && !unsafeName(m[1]!) && m[1] !== '..' ? `Workflows/${m[1]}.data.xml` : undefined;
  });
  splitOut('Connectors', 'Connector', (c) => {
    const n = textOf(firstChild(c, 'name'))?.trim() ?? '';
    return /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(n) && n !== '..' ? `Connectors/${n}.xml` : undefined;
  });
  const renamed = new Map<string, string>();
  splitComponents(customizations.root, {
    putXml: (rel, el, withXsi) => {
      const root: XElement = withXsi ? { ...el, attrs: [...el.attrs.filter(([k]) => k !== 'xmlns:xsi'), ['xmlns:xsi', xsi]] } : el;
      put(rel, utf8(serializeXml({ prolog: [], root })), 'customizations.xml');
    },
    renamed,
  });
  put(CUSTOMIZATIONS_XML, utf8(serializeXml(customizations)), 'customizations.xml');

  for (const { name, data } of entries) {
    if (ROOT_FILES.includes(name)) continue;
    if (!name.includes('/')) {
      throw new UsageError([{ file: at(name), message: 'is a file at the zip root other than solution.xml, customizations.xml and [Content_Types].xml; refusing to unpack it' }]);
    }
    put(renamed.get(name) ?? (name.startsWith('Connector/') ? `Connectors/${name.slice('Connector/'.length)}` : name), data, name);
  }
  return new Map([...tree.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

