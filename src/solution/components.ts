import type { UsageError } from '../errors.js';
import { compareEnumerationOrder, compareNames, type SourceTree } from './source-tree.js';
import { attr, childElements, firstChild, textOf, type XDocument, type XElement } from './xml.js';
import { unsafeName } from './zip.js';

/**
 * The component types that `pac solution unpack` splits out of customizations.xml into files of their own, and
 * that `pac solution pack` merges back: tables (`Entities/<name>/Entity.xml` with `FormXml/`, `SavedQueries/`,
 * `RibbonDiff.xml`), relationships (`Other/Relationships.xml` + `Other/Relationships/<table>.xml`), option sets,
 * security roles, dashboards, model-driven apps and their site maps, canvas apps (`.meta.xml`) and web resources
 * (`.data.xml`). Workflows and connectors are merged in pack.ts. Rules observed on the pac zips of
 * ../shared/anchors/pac-corpus (docs/solution-format.md).
 */

export type Variant = 'Unmanaged' | 'Managed';

/** One element per file: the file's root is the element that goes into `section`. */
interface FileKind {
  section: string;
  element: string;
  /** Source path of the unmanaged file (a `_managed.xml` twin may sit beside it). */
  pattern: RegExp;
  /** Unpack: the source path of an element, or undefined when its name cannot be a safe file name. */
  fileOf: (el: XElement) => string | undefined;
  /** Unpack writes `xmlns:xsi` on the file's root (pac does for every kind but app modules). */
  xsi: boolean;
  /** Unpack with --packagetype Both writes a `_managed.xml` twin. */
  managedTwin: boolean;
}

const safe = (segment: string | undefined): string | undefined =>
  segment && !segment.includes('/') && !unsafeName(segment) && segment !== '..' ? segment : undefined;
const named = (prefix: string, suffix: string, value: string | undefined) => {
  const s = safe(value?.trim());
  return s ? `${prefix}${s}${suffix}` : undefined;
};

const FILE_KINDS: readonly FileKind[] = [
  { section: 'Roles', element: 'Role', pattern: /^Roles\/[^/]+\.xml$/i, fileOf: (e) => named('Roles/', '.xml', attr(e, 'name')), xsi: true, managedTwin: false },
  { section: 'optionsets', element: 'optionset', pattern: /^OptionSets\/[^/]+\.xml$/i, fileOf: (e) => named('OptionSets/', '.xml', attr(e, 'Name')), xsi: true, managedTwin: false },
  { section: 'Dashboards', element: 'Dashboard', pattern: /^Dashboards\/[^/]+\.xml$/i, fileOf: (e) => named('Dashboards/', '.xml', textOf(firstChild(e, 'FormId'))), xsi: true, managedTwin: false },
  {
    section: 'AppModuleSiteMaps', element: 'AppModuleSiteMap', pattern: /^AppModuleSiteMaps\/[^/]+\/AppModuleSiteMap\.xml$/i,
    fileOf: (e) => named('AppModuleSiteMaps/', '/AppModuleSiteMap.xml', textOf(firstChild(e, 'SiteMapUniqueName'))), xsi: true, managedTwin: true,
  },
  {
    section: 'AppModules', element: 'AppModule', pattern: /^AppModules\/[^/]+\/AppModule\.xml$/i,
    fileOf: (e) => named('AppModules/', '/AppModule.xml', textOf(firstChild(e, 'UniqueName'))), xsi: false, managedTwin: true,
  },
  { section: 'CanvasApps', element: 'CanvasApp', pattern: /^CanvasApps\/[^/]+\.meta\.xml$/i, fileOf: (e) => named('CanvasApps/', '.meta.xml', textOf(firstChild(e, 'Name'))), xsi: true, managedTwin: false },
];

const ENTITY_PART = /^Entities\/([^/]+)\/(Entity\.xml|RibbonDiff\.xml|FormXml\/([^/]+)\/([^/]+)\.xml|SavedQueries\/([^/]+)\.xml)$/i;
const WEB_RESOURCE_DATA = /^WebResources\/.+\.data\.xml$/i;
const RELATIONSHIPS_LIST = 'Other/Relationships.xml';
const RELATIONSHIP_FILE = /^Other\/Relationships\/[^/]+\.xml$/i;
/** pac's `--processCanvasApps` source of an .msapp; the .msapp beside it is what goes into the zip. */
const CANVAS_SOURCE = /^CanvasApps\/src\//i;
/** Child order of a packed <Entity>. */
const ENTITY_ORDER = ['Name', 'EntityInfo', 'FormXml', 'SavedQueries', 'RibbonDiffXml'];

