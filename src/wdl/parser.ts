import type { WdlExpr, WdlTemplate, WdlTemplatePart } from './ast.js';

/**
 * A syntax error in a Workflow Definition Language string. `offset` is 0-based into the string that was
 * parsed; `line` and `column` are 1-based (a string value may hold line breaks). `reason` is the message
 * without the position.
 */
export class WdlSyntaxError extends Error {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
  readonly reason: string;
  constructor(reason: string, text: string, offset: number) {
    const { line, column } = positionOf(text, offset);
    super(`${reason} (line ${line}, column ${column})`);
    this.name = 'WdlSyntaxError';
    this.reason = reason;
    this.offset = offset;
    this.line = line;
    this.column = column;
  }
}

/** 1-based line and column of a 0-based offset in `text`. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * True when the engine treats the string as holding an expression: it starts with `@` (but not `@@`),
 * or contains an `@{` interpolation that is not escaped as `@@{`.
 */
export function isExpressionString(text: string): boolean {
  if (text.startsWith('@@')) return false;
  if (text.startsWith('@')) return true;
  for (let i = text.indexOf('@{'); i >= 0; i = text.indexOf('@{', i + 2)) {
    if (i === 0 || text[i - 1] !== '@') return true;
  }
  return false;
}

/**
 * Parses a JSON string value of a workflow definition: `@expr` (whole value), `@@…` (escaped literal),
 * text with `@{…}` interpolations, or plain text. Throws WdlSyntaxError with the position of the problem.
 */
export function parseTemplate(text: string): WdlTemplate {
  if (text.startsWith('@@')) return { kind: 'literal', value: text.slice(1) };
  if (text.startsWith('@') && !text.startsWith('@{')) {
    const p = new Parser(text, 1);
    p.skipSpace();
    if (p.atEnd()) throw p.error('empty expression after \'@\'', 1);
    const expr = p.parseExpr();
    p.skipSpace();
    if (!p.atEnd()) throw p.error(`unexpected ${p.describeHere()} after the expression`);
    return { kind: 'expression', expr };
  }
  const parts: WdlTemplatePart[] = [];
  let text0 = '';
  let i = 0;
  let sawExpr = false;
  while (i < text.length) {
    const at = text.indexOf('@', i);
    if (at < 0) {
      text0 += text.slice(i);
      break;
    }
    text0 += text.slice(i, at);
    if (text.startsWith('@@{', at)) {
      text0 += '@{';
      i = at + 3;
      continue;
    }
    if (text[at + 1] !== '{') {
      text0 += '@';
      i = at + 1;
      continue;
    }
    if (text0) parts.push({ kind: 'text', value: text0 });
    text0 = '';
    const p = new Parser(text, at + 2);
    p.skipSpace();
    if (p.peek() === '}') throw p.error('empty interpolation \'@{}\'');
    if (p.atEnd()) throw p.error('unterminated interpolation: expected an expression and \'}\'');
    const expr = p.parseExpr();
    p.skipSpace();
    if (p.peek() !== '}') throw p.error(p.atEnd() ? 'unterminated interpolation: expected \'}\'' : `expected '}' to close the interpolation, found ${p.describeHere()}`);
    parts.push({ kind: 'expr', expr });
    sawExpr = true;
    i = p.pos + 1;
  }
  if (!sawExpr) return { kind: 'literal', value: text0 };
  if (text0) parts.push({ kind: 'text', value: text0 });
  return { kind: 'interpolation', parts };
}

/** Parses a bare expression (the part after `@`, or inside `@{…}`), e.g. `concat('a', variables('b'))`. */
export function parseExpression(text: string): WdlExpr {
  const p = new Parser(text, 0);
  p.skipSpace();
  if (p.atEnd()) throw p.error('empty expression');
  const expr = p.parseExpr();
  p.skipSpace();
  if (!p.atEnd()) throw p.error(`unexpected ${p.describeHere()} after the expression`);
  return expr;
}

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;
const MEMBER_PART = /[A-Za-z0-9_$]/;

