import { UsageError } from '../errors.js';
import { splitComponents } from './components.js';
import { CONTENT_TYPES_ENTRY } from './content-types.js';
import { CUSTOMIZATIONS_XML, SOLUTION_XML, utf8 } from './pack.js';
import type { SourceTree } from './source-tree.js';
import { childElements, elementsByPath, firstChild, parseXml, serializeXml, setText, textOf, type XDocument, type XElement } from './xml.js';
import { DEFAULT_ZIP_LIMITS, readZip, unsafeName, type ZipLimits } from './zip.js';

export interface UnpackOptions {
  limits?: Partial<ZipLimits>;
  /** The zip's name, for error messages. */
  origin?: string;
  /**
   * pac's `--packagetype`: `<Managed>` is written 0 for Unmanaged, 1 for Managed, 2 for Both (a source that packs
   * either way, the default here). Unmanaged and Managed refuse a zip of the other type.
   */
  packageType?: 'Unmanaged' | 'Managed' | 'Both';
  /** With Both: the managed zip (pac's `X_managed.zip`); its forms, app modules and site maps become `_managed.xml` files. */
  managedZip?: { zip: Uint8Array; origin: string };
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
  const packageType = options.packageType ?? 'Both';
  const { entries, byName, solution } = readSolutionZip(zip, origin, options.limits);
  const at = (entry: string) => `${origin}:${entry}`;
  const managedZip = options.managedZip && readSolutionZip(options.managedZip.zip, options.managedZip.origin, options.limits);
  if (managedZip && packageType !== 'Both') throw new UsageError(`a managed zip is unpacked beside the unmanaged one only with --packagetype Both`);
  expectManaged(solution, at('solution.xml'), packageType === 'Unmanaged' || managedZip ? '0' : packageType === 'Managed' ? '1' : undefined);
  if (managedZip) expectManaged(managedZip.solution, `${options.managedZip!.origin}:solution.xml`, '1');
  const tree: SourceTree = new Map();
  const put = (rel: string, data: Uint8Array, from: string) => {
    if (tree.has(rel)) throw new UsageError([{ file: at(from), message: `would be unpacked to ${rel}, which another entry also writes; refusing to unpack it` }]);
    tree.set(rel, data);
  };

  const managed = elementsByPath(solution.root, ['SolutionManifest', 'Managed'])[0];
  if (managed) setText(managed, packageType === 'Unmanaged' ? '0' : packageType === 'Managed' ? '1' : '2');
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
    ...(managedZip ? { managed: parseXml(managedZip.byName.get('customizations.xml')!, `${options.managedZip!.origin}:customizations.xml`) } : {}),
  });
  // pac writes every empty top-level section as <X />, also where the zip (a Dataverse export) has <X></X>.
  for (const sec of childElements(customizations.root)) if (sec.children.every((c) => c.type === 'text' && !c.value.trim())) Object.assign(sec, { children: [], selfClosing: true });
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


function readSolutionZip(zip: Uint8Array, origin: string, limits: Partial<ZipLimits> | undefined) {
  const entries = readZip(zip, origin, { ...DEFAULT_ZIP_LIMITS, ...limits });
  const byName = new Map(entries.map((e) => [e.name, e.data]));
  const missing = ROOT_FILES.filter((f) => !byName.has(f));
  if (missing.length > 0) {
    throw new UsageError([{ file: origin, message: `lacks ${missing.join(', ')} at its root; a solution zip holds solution.xml, customizations.xml and [Content_Types].xml` }]);
  }
  return { entries, byName, solution: parseXml(byName.get('solution.xml')!, `${origin}:solution.xml`) };
}

/** Refuses a zip whose <Managed> is not the one the package type expects (pac: "can't convert one type to another"). */
function expectManaged(solution: XDocument, file: string, want: '0' | '1' | undefined): void {
  if (!want) return;
  const el = elementsByPath(solution.root, ['SolutionManifest', 'Managed'])[0];
  const value = textOf(el)?.trim();
  if (value === want) return;
  const kind = (v: string | undefined) => (v === '1' ? 'a managed' : v === '0' ? 'an unmanaged' : `a <Managed>${v ?? ''}</Managed>`);
  throw new UsageError([{ file, ...(el ? { line: el.line, column: el.column } : {}), message: `is ${kind(value)} solution, where ${kind(want)} one is expected; choose --packagetype ${value === '1' ? 'Managed' : 'Unmanaged'} (or Both with the unmanaged zip and its _managed.zip)` }]);
}
