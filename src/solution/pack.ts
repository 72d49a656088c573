import { UsageError } from '../errors.js';
import { CONTENT_TYPES_ENTRY, contentTypesXml } from './content-types.js';
import { append, componentRole, mergeComponents, section, withoutInheritedNamespaces } from './components.js';
import { compareEnumerationOrder, type SourceTree } from './source-tree.js';
import { childElements, elementsByPath, firstChild, parseXml, serializeXml, setText, textOf, type XDocument, type XElement } from './xml.js';
import { writeZip, type ZipEntry } from './zip.js';

export type PackageType = 'Unmanaged' | 'Managed';

export interface PackOptions {
  packageType: PackageType;
  /** Every entry's DOS timestamp (its UTC date and time). Defaults to 1980-01-01T00:00:00Z, so output is reproducible. */
  timestamp?: Date;
  /** Where the tree came from, to name files in error messages (for example the --folder value). */
  origin?: string;
}

export const SOLUTION_XML = 'Other/Solution.xml';
export const CUSTOMIZATIONS_XML = 'Other/Customizations.xml';
/** pac's unpack leaves out a connector whose name is longer than this, and import then fails. */
export const MAX_CONNECTOR_NAME_LENGTH = 30;

/** Zip folder order after the two manifests (solution-format §2.3); folders not listed go before environmentvariabledefinitions. */
const FOLDER_ORDER = ['Workflows', 'WebResources', 'CanvasApps', 'Connector', 'aipluginoperations', 'aiplugins', 'customapis', 'Assets', 'botcomponents', 'bots'];
const LAST_FOLDER = 'environmentvariabledefinitions';

/**
 * A source path the native packer does not know how to pack: a split-out file of a type not merged here, a file
 * under Entities/ or Other/ that is not a table part or relationship, or a folder of a type pac merges.
 */
const NEEDS_PAC = /(^|\/)[^/]+(\.data\.xml|\.meta\.xml|_managed\.xml)$|^(Entities|Other)\/|^(PluginAssemblies|SdkMessageProcessingSteps|ServiceEndpoints|Reports|Templates|Dialogs)\//i;

const WORKFLOW_DATA = /^Workflows\/[^/]+\.data\.xml$/i;
const CONNECTOR_XML = /^Connectors\/[^/]+\.xml$/i;

/** Packs a source tree (the `pac solution unpack` layout) into solution zip bytes, as `pac solution pack` does. */
export function packSolution(tree: SourceTree, options: PackOptions): Uint8Array {
  return writeZip(planSolutionZip(tree, options), { timestamp: options.timestamp });
}

/** packSolution for each package type, in order: the same zips, with the work both types share done once. */
export function packSolutions(tree: SourceTree, packageTypes: readonly PackageType[], options: Omit<PackOptions, 'packageType'> = {}): Uint8Array[] {
  return planSolutionZips(tree, packageTypes, options).map((entries) => writeZip(entries, { timestamp: options.timestamp }));
}

/** The zip entries, in order, that packSolution writes. */
export function planSolutionZip(tree: SourceTree, options: Pick<PackOptions, 'packageType' | 'origin'>): ZipEntry[] {
  return planSolutionZips(tree, [options.packageType], options)[0]!;
}

/**
 * planSolutionZip for each package type, in order. Only solution.xml (its <Managed>) depends on the package type,
 * unless the tree holds `_managed.xml` twins, which Managed takes in place of their files: without twins every
 * other entry is planned once, and each further type gets the same entries with its own solution.xml.
 */
export function planSolutionZips(tree: SourceTree, packageTypes: readonly PackageType[], options: Pick<PackOptions, 'origin'> = {}): ZipEntry[][] {
  const out: ZipEntry[][] = [];
  const twins = [...tree.keys()].some((k) => MANAGED_TWIN.test(k));
  for (const packageType of packageTypes) {
    const first = out[0];
    if (first && !twins) {
      const solution = utf8(serializeXml(solutionManifest(tree, packageType, options)));
      out.push(first.map((e) => (e.name === SOLUTION_ENTRY ? { name: e.name, data: solution } : e)));
    } else {
      out.push(planOne(tree, { ...options, packageType }));
    }
  }
  return out;
}

const MANAGED_TWIN = /_managed\.xml$/i;
const SOLUTION_ENTRY = 'solution.xml';

/** The file name errors show: the path under `origin` when given. */
const shownName = (options: Pick<PackOptions, 'origin'>, rel: string) => (options.origin ? `${options.origin.replace(/[\\/]+$/, '')}/${rel}` : rel);

function needFile(tree: SourceTree, options: Pick<PackOptions, 'origin'>, rel: string): Uint8Array {
  const data = tree.get(rel);
  if (!data) throw new UsageError([{ file: shownName(options, rel), message: "is missing; --folder must hold the layout that 'pac solution unpack' writes (Other/Solution.xml, Other/Customizations.xml, …)" }]);
  return data;
}