class Parser {
  constructor(
    readonly text: string,
    public pos: number,
  ) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }
  peek(k = 0): string {
    return this.text[this.pos + k] ?? '';
  }
  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }
  error(reason: string, at = this.pos): WdlSyntaxError {
    return new WdlSyntaxError(reason, this.text, at);
  }
  describeHere(): string {
    if (this.atEnd()) return 'end of text';
    return `'${this.text[this.pos]}'`;
  }

  parseExpr(): WdlExpr {
    this.skipSpace();
    let expr = this.parsePrimary();
    for (;;) {
      this.skipSpace();
      const c = this.peek();
      if (c === '?' && (this.peek(1) === '[' || this.peek(1) === '.')) {
        this.pos++;
        expr = this.parseAccess(expr, true);
      } else if (c === '[' || c === '.') {
        expr = this.parseAccess(expr, false);
      } else if (c === '?') {
        throw this.error("expected '[' or '.' after '?'", this.pos + 1);
      } else {
        return expr;
      }
    }
  }

  private parseAccess(object: WdlExpr, optional: boolean): WdlExpr {
    const c = this.peek();
    if (c === '[') {
      this.pos++;
      this.skipSpace();
      if (this.peek() === ']') throw this.error('empty index \'[]\'');
      if (this.atEnd()) throw this.error("unterminated index: expected an expression and ']'");
      const index = this.parseExpr();
      this.skipSpace();
      if (this.peek() !== ']') throw this.error(`expected ']' to close the index, found ${this.describeHere()}`);
      this.pos++;
      return { kind: 'index', object, index, optional, start: object.start, end: this.pos };
    }
    // '.'
    this.pos++;
    const s = this.pos;
    while (this.pos < this.text.length && MEMBER_PART.test(this.text[this.pos]!)) this.pos++;
    if (this.pos === s) throw this.error(`expected a property name after '.', found ${this.describeHere()}`);
    return { kind: 'member', object, property: this.text.slice(s, this.pos), optional, start: object.start, end: this.pos };
  }

  private parsePrimary(): WdlExpr {
    const start = this.pos;
    const c = this.peek();
    if (c === '') throw this.error('expected an expression, found end of text');
    if (c === "'") return this.parseString();
    if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(this.peek(1)))) return this.parseNumber();
    if (IDENT_START.test(c)) {
      while (this.pos < this.text.length && IDENT_PART.test(this.text[this.pos]!)) this.pos++;
      const name = this.text.slice(start, this.pos);
      const save = this.pos;
      this.skipSpace();
      if (this.peek() === '(') {
        this.pos++;
        return this.parseCall(name, start);
      }
      this.pos = save;
      if (name === 'true' || name === 'false') return { kind: 'boolean', value: name === 'true', start, end: this.pos };
      if (name === 'null') return { kind: 'null', start, end: this.pos };
      throw this.error(`'${name}' is not a literal; a function call needs '(' after the name`, start);
    }
    if (c === '"') throw this.error('string literals use single quotes, not double quotes');
    throw this.error(`unexpected '${c}': expected a function call, a string, a number, true, false or null`);
  }

  private parseCall(name: string, start: number): WdlExpr {
    const args: WdlExpr[] = [];
    this.skipSpace();
    if (this.peek() === ')') {
      this.pos++;
      return { kind: 'call', name, args, start, end: this.pos };
    }
    for (;;) {
      this.skipSpace();
      if (this.atEnd()) throw this.error(`unterminated call of '${name}': expected an argument and ')'`);
      if (this.peek() === ',' || this.peek() === ')') throw this.error(`missing argument in the call of '${name}'`);
      args.push(this.parseExpr());
      this.skipSpace();
      const c = this.peek();
      if (c === ',') {
        this.pos++;
        continue;
      }
      if (c === ')') {
        this.pos++;
        return { kind: 'call', name, args, start, end: this.pos };
      }
      if (c === '') throw this.error(`unterminated call of '${name}': expected ',' or ')'`);
      throw this.error(`expected ',' or ')' in the call of '${name}', found ${this.describeHere()}`);
    }
  }

  private parseString(): WdlExpr {
    const start = this.pos;
    this.pos++;
    let value = '';
    for (;;) {
      const q = this.text.indexOf("'", this.pos);
      if (q < 0) throw this.error('unterminated string literal: expected a closing \'', start);
      value += this.text.slice(this.pos, q);
      if (this.text[q + 1] === "'") {
        value += "'";
        this.pos = q + 2;
        continue;
      }
      this.pos = q + 1;
      return { kind: 'string', value, start, end: this.pos };
    }
  }

  private parseNumber(): WdlExpr {
    const start = this.pos;
    const m = /^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.text.slice(this.pos));
    const lit = m![0];
    this.pos += lit.length;
    if (this.peek() === '.' && /[0-9]/.test(this.peek(1)) === false && !MEMBER_PART.test(this.peek(1))) {
      throw this.error('a number cannot end with \'.\'');
    }
    if (IDENT_PART.test(this.peek())) throw this.error(`unexpected '${this.peek()}' in a number`);
    const integer = m![1] === undefined && m![2] === undefined;
    return { kind: 'number', value: Number(lit), integer, start, end: this.pos };
  }
}
