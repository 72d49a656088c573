import { MAX_NESTING_DEPTH } from '../io/nesting.js';
import type { XDocument, XElement, XNode } from './xml.js';

/**
 * The common case of parseXml without the character-by-character state machine of saxes: documents made only of
 * an optional BOM and `<?xml version="1.0" encoding="utf-8"?>` declaration, elements with ASCII names, quoted
 * attributes, text, and the predefined and numeric character references. For such a document it returns the
 * tree saxes gives (same elements, attributes in order, text as decoded, and the same line and column of every
 * element, as parseXml computes them from saxes' position at the end of the tag name). For anything else
 * (comments, CDATA, processing instructions, a DOCTYPE, carriage returns, tabs or newlines inside attribute
 * values, non-ASCII names, characters XML forbids, any mistake) it returns undefined and parseXml lets saxes
 * parse the text, so saxes alone decides what is malformed and how that is reported.
 */
export function parseXmlFast(text: string): XDocument | undefined {
  // Carriage returns (saxes normalises them), characters XML 1.0 forbids, and surrogates (saxes counts a pair as
  // one column) are left to saxes: from here on one UTF-16 unit is one character and one column.
  if (UNUSUAL_CHARACTER.test(text)) return undefined;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (const decl of DECLARATIONS) {
    if (text.startsWith(decl, i)) {
      i += decl.length;
      break;
    }
  }
  const n = text.length;
  // Line tracking: line of the character before `scanned`, and the last newline before it.
  let line = 1;
  let lastNewline = -1;
  let nextNewline = text.indexOf('\n');
  if (nextNewline < 0) nextNewline = n;
  const advance = (to: number) => {
    while (nextNewline < to) {
      line++;
      lastNewline = nextNewline;
      nextNewline = text.indexOf('\n', nextNewline + 1);
      if (nextNewline < 0) nextNewline = n;
    }
  };
  const stack: XElement[] = [];
  let root: XElement | undefined;
  let closed = false;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c !== LT) {
      const next = text.indexOf('<', i);
      const end = next < 0 ? n : next;
      const parent = stack[stack.length - 1];
      if (!parent) {
        // Outside the root only white space is allowed.
        if (!WHITESPACE_ONLY.test(text.slice(i, end))) return undefined;
      } else {
        if (next < 0) return undefined;
        const raw = text.slice(i, end);
        if (raw.includes(']]>')) return undefined;
        const value = raw.includes('&') ? decodeReferences(raw) : raw;
        if (value === undefined) return undefined;
        if (!WHITESPACE_ONLY.test(value)) parent.children.push({ type: 'text', value });
      }
      i = end;
      continue;
    }
    const c1 = text.charCodeAt(i + 1);
    if (c1 === SLASH) {
      // </name S? >
      const start = i + 2;
      if (!isNameStart(text.charCodeAt(start))) return undefined;
      let j = start + 1;
      while (isNameChar(text.charCodeAt(j))) j++;
      const name = text.slice(start, j);
      while (isSpace(text.charCodeAt(j))) j++;
      if (text.charCodeAt(j) !== GT) return undefined;
      const top = stack.pop();
      if (!top || top.name !== name) return undefined;
      if (stack.length === 0) closed = true;
      i = j + 1;
      continue;
    }
    if (!isNameStart(c1) || closed) return undefined;
    // <name (S attr="value")* S? (/>|>)
    const start = i + 1;
    let j = start + 1;
    while (isNameChar(text.charCodeAt(j))) j++;
    const name = text.slice(start, j);
    const after = text.charCodeAt(j);
    if (!(isSpace(after) || after === GT || after === SLASH)) return undefined;
    // saxes reports the tag at its position once it has read the character after the name.
    advance(j + 1);
    const tagLine = line;
    const tagColumn = j - lastNewline;
    const attrs: [string, string][] = [];
    let selfClosing: boolean;
    for (;;) {
      const before = j;
      while (isSpace(text.charCodeAt(j))) j++;
      const ch = text.charCodeAt(j);
      if (ch === GT) {
        selfClosing = false;
        j++;
        break;
      }
      if (ch === SLASH) {
        if (text.charCodeAt(j + 1) !== GT) return undefined;
        selfClosing = true;
        j += 2;
        break;
      }
      if (j === before || !isNameStart(ch)) return undefined;
      const nameStart = j;
      j++;
      while (isNameChar(text.charCodeAt(j))) j++;
      const attrName = text.slice(nameStart, j);
      while (isSpace(text.charCodeAt(j))) j++;
      if (text.charCodeAt(j) !== EQ) return undefined;
      j++;
      while (isSpace(text.charCodeAt(j))) j++;
      const quote = text.charCodeAt(j);
      if (quote !== DQUOTE && quote !== SQUOTE) return undefined;
      const close = text.indexOf(quote === DQUOTE ? '"' : "'", j + 1);
      if (close < 0) return undefined;
      const raw = text.slice(j + 1, close);
      if (ATTRIBUTE_NEEDS_SAXES.test(raw)) return undefined;
      const value = raw.includes('&') ? decodeReferences(raw) : raw;
      if (value === undefined) return undefined;
      for (const [k] of attrs) if (k === attrName) return undefined;
      attrs.push([attrName, value]);
      j = close + 1;
      const next = text.charCodeAt(j);
      if (!(isSpace(next) || next === GT || next === SLASH)) return undefined;
    }
    if (stack.length >= MAX_NESTING_DEPTH) return undefined;
    const el: XElement = { type: 'element', name, attrs, children: [], selfClosing, line: tagLine, column: Math.max(1, tagColumn - name.length - 1) };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else root = el;
    if (!selfClosing) stack.push(el);
    else if (!parent) closed = true;
    i = j;
  }
  if (!root || stack.length > 0) return undefined;
  const prolog: XNode[] = [];
  return { prolog, root };
}

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const EQ = 0x3d;
const DQUOTE = 0x22;
const SQUOTE = 0x27;