function packFailure(options: Pick<PackOptions, 'origin'>, rel: string, el: XElement | undefined, message: string): UsageError {
  return new UsageError([{ file: shownName(options, rel), ...(el ? { line: el.line, column: el.column } : {}), message }]);
}

/** Other/Solution.xml with <Managed> set for the package type (planOne has made the checks of the other steps). */
function solutionManifest(tree: SourceTree, packageType: PackageType, options: Pick<PackOptions, 'origin'>): XDocument {
  const solution = parseXml(needFile(tree, options, SOLUTION_XML), shownName(options, SOLUTION_XML));
  setManaged(solution, packageType, options);
  return solution;
}

/** Sets <Managed> for the package type, after pac's check that the source may be packed as it. */
function setManaged(solution: XDocument, packageType: PackageType, options: Pick<PackOptions, 'origin'>): void {
  const managed = elementsByPath(solution.root, ['SolutionManifest', 'Managed'])[0];
  if (!managed) throw packFailure(options, SOLUTION_XML, solution.root, 'has no <SolutionManifest><Managed> element');
  // SolutionPackager "can't convert one type to another": 0 packs only Unmanaged, 1 only Managed, 2 (Both) either.
  const from = textOf(managed)?.trim();
  const want = packageType === 'Managed' ? '1' : '0';
  if ((from === '0' || from === '1') && from !== want) {
    throw packFailure(options, SOLUTION_XML, managed, `<Managed>${from}</Managed> is a source unpacked as ${from === '1' ? 'Managed' : 'Unmanaged'}, which packs only as ${from === '1' ? 'Managed' : 'Unmanaged'} (pac cannot convert one type to the other); pack with --packagetype ${from === '1' ? 'Managed' : 'Unmanaged'}, or unpack both zips with --packagetype Both`);
  }
  setText(managed, want);
}

