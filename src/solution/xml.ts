import type * as Saxes from 'saxes';
import { UsageError } from '../errors.js';
import { lazyRequire } from '../io/lazy-require.js';
import { decodeUtf8 } from '../io/read-file.js';
import { MAX_NESTING_DEPTH } from '../io/nesting.js';

/**
 * A small XML tree that keeps what pac's serializer (.NET XDocument) keeps: element and attribute order,
 * whether an empty element was written `<X />` or `<X></X>`, text, CDATA, comments and processing instructions.
 * Whitespace-only text between elements is dropped on parse, as XDocument.Load does, and re-created on write.
 */
export interface XElement {
  type: 'element';
  name: string;
  attrs: [string, string][];
  children: XNode[];
  /** Written `<X />` when it has no children; `<X></X>` otherwise. */
  selfClosing: boolean;
  line: number;
  column: number;
}
export interface XText {
  type: 'text' | 'cdata' | 'comment';
  value: string;
}
export interface XPi {
  type: 'pi';
  target: string;
  body: string;
}
export type XNode = XElement | XText | XPi;

export interface XDocument {
  /** Comments and processing instructions before the root element. */
  prolog: XNode[];
  root: XElement;
}

/**
 * Parsed documents by their text, so the same text is parsed once per process: `build` packs, unpacks and
 * validates the same files (tables, workflow data, manifests) for each cloud, edition and package type. The tree
 * depends on the text alone (the file name only names a failure, and failures are not kept). parseXml's callers
 * change the tree they are given, so each gets its own copy; parseXmlReadOnly's share the kept tree. Only documents
 * up to MAX_KEPT_CHARS are kept (a whole merged customizations.xml is read once per zip, and keeping its tree would
 * only cost memory), and the total is bounded, so a long run over many solutions stays small.
 */
const parsed = new Map<string, XDocument>();
let parsedChars = 0;
const MAX_KEPT_CHARS = 64 * 1024;
const MAX_PARSED_CHARS = 2 * 1024 * 1024;

/** Parses XML (bytes are decoded as strict UTF-8, BOM dropped). Malformed XML is a UsageError with line:column. */
export function parseXml(input: string | Uint8Array, file: string): XDocument {
  const { doc, kept } = parseKept(input, file);
  return kept ? { prolog: doc.prolog.map(cloneNode), root: cloneElement(doc.root) } : doc;
}

/**
 * parseXml for a caller that only reads the tree (validation): the tree may be the one kept for its text, shared
 * with every other reader of the same text, so it must never be changed.
 */
export function parseXmlReadOnly(input: string | Uint8Array, file: string): XDocument {
  return parseKept(input, file).doc;
}

/** The tree of a text, and whether it is the one kept for the text (then callers that change trees need a copy). */
function parseKept(input: string | Uint8Array, file: string): { doc: XDocument; kept: boolean } {
  const text = typeof input === 'string' ? input : decodeUtf8(input, file);
  const known = parsed.get(text);
  if (known) return { doc: known, kept: true };
  const doc = parseWithSaxes(text, file);
  if (text.length > MAX_KEPT_CHARS) return { doc, kept: false };
  if (parsedChars + text.length > MAX_PARSED_CHARS) {
    parsed.clear();
    parsedChars = 0;
  }
  parsed.set(text, doc);
  parsedChars += text.length;
  return { doc, kept: true };
}

function cloneNode(node: XNode): XNode {
  return node.type === 'element' ? cloneElement(node) : { ...node };
}

function cloneElement(el: XElement): XElement {
  return {
    type: 'element',
    name: el.name,
    attrs: el.attrs.map(([k, v]) => [k, v]),
    children: el.children.map(cloneNode),
    selfClosing: el.selfClosing,
    line: el.line,
    column: el.column,
  };
}