/** Top-level order of customizations.xml (solution-format §3.7); a missing section is created at its place. */
export const CUSTOMIZATIONS_ORDER = [
  'Entities', 'Roles', 'Workflows', 'FieldSecurityProfiles', 'Templates', 'EntityImageConfigs', 'AttributeImageConfigs',
  'EntityMaps', 'EntityRelationships', 'OrganizationSettings', 'optionsets', 'Dashboards', 'WebResources', 'CustomControls',
  'AppModuleSiteMaps', 'AppModules', 'EntityDataProviders', 'AIModels', 'CanvasApps', 'Connectors', 'connectionreferences', 'Languages',
];

const managedTwinOf = (rel: string) => rel.replace(/\.xml$/i, '_managed.xml');
const isManagedTwin = (rel: string) => /_managed\.xml$/i.test(rel);

/** What pack does with a source path this module knows: merged into customizations.xml, or not packed at all. */
export function componentRole(rel: string): 'merged' | 'skipped' | undefined {
  if (rel === RELATIONSHIPS_LIST || RELATIONSHIP_FILE.test(rel) || WEB_RESOURCE_DATA.test(rel)) return 'merged';
  if (CANVAS_SOURCE.test(rel)) return 'skipped';
  const plain = isManagedTwin(rel) ? rel.replace(/_managed\.xml$/i, '.xml') : rel;
  if (ENTITY_PART.test(plain) || FILE_KINDS.some((k) => k.pattern.test(plain))) return 'merged';
  return undefined;
}

export interface MergeContext {
  tree: SourceTree;
  variant: Variant;
  parse: (rel: string) => XDocument;
  fail: (rel: string, el: XElement | undefined, message: string) => UsageError;
}

export interface MergeResult {
  /** Zip entry names that replace source paths (web resource content goes to its `<FileName>`). */
  moved: Map<string, string>;
  /** Zip entries in the order pac writes them inside their folder: each canvas app's files as its .meta.xml names them. */
  referenced: string[];
}

