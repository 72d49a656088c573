/**
 * The syntax tree of Workflow Definition Language expressions. Every node carries `start`/`end`, 0-based
 * offsets into the string it was parsed from (end exclusive).
 */

export type WdlExpr =
  | { kind: 'string'; value: string; start: number; end: number }
  | { kind: 'number'; value: number; integer: boolean; start: number; end: number }
  | { kind: 'boolean'; value: boolean; start: number; end: number }
  | { kind: 'null'; start: number; end: number }
  | { kind: 'call'; name: string; args: WdlExpr[]; start: number; end: number }
  /** `x.prop` or `x?.prop` */
  | { kind: 'member'; object: WdlExpr; property: string; optional: boolean; start: number; end: number }
  /** `x[expr]` or `x?[expr]` */
  | { kind: 'index'; object: WdlExpr; index: WdlExpr; optional: boolean; start: number; end: number };

/** One piece of an interpolated string: literal text or an `@{…}` expression. */
export type WdlTemplatePart = { kind: 'text'; value: string } | { kind: 'expr'; expr: WdlExpr };

/**
 * A JSON string value as the workflow engine reads it:
 * - `literal`: no expression (text is the value, with a leading `@@` or `@@{` escape already undone);
 * - `expression`: the whole value is one `@expr` and keeps the expression's type;
 * - `interpolation`: text with `@{…}` parts; the result is always a string.
 */
export type WdlTemplate =
  | { kind: 'literal'; value: string }
  | { kind: 'expression'; expr: WdlExpr }
  | { kind: 'interpolation'; parts: WdlTemplatePart[] };