/** Parses with saxes (loaded on first use). */
function parseWithSaxes(text: string, file: string): XDocument {
  const parser = new (lazyRequire<typeof Saxes>('saxes').SaxesParser)({ position: true });
  let failure: { line: number; column: number; message: string; tooDeep?: true } | undefined;
  parser.on('error', (e) => {
    failure ??= { line: parser.line, column: parser.column + 1, message: e.message.replace(/^\d+:\d+: /, '') };
  });
  const prolog: XNode[] = [];
  const stack: XElement[] = [];
  let root: XElement | undefined;
  let tagLine = 1;
  let tagColumn = 1;
  const add = (node: XNode) => {
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(node);
    else if (node.type === 'comment' || node.type === 'pi') prolog.push(node);
  };
  parser.on('opentagstart', () => {
    tagLine = parser.line;
    tagColumn = parser.column;
  });
  parser.on('opentag', (tag) => {
    const el: XElement = {
      type: 'element',
      name: tag.name,
      attrs: Object.entries(tag.attributes as Record<string, string>),
      children: [],
      selfClosing: tag.isSelfClosing,
      line: tagLine,
      column: Math.max(1, tagColumn - tag.name.length - 1),
    };
    if (stack.length >= MAX_NESTING_DEPTH) {
      failure ??= { line: tagLine, column: el.column, message: `XML elements nest deeper than ${MAX_NESTING_DEPTH} levels here (the limit of every structured input, see docs/limits.md); flatten it`, tooDeep: true };
      throw new Error('too deep');
    }
    add(el);
    if (!root) root = el;
    if (!tag.isSelfClosing) stack.push(el);
  });
  parser.on('closetag', (tag) => {
    if (!tag.isSelfClosing) stack.pop();
  });
  parser.on('text', (t) => {
    if (stack.length > 0 && !/^[ \t\r\n]*$/.test(t)) add({ type: 'text', value: t });
  });
  parser.on('cdata', (t) => add({ type: 'cdata', value: t }));
  parser.on('comment', (t) => add({ type: 'comment', value: t }));
  parser.on('processinginstruction', (pi) => add({ type: 'pi', target: pi.target, body: pi.body }));
  parser.on('doctype', () => {
    failure ??= { line: parser.line, column: parser.column + 1, message: 'a DOCTYPE is not allowed in solution XML' };
  });
  try {
    parser.write(text).close();
  } catch (e) {
    failure ??= { line: parser.line, column: parser.column + 1, message: (e as Error).message };
  }
  if (!failure && !root) failure = { line: parser.line, column: parser.column + 1, message: 'no root element' };
  if (failure) throw new UsageError([{ file, line: failure.line, column: failure.column, message: failure.tooDeep ? failure.message : `malformed XML: ${failure.message}` }]);
  return { prolog, root: root! };
}

/**
 * Writes a document as pac writes solution.xml and customizations.xml: UTF-8 BOM, `<?xml version="1.0"
 * encoding="utf-8"?>`, 2-space indentation (none inside mixed content), `<X />` for self-closed empty elements,
 * no newline at the end.
 */
export function serializeXml(doc: XDocument, options: { newline?: '\n' | '\r\n'; bom?: boolean } = {}): string {
  const nl = options.newline ?? '\n';
  const out: string[] = [options.bom === false ? '' : '\uFEFF', '<?xml version="1.0" encoding="utf-8"?>'];
  for (const node of doc.prolog) out.push(nl, writeNode(node, 0, true, nl));
  out.push(nl, writeNode(doc.root, 0, true, nl));
  return out.join('');
}

function writeNode(node: XNode, depth: number, indent: boolean, nl: string): string {
  switch (node.type) {
    case 'text':
      return escapeText(node.value, nl);
    case 'cdata':
      return `<![CDATA[${node.value}]]>`;
    case 'comment':
      return `<!--${node.value}-->`;
    case 'pi':
      return `<?${node.target}${node.body ? ` ${node.body}` : ''}?>`;
    case 'element':
      return writeElement(node, depth, indent, nl);
  }
}

function writeElement(el: XElement, depth: number, indent: boolean, nl: string): string {
  let s = `<${el.name}`;
  for (const [k, v] of el.attrs) s += ` ${k}="${escapeAttr(v)}"`;
  if (el.children.length === 0) return el.selfClosing ? `${s} />` : `${s}></${el.name}>`;
  s += '>';
  const mixed = !indent || el.children.some((c) => c.type === 'text' || c.type === 'cdata');
  const pad = mixed ? '' : nl + '  '.repeat(depth + 1);
  for (const child of el.children) s += pad + writeNode(child, depth + 1, !mixed, nl);
  return s + (mixed ? '' : nl + '  '.repeat(depth)) + `</${el.name}>`;
}

function escapeText(v: string, nl: string): string {
  return v.replace(/[&<>]|\r\n|\n|\r/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : nl));
}

function escapeAttr(v: string): string {
  return v.replace(/[&<>"\t\n\r]/g, (c) => ATTR_ESCAPES[c]!);
}
const ATTR_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\t': '&#x9;', '\n': '&#xA;', '\r': '&#xD;' };

// ---- small helpers over the tree -------------------------------------------------------------------------

export function childElements(el: XElement, name?: string): XElement[] {
  return el.children.filter((c): c is XElement => c.type === 'element' && (name === undefined || c.name === name));
}

export function firstChild(el: XElement, name: string): XElement | undefined {
  for (const c of el.children) if (c.type === 'element' && c.name === name) return c;
  return undefined;
}

/** The concatenated text of an element's text and CDATA children. */
export function textOf(el: XElement | undefined): string | undefined {
  if (!el) return undefined;
  let text = '';
  for (const c of el.children) if (c.type === 'text' || c.type === 'cdata') text += c.value;
  return text;
}

export function attr(el: XElement, name: string): string | undefined {
  return el.attrs.find(([k]) => k === name)?.[1];
}

export function setText(el: XElement, value: string): void {
  el.children = [{ type: 'text', value }];
  el.selfClosing = false;
}

export function elementsByPath(root: XElement, path: readonly string[]): XElement[] {
  let level = [root];
  for (const name of path) level = level.flatMap((e) => childElements(e, name));
  return level;
}