/** Merges every split-out component of `tree` into customizations.xml (`root`), as pac does. */
export function mergeComponents(root: XElement, ctx: MergeContext): MergeResult {
  const keys = [...ctx.tree.keys()].sort(compareEnumerationOrder);
  const pick = (rel: string) => (ctx.variant === 'Managed' && ctx.tree.has(managedTwinOf(rel)) ? managedTwinOf(rel) : rel);
  const load = (rel: string, rootName: string) => {
    const doc = ctx.parse(rel);
    if (doc.root.name !== rootName) throw ctx.fail(rel, doc.root, `the root element is <${doc.root.name}>; expected <${rootName}>`);
    return withoutInheritedNamespaces(doc, root);
  };
  for (const rel of keys) {
    if (!isManagedTwin(rel)) continue;
    const plain = rel.replace(/_managed\.xml$/i, '.xml');
    if (!ctx.tree.has(plain)) throw ctx.fail(rel, undefined, `is the managed form of ${plain}, which is not in the folder; add it or remove this file`);
  }

  mergeEntities(root, keys, ctx, pick, load);
  mergeRelationships(root, keys, ctx, load);
  const referenced: string[] = [];
  for (const kind of FILE_KINDS) {
    const files = keys.filter((k) => kind.pattern.test(k) && !isManagedTwin(k));
    if (files.length === 0) continue;
    const target = section(root, kind.section);
    for (const rel of files) {
      const el = load(pick(rel), kind.element);
      append(target, el);
      if (kind.element === 'CanvasApp') referenced.push(...canvasFiles(rel, el, ctx));
    }
  }

  const moved = new Map<string, string>();
  const webResources = keys.filter((k) => WEB_RESOURCE_DATA.test(k));
  if (webResources.length > 0) {
    const target = section(root, 'WebResources');
    for (const rel of webResources) {
      const el = load(rel, 'WebResource');
      append(target, el);
      const content = rel.slice(0, -'.data.xml'.length);
      if (!ctx.tree.has(content)) throw ctx.fail(rel, el, `describes ${content}, which is not in the folder; add the file or remove this one`);
      const fileName = textOf(firstChild(el, 'FileName'))?.trim().replace(/^\//, '') ?? '';
      const entry = fileName && !unsafeName(fileName) && /^WebResources\//i.test(fileName) ? fileName : content;
      moved.set(content, entry);
    }
  }
  return { moved, referenced };
}

/** The `/CanvasApps/…` files a canvas app's .meta.xml names, in document order; each must be in the folder. */
function canvasFiles(rel: string, canvasApp: XElement, ctx: MergeContext): string[] {
  const out: string[] = [];
  const visit = (el: XElement) => {
    for (const child of childElements(el)) {
      const value = textOf(child)?.trim() ?? '';
      if (/^\/CanvasApps\/[^/]+$/i.test(value)) {
        const path = value.slice(1);
        if (!ctx.tree.has(path)) {
          const app = textOf(firstChild(canvasApp, 'Name'))?.trim() ?? '';
          const fromSource = [...ctx.tree.keys()].some((k) => k.startsWith(`CanvasApps/src/${app}/`));
          throw ctx.fail(rel, child, fromSource
            ? `<${child.name}> names ${value}, which pac builds from CanvasApps/src/${app}/ (--processCanvasApps); the native packer packs the committed .msapp: add it (pac canvas pack) or pack with --packer pac`
            : `<${child.name}> names ${value}, but ${path} is not in the folder; add the file or fix the name`);
        }
        out.push(path);
      }
      visit(child);
    }
  };
  visit(canvasApp);
  return out;
}

function mergeEntities(
  root: XElement,
  keys: readonly string[],
  ctx: MergeContext,
  pick: (rel: string) => string,
  load: (rel: string, rootName: string) => XElement,
): void {
  const folders = new Map<string, string[]>();
  for (const rel of keys) {
    if (!rel.startsWith('Entities/') || isManagedTwin(rel)) continue;
    const m = ENTITY_PART.exec(rel);
    if (!m) continue;
    const list = folders.get(m[1]!);
    if (list) list.push(rel);
    else folders.set(m[1]!, [rel]);
  }
  if (folders.size === 0) return;
  const entities = section(root, 'Entities');
  for (const folder of [...folders.keys()].sort(compareNames)) {
    const files = folders.get(folder)!;
    const entityRel = `Entities/${folder}/Entity.xml`;
    if (!ctx.tree.has(entityRel)) throw ctx.fail(files[0]!, undefined, `belongs to a table without ${entityRel}; add it or remove the folder`);
    const entity = load(entityRel, 'Entity');
    // Forms: every form file by name (its form id), grouped by form type in first-seen order.
    const forms = files
      .map((rel) => ({ rel, m: ENTITY_PART.exec(rel)! }))
      .filter(({ m }) => m[3] !== undefined)
      .sort((a, b) => compareNames(a.m[4]!, b.m[4]!) || compareNames(a.m[3]!, b.m[3]!));
    if (forms.length > 0) {
      const groups = new Map<string, XElement>();
      for (const { rel, m } of forms) {
        let group = groups.get(m[3]!);
        if (!group) groups.set(m[3]!, (group = element('forms', [['type', m[3]!]])));
        for (const form of childElements(load(pick(rel), 'forms'))) append(group, form);
      }
      fill(entity, 'FormXml', [...groups.values()]);
    }
    const queries = files.filter((rel) => ENTITY_PART.exec(rel)![5] !== undefined).sort((a, b) => compareNames(a.slice(a.lastIndexOf('/') + 1), b.slice(b.lastIndexOf('/') + 1)));
    if (queries.length > 0) {
      const list = element('savedqueries');
      for (const rel of queries) for (const q of childElements(load(pick(rel), 'savedqueries'))) append(list, q);
      fill(entity, 'SavedQueries', [list]);
    }
    const ribbonRel = `Entities/${folder}/RibbonDiff.xml`;
    if (ctx.tree.has(ribbonRel)) {
      const ribbon = load(pick(ribbonRel), 'RibbonDiffXml');
      const target = fill(entity, 'RibbonDiffXml', ribbon.children);
      target.selfClosing = ribbon.selfClosing;
      target.attrs = ribbon.attrs;
    }
    append(entities, entity);
  }
}

function mergeRelationships(root: XElement, keys: readonly string[], ctx: MergeContext, load: (rel: string, rootName: string) => XElement): void {
  const files = keys.filter((k) => RELATIONSHIP_FILE.test(k));
  if (files.length === 0 && !ctx.tree.has(RELATIONSHIPS_LIST)) return;
  const byName = new Map<string, [string, XElement]>();
  for (const rel of files) {
    for (const r of childElements(load(rel, 'EntityRelationships'), 'EntityRelationship')) {
      const name = attr(r, 'Name') ?? '';
      const twin = byName.get(name.toLowerCase());
      if (twin) throw ctx.fail(rel, r, `defines the relationship '${name}', which ${twin[0]} also defines; keep one`);
      byName.set(name.toLowerCase(), [rel, r]);
    }
  }
  const target = section(root, 'EntityRelationships');
  // pac writes them in the order of Other/Relationships.xml; any not listed there follow in file order.
  if (ctx.tree.has(RELATIONSHIPS_LIST)) {
    for (const ref of childElements(load(RELATIONSHIPS_LIST, 'EntityRelationships'), 'EntityRelationship')) {
      const name = attr(ref, 'Name') ?? '';
      const found = byName.get(name.toLowerCase());
      if (!found) throw ctx.fail(RELATIONSHIPS_LIST, ref, `lists the relationship '${name}', which no file in Other/Relationships/ defines; add it or remove the entry`);
      byName.delete(name.toLowerCase());
      append(target, found[1]);
    }
  }
  for (const [, r] of byName.values()) append(target, r);
}

// ---- unpack ----------------------------------------------------------------------------------------------------

export interface SplitContext {
  /** Writes a split-out XML file (root element, with or without xmlns:xsi). */
  putXml: (rel: string, root: XElement, xsi: boolean) => void;
  /** Whether this unpack also writes `_managed.xml` twins (--packagetype Both, from the managed zip). */
  managed?: XDocument;
  /** Zip entries renamed on unpack (web resource content: `<FileName>` → `WebResources/<Name>`). */
  renamed: Map<string, string>;
}

/**
 * Splits the components of customizations.xml (`root`) into their source files, leaving the empty placeholder
 * of each section, as `pac solution unpack` does. With `managed` (the managed zip's customizations.xml, for
 * --packagetype Both), the kinds that have managed forms also get their `_managed.xml` twin.
 */
export function splitComponents(root: XElement, ctx: SplitContext): void {
  const managedFile = new Map<string, XElement>();
  const twin = (rel: string, el: XElement | undefined, xsi: boolean) => {
    if (el) ctx.putXml(managedTwinOf(rel), el, xsi);
  };
  if (ctx.managed) collectManagedFiles(ctx.managed.root, managedFile);

  for (const entities of childElements(root, 'Entities')) {
    entities.children = entities.children.filter((child) => {
      if (child.type !== 'element' || child.name !== 'Entity') return true;
      const folder = safe(textOf(firstChild(child, 'Name'))?.trim());
      if (!folder) return true;
      const base = `Entities/${folder}`;
      // Every file name is checked before anything is written: a table with an unsafe name stays inline, whole.
      const files: [string, XElement, boolean][] = [];
      for (const formXml of childElements(child, 'FormXml')) {
        for (const forms of childElements(formXml, 'forms')) {
          const type = safe(attr(forms, 'type'));
          for (const form of childElements(forms, 'systemform')) {
            const id = safe(textOf(firstChild(form, 'formid'))?.trim());
            if (!type || !id) return true;
            files.push([`${base}/FormXml/${type}/${id}.xml`, element('forms', [], [form]), true]);
          }
        }
      }
      for (const saved of childElements(child, 'SavedQueries')) {
        for (const q of childElements(saved, 'savedqueries').flatMap((list) => childElements(list, 'savedquery'))) {
          const id = safe(textOf(firstChild(q, 'savedqueryid'))?.trim());
          if (!id) return true;
          files.push([`${base}/SavedQueries/${id}.xml`, element('savedqueries', [], [q]), false]);
        }
      }
      for (const ribbon of childElements(child, 'RibbonDiffXml')) files.push([`${base}/RibbonDiff.xml`, { ...ribbon, children: [...ribbon.children] }, false]);
      for (const [rel, el, isForm] of files) {
        ctx.putXml(rel, el, true);
        if (isForm) twin(rel, managedFile.get(rel), true);
      }
      for (const name of ['FormXml', 'SavedQueries', 'RibbonDiffXml']) childElements(child, name).forEach(empty);
      ctx.putXml(`${base}/Entity.xml`, child, true);
      return false;
    });
    if (entities.children.length === 0) entities.selfClosing = true;
  }

  for (const rels of childElements(root, 'EntityRelationships')) {
    const all = childElements(rels, 'EntityRelationship');
    if (all.length === 0) continue;
    const byTable = new Map<string, XElement[]>();
    const listed: XElement[] = [];
    for (const r of all) {
      const table = safe((textOf(firstChild(r, 'ReferencedEntityName')) ?? textOf(firstChild(r, 'FirstEntityName')))?.trim());
      if (!table) break;
      const list = byTable.get(table);
      if (list) list.push(r);
      else byTable.set(table, [r]);
      listed.push(element('EntityRelationship', [['Name', attr(r, 'Name') ?? '']]));
    }
    // A relationship whose table cannot name a file keeps them all inline.
    if (listed.length < all.length) continue;
    for (const [table, list] of byTable) ctx.putXml(`Other/Relationships/${table}.xml`, element('EntityRelationships', [], list), true);
    ctx.putXml(RELATIONSHIPS_LIST, element('EntityRelationships', [], listed), true);
    empty(rels);
  }

  for (const kind of FILE_KINDS) {
    for (const sec of childElements(root, kind.section)) {
      sec.children = sec.children.filter((child) => {
        if (child.type !== 'element' || child.name !== kind.element) return true;
        const rel = kind.fileOf(child);
        if (!rel) return true;
        ctx.putXml(rel, child, kind.xsi);
        if (kind.managedTwin) twin(rel, managedFile.get(rel), kind.xsi);
        return false;
      });
      if (sec.children.length === 0) sec.selfClosing = true;
    }
  }

  for (const sec of childElements(root, 'WebResources')) {
    sec.children = sec.children.filter((child) => {
      if (child.type !== 'element' || child.name !== 'WebResource') return true;
      const name = textOf(firstChild(child, 'Name'))?.trim() ?? '';
      const fileName = textOf(firstChild(child, 'FileName'))?.trim().replace(/^\//, '') ?? '';
      const rel = `WebResources/${name}`;
      if (!name || unsafeName(rel) || !fileName || unsafeName(fileName)) return true;
      ctx.putXml(`${rel}.data.xml`, child, true);
      ctx.renamed.set(fileName, rel);
      return false;
    });
    if (sec.children.length === 0) sec.selfClosing = true;
  }
}

/** The managed zip's split files that have a managed form, by source path (forms, app modules, site maps). */
function collectManagedFiles(root: XElement, out: Map<string, XElement>): void {
  for (const entity of childElements(firstChild(root, 'Entities') ?? element('Entities'), 'Entity')) {
    const folder = safe(textOf(firstChild(entity, 'Name'))?.trim());
    if (!folder) continue;
    for (const forms of childElements(firstChild(entity, 'FormXml') ?? element('FormXml'), 'forms')) {
      const type = safe(attr(forms, 'type'));
      for (const form of childElements(forms, 'systemform')) {
        const id = safe(textOf(firstChild(form, 'formid'))?.trim());
        if (type && id) out.set(`Entities/${folder}/FormXml/${type}/${id}.xml`, element('forms', [], [form]));
      }
    }
  }
  for (const kind of FILE_KINDS.filter((k) => k.managedTwin)) {
    for (const el of childElements(firstChild(root, kind.section) ?? element(kind.section), kind.element)) {
      const rel = kind.fileOf(el);
      if (rel) out.set(rel, el);
    }
  }
}

// ---- tree helpers -------------------------------------------------------------------------------------------

/** The top-level section of customizations.xml, created empty at its place in the known order when absent. */
export function section(root: XElement, name: string): XElement {
  const found = firstChild(root, name);
  if (found) return found;
  const el: XElement = { ...element(name), line: root.line, column: root.column };
  const rank = CUSTOMIZATIONS_ORDER.indexOf(name);
  const before = root.children.findIndex((c) => c.type === 'element' && CUSTOMIZATIONS_ORDER.indexOf(c.name) > rank);
  root.children.splice(before < 0 ? root.children.length : before, 0, el);
  return el;
}

export function append(parent: XElement, child: XElement): void {
  parent.children.push(child);
  parent.selfClosing = false;
}

/** The split file's root without namespace declarations that customizations.xml already makes (pac drops xmlns:xsi). */
export function withoutInheritedNamespaces(doc: XDocument, into: XElement): XElement {
  const inherited = new Set(into.attrs.filter(([k]) => k === 'xmlns' || k.startsWith('xmlns:')).map(([k, v]) => `${k}\u0000${v}`));
  return { ...doc.root, attrs: doc.root.attrs.filter(([k, v]) => !inherited.has(`${k}\u0000${v}`)) };
}

function element(name: string, attrs: [string, string][] = [], children: XElement[] = []): XElement {
  return { type: 'element', name, attrs, children, selfClosing: children.length === 0, line: 0, column: 0 };
}

function empty(el: XElement): void {
  el.children = [];
  el.selfClosing = true;
}

/** Sets the children of `entity`'s child `name`, creating it at its place in the packed order when absent. */
function fill(entity: XElement, name: string, children: XElement['children']): XElement {
  let target = firstChild(entity, name);
  if (!target) {
    target = element(name);
    const rank = ENTITY_ORDER.indexOf(name);
    const before = entity.children.findIndex((c) => c.type === 'element' && ENTITY_ORDER.indexOf(c.name) > rank);
    entity.children.splice(before < 0 ? entity.children.length : before, 0, target);
  }
  target.children = [...children];
  target.selfClosing = children.length === 0;
  return target;
}
