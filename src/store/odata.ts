/**
 * The OData subset the flows use against Dataverse: $filter with eq, ne, gt, ge, lt, le, and, or, not,
 * parentheses, contains/startswith/endswith; literals 'string' (with '' escapes), numbers, true, false,
 * null, bare GUIDs and bare ISO dates. String comparisons ignore case, as Dataverse's collation does.
 */

export type Literal = string | number | boolean | null;

export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; inner: FilterNode }
  | { kind: 'cmp'; op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'; column: string; value: Literal }
  | { kind: 'fn'; fn: 'contains' | 'startswith' | 'endswith'; column: string; value: string };

export class ODataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ODataError';
  }
}

type Token = { t: 'ident' | 'str' | 'num' | 'guid' | 'date' | '(' | ')' | ','; v: string; at: number };

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/;
const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?/;

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      out.push({ t: c, v: c, at: i });
      i++;
      continue;
    }
    if (c === "'") {
      let v = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw new ODataError(`unterminated string at position ${i + 1} of $filter`);
        if (text[j] === "'") {
          if (text[j + 1] === "'") {
            v += "'";
            j += 2;
            continue;
          }
          break;
        }
        v += text[j];
        j++;
      }
      out.push({ t: 'str', v, at: i });
      i = j + 1;
      continue;
    }
    const rest = text.slice(i);
    const guid = GUID.exec(rest);
    if (guid && !/[0-9A-Za-z_]/.test(rest[guid[0].length] ?? '')) {
      out.push({ t: 'guid', v: guid[0], at: i });
      i += guid[0].length;
      continue;
    }
    const date = DATE.exec(rest);
    if (date && date[0].length > 4 && rest[4] === '-') {
      out.push({ t: 'date', v: date[0], at: i });
      i += date[0].length;
      continue;
    }
    const num = /^-?\d+(\.\d+)?/.exec(rest);
    if (num) {
      out.push({ t: 'num', v: num[0], at: i });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    if (id) {
      out.push({ t: 'ident', v: id[0], at: i });
      i += id[0].length;
      continue;
    }
    throw new ODataError(`unexpected '${c}' at position ${i + 1} of $filter`);
  }
  return out;
}

export function parseFilter(text: string): FilterNode {
  const toks = tokenize(text);
  let p = 0;
  const peek = (): Token | undefined => toks[p];
  const isWord = (w: string): boolean => peek()?.t === 'ident' && peek()!.v.toLowerCase() === w;
  const expect = (t: Token['t']): Token => {
    const k = toks[p];
    if (!k || k.t !== t) throw new ODataError(`expected '${t}' ${k ? `at position ${k.at + 1}` : 'at the end'} of $filter`);
    p++;
    return k;
  };
  const literal = (): Literal => {
    const k = toks[p++];
    if (!k) throw new ODataError('expected a value at the end of $filter');
    if (k.t === 'str' || k.t === 'guid' || k.t === 'date') return k.v;
    if (k.t === 'num') return Number(k.v);
    if (k.t === 'ident') {
      const w = k.v.toLowerCase();
      if (w === 'null') return null;
      if (w === 'true' || w === 'false') return w === 'true';
    }
    throw new ODataError(`expected a value at position ${k.at + 1} of $filter, found '${k.v}'`);
  };
  const primary = (): FilterNode => {
    const k = peek();
    if (!k) throw new ODataError('unexpected end of $filter');
    if (k.t === '(') {
      p++;
      const e = orExpr();
      expect(')');
      return e;
    }
    if (k.t !== 'ident') throw new ODataError(`expected a column name at position ${k.at + 1} of $filter, found '${k.v}'`);
    const name = k.v;
    p++;
    const lower = name.toLowerCase();
    if ((lower === 'contains' || lower === 'startswith' || lower === 'endswith') && peek()?.t === '(') {
      p++;
      const col = expect('ident').v;
      expect(',');
      const v = literal();
      expect(')');
      if (typeof v !== 'string') throw new ODataError(`${lower}() needs a string value`);
      return { kind: 'fn', fn: lower, column: col, value: v };
    }
    const opTok = peek();
    const op = opTok?.t === 'ident' ? opTok.v.toLowerCase() : '';
    if (!['eq', 'ne', 'gt', 'ge', 'lt', 'le'].includes(op)) {
      throw new ODataError(`expected eq, ne, gt, ge, lt or le after '${name}'${opTok ? ` at position ${opTok.at + 1}` : ''} of $filter`);
    }
    p++;
    return { kind: 'cmp', op: op as 'eq', column: name, value: literal() };
  };
  const unary = (): FilterNode => {
    if (isWord('not')) {
      p++;
      return { kind: 'not', inner: unary() };
    }
    return primary();
  };
  const andExpr = (): FilterNode => {
    let left = unary();
    while (isWord('and')) {
      p++;
      left = { kind: 'and', left, right: unary() };
    }
    return left;
  };
  const orExpr = (): FilterNode => {
    let left = andExpr();
    while (isWord('or')) {
      p++;
      left = { kind: 'or', left, right: andExpr() };
    }
    return left;
  };
  const e = orExpr();
  if (p < toks.length) throw new ODataError(`unexpected '${toks[p]!.v}' at position ${toks[p]!.at + 1} of $filter`);
  return e;
}

/** Columns a filter reads, for validation against the table. */
export function filterColumns(f: FilterNode): string[] {
  switch (f.kind) {
    case 'and':
    case 'or':
      return [...filterColumns(f.left), ...filterColumns(f.right)];
    case 'not':
      return filterColumns(f.inner);
    default:
      return [f.column];
  }
}