const UNUSUAL_CHARACTER = /[^\t\n\x20-\uD7FF\uE000-\uFFFD]/;
const WHITESPACE_ONLY = /^[ \t\r\n]*$/;
/** In an attribute value: `<` is an error, and saxes turns a literal tab or newline into a space. */
const ATTRIBUTE_NEEDS_SAXES = /[<\t\n]/;
const DECLARATIONS = ['<?xml version="1.0" encoding="utf-8"?>', '<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0"?>'];

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x09;
/** ASCII letters and `_`: a subset of XML's name start characters. */
const isNameStart = (c: number) => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
/** ASCII letters, digits, `_`, `-`, `.` and `:`: a subset of XML's name characters. */
const isNameChar = (c: number) => isNameStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e || c === 0x3a;

/** `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&#N;` and `&#xH;` decoded as saxes decodes them; undefined for any other. */
function decodeReferences(raw: string): string | undefined {
  let out = '';
  let from = 0;
  for (let amp = raw.indexOf('&'); amp >= 0; amp = raw.indexOf('&', from)) {
    const semi = raw.indexOf(';', amp + 1);
    if (semi < 0) return undefined;
    const name = raw.slice(amp + 1, semi);
    let ch = PREDEFINED[name];
    if (ch === undefined) {
      let code = NaN;
      if (/^#x[0-9a-fA-F]+$/.test(name)) code = parseInt(name.slice(2), 16);
      else if (/^#[0-9]+$/.test(name)) code = parseInt(name.slice(1), 10);
      if (!isXmlChar(code)) return undefined;
      ch = String.fromCodePoint(code);
    }
    out += raw.slice(from, amp) + ch;
    from = semi + 1;
  }
  return out + raw.slice(from);
}

const PREDEFINED: Readonly<Record<string, string | undefined>> = Object.assign(Object.create(null) as Record<string, string>, {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
});

function isXmlChar(c: number): boolean {
  return c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
}