function planOne(tree: SourceTree, options: Pick<PackOptions, 'packageType' | 'origin'>): ZipEntry[] {
  const name = (rel: string) => shownName(options, rel);
  const need = (rel: string) => needFile(tree, options, rel);
  const parse = (rel: string, data: Uint8Array) => parseXml(data, name(rel));
  const fail = (rel: string, el: XElement | undefined, message: string) => packFailure(options, rel, el, message);

  const solution = parse(SOLUTION_XML, need(SOLUTION_XML));
  const customizations = parse(CUSTOMIZATIONS_XML, need(CUSTOMIZATIONS_XML));
  for (const [rel, doc] of [[SOLUTION_XML, solution], [CUSTOMIZATIONS_XML, customizations]] as const) {
    if (doc.root.name !== 'ImportExportXml') throw fail(rel, doc.root, `the root element is <${doc.root.name}>; expected <ImportExportXml>`);
  }
  setManaged(solution, options.packageType, options);

  const roles = new Map<string, 'merged' | 'skipped' | undefined>();
  for (const rel of [...tree.keys()].sort(compareEnumerationOrder)) {
    const role = rel === SOLUTION_XML || rel === CUSTOMIZATIONS_XML || WORKFLOW_DATA.test(rel) || CONNECTOR_XML.test(rel) ? 'merged' : componentRole(rel);
    roles.set(rel, role);
    if (rel.includes('/') && !role && NEEDS_PAC.test(rel)) {
      throw new UsageError([{ file: name(rel), message: `${unknownKind(rel)} is a component the native packer does not merge into customizations.xml; pack this solution with --packer pac` }]);
    }
  }

  // Workflows: inline ones stay, split-out .data.xml files are appended in enumeration order.
  const workflows = section(customizations.root, 'Workflows');
  const workflowSources: [string, XElement][] = childElements(workflows, 'Workflow').map((w) => [CUSTOMIZATIONS_XML, w]);
  for (const rel of [...tree.keys()].filter((k) => WORKFLOW_DATA.test(k)).sort(compareEnumerationOrder)) {
    const doc = parse(rel, tree.get(rel)!);
    if (doc.root.name !== 'Workflow') throw fail(rel, doc.root, `the root element is <${doc.root.name}>; a .data.xml file under Workflows/ holds one <Workflow>`);
    append(workflows, withoutInheritedNamespaces(doc, customizations.root));
    workflowSources.push([rel, doc.root]);
  }
  for (const [rel, w] of workflowSources) {
    for (const field of ['JsonFileName', 'XamlFileName']) {
      const el = firstChild(w, field);
      const path = textOf(el)?.trim();
      if (el && (!path || !tree.has(path.replace(/^\//, '')))) {
        throw fail(rel, el, `${field} names ${JSON.stringify(path ?? '')}, which is not in the folder; add the file or fix the name`);
      }
    }
  }

  // Connectors: Connectors/<name>.xml merged; their files go to Connector/ (singular).
  const connectorSources: [string, XElement][] = [];
  const connectorFiles = [...tree.keys()].filter((k) => CONNECTOR_XML.test(k)).sort(compareEnumerationOrder);
  const hasConnectors = connectorFiles.length > 0 || childElements(customizations.root, 'Connectors').some((c) => c.children.length > 0);
  if (hasConnectors) {
    const connectors = section(customizations.root, 'Connectors');
    connectorSources.push(...childElements(connectors, 'Connector').map((c): [string, XElement] => [CUSTOMIZATIONS_XML, c]));
    for (const rel of connectorFiles) {
      const doc = parse(rel, tree.get(rel)!);
      if (doc.root.name !== 'Connector') throw fail(rel, doc.root, `the root element is <${doc.root.name}>; an .xml file under Connectors/ holds one <Connector>`);
      append(connectors, withoutInheritedNamespaces(doc, customizations.root));
      connectorSources.push([rel, doc.root]);
    }
  }
  for (const [rel, c] of connectorSources) {
    const nameEl = firstChild(c, 'name');
    const connectorName = textOf(nameEl)?.trim() ?? '';
    if (!connectorName) throw fail(rel, c, 'the <Connector> has no <name>');
    if (connectorName.length > MAX_CONNECTOR_NAME_LENGTH) {
      throw fail(rel, nameEl, `connector name '${connectorName}' is ${connectorName.length} characters; pac drops connectors whose name is over ${MAX_CONNECTOR_NAME_LENGTH} characters and import then fails ("Connector Import Failed: File Not Found"); shorten it`);
    }
    for (const el of childElements(c)) {
      const value = textOf(el)?.trim() ?? '';
      if (value.startsWith('/Connector/') && !tree.has(`Connectors/${value.slice('/Connector/'.length)}`)) {
        throw fail(rel, el, `<${el.name}> names ${value}, but Connectors/${value.slice('/Connector/'.length)} is not in the folder`);
      }
    }
  }

  // Tables, relationships, option sets, roles, apps, dashboards, canvas apps, web resources.
  const { moved, referenced } = mergeComponents(customizations.root, {
    tree,
    variant: options.packageType,
    parse: (rel) => parse(rel, tree.get(rel)!),
    fail,
  });

  // Component files, grouped by zip folder, each group in enumeration order.
  const groups = new Map<string, string[]>();
  const sources = new Map<string, string>();
  for (const rel of tree.keys()) {
    if (!rel.includes('/') || roles.get(rel)) continue;
    const entry = moved.get(rel) ?? (rel.startsWith('Connectors/') ? `Connector/${rel.slice('Connectors/'.length)}` : rel);
    const clash = sources.get(entry.toLowerCase());
    if (clash) throw new UsageError([{ file: name(rel), message: `would be written to the zip as ${entry}, as ${clash} is; remove one of them` }]);
    sources.set(entry.toLowerCase(), rel);
    const folder = entry.slice(0, entry.indexOf('/'));
    const group = groups.get(folder);
    if (group) group.push(entry);
    else groups.set(folder, [entry]);
  }
  const folderRank = (f: string) => (f === LAST_FOLDER ? 2 : FOLDER_ORDER.includes(f) ? 0 : 1);
  const folders = [...groups.keys()].sort(
    (a, b) => folderRank(a) - folderRank(b) || (folderRank(a) === 0 ? FOLDER_ORDER.indexOf(a) - FOLDER_ORDER.indexOf(b) : compareEnumerationOrder(a, b)),
  );
  const entries: ZipEntry[] = [
    { name: 'customizations.xml', data: utf8(serializeXml(customizations)) },
    { name: SOLUTION_ENTRY, data: utf8(serializeXml(solution)) },
  ];
  for (const folder of folders) {
    const rank = (entry: string) => {
      const i = referenced.indexOf(entry);
      return i < 0 ? referenced.length : i;
    };
    for (const entry of groups.get(folder)!.sort((a, b) => rank(a) - rank(b) || compareEnumerationOrder(a, b))) entries.push({ name: entry, data: tree.get(sources.get(entry.toLowerCase())!)! });
  }
  entries.push({ name: CONTENT_TYPES_ENTRY, data: utf8(contentTypesXml(entries.map((e) => e.name))) });
  return entries;
}

/** `X.zip` → `X_managed.zip`: the second file `--packagetype Both` writes. */
export function managedZipPath(zipfile: string): string {
  return /\.zip$/i.test(zipfile) ? `${zipfile.slice(0, -4)}_managed${zipfile.slice(-4)}` : `${zipfile}_managed`;
}

/** Names the kind of a component the native packer refuses, for the message. */
function unknownKind(rel: string): string {
  const top = rel.slice(0, rel.indexOf('/'));
  if (/\.data\.xml$/i.test(rel)) return `${top}/*.data.xml`;
  if (/\.meta\.xml$/i.test(rel)) return `${top}/*.meta.xml`;
  if (top === 'Entities' || top === 'Other') return `this file of ${top}/`;
  return `${top}/`;
}

export function utf8(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'utf8'));
}

