import { describe, expect, it } from 'vitest';
import {
  checkFlowExpressions,
  isExpressionString,
  parseExpression,
  parseTemplate,
  walkFlowExpressions,
  WdlSyntaxError,
  type WdlExpr,
} from '../../src/wdl/index.js';

/** A compact rendering of the tree, so the tables stay readable. */
function show(e: WdlExpr): string {
  switch (e.kind) {
    case 'string':
      return `'${e.value.replace(/'/g, "''")}'`;
    case 'number':
      return e.integer ? `${e.value}` : `${e.value}f`;
    case 'boolean':
      return String(e.value);
    case 'null':
      return 'null';
    case 'call':
      return `${e.name}(${e.args.map(show).join(', ')})`;
    case 'member':
      return `${show(e.object)}${e.optional ? '?' : ''}.${e.property}`;
    case 'index':
      return `${show(e.object)}${e.optional ? '?' : ''}[${show(e.index)}]`;
  }
}

const good: [string, string][] = [
  ["@variables('x')", "variables('x')"],
  ["@concat('a', variables('b'), 'c')", "concat('a', variables('b'), 'c')"],
  ["@utcNow()", 'utcNow()'],
  ["@  trim( ' x ' )  ", "trim(' x ')"],
  ["@'it''s'", "'it''s'"],
  ["@''", "''"],
  ['@42', '42'],
  ['@-5', '-5'],
  ['@3.25', '3.25f'],
  ['@-0.5', '-0.5f'],
  ['@1e3', '1000f'],
  ['@true', 'true'],
  ['@false', 'false'],
  ['@null', 'null'],
  ["@body('P')?['value']", "body('P')?['value']"],
  ["@body('P')['value'][0]", "body('P')['value'][0]"],
  ["@triggerBody()?['file']?['contentBytes']", "triggerBody()?['file']?['contentBytes']"],
  ["@outputs('H').headers", "outputs('H').headers"],
  ["@outputs('H')?.headers?.NextPageUri", "outputs('H')?.headers?.NextPageUri"],
  ["@items('Loop')?['Id']", "items('Loop')?['Id']"],
  ["@mul(-1, min(60, parameters('Minutes (admin_X)')))", "mul(-1, min(60, parameters('Minutes (admin_X)')))"],
  ["@workflow()?['tags']['flowDisplayName']", "workflow()?['tags']['flowDisplayName']"],
  ["@body('x')[add(1, 2)]", "body('x')[add(1, 2)]"],
  ["@createArray()", 'createArray()'],
  ["@if(equals(1, 1), 'a', 'b')", "if(equals(1, 1), 'a', 'b')"],
  ["@json('{\"a\": \"}\"}')", `json('{"a": "}"}')`],
];

describe('parseTemplate: whole-value expressions', () => {
  it.each(good)('%s', (text, expected) => {
    const t = parseTemplate(text);
    expect(t.kind).toBe('expression');
    if (t.kind === 'expression') expect(show(t.expr)).toBe(expected);
  });
});

describe('parseTemplate: interpolation and literals', () => {
  const cases: [string, string][] = [
    ['plain text', 'L:plain text'],
    ['', 'L:'],
    ['user@example.com', 'L:user@example.com'],
    ['@@abc', 'L:@abc'],
    ['@@{x}', 'L:@{x}'],
    ['a @@{x} b', 'L:a @{x} b'],
    ["@{variables('a')}", "I:{variables('a')}"],
    ["x-@{variables('a')}-y", "I:x-|{variables('a')}|-y"],
    ["@{parameters('A')}/api/v1.0/@{parameters('T')}/activity", "I:{parameters('A')}|/api/v1.0/|{parameters('T')}|/activity"],
    ["@{ concat('}', '{') }!", "I:{concat('}', '{')}|!"],
    ["a@{1}@{2}", 'I:a|{1}|{2}'],
    ["admin_apps(@{outputs('AppIdFound')})", "I:admin_apps(|{outputs('AppIdFound')}|)"],
  ];
  it.each(cases)('%j', (text, expected) => {
    const t = parseTemplate(text);
    let got: string;
    if (t.kind === 'literal') got = `L:${t.value}`;
    else if (t.kind === 'interpolation') got = 'I:' + t.parts.map((p) => (p.kind === 'text' ? p.value : `{${show(p.expr)}}`)).join('|');
    else got = `E:${show(t.expr)}`;
    expect(got).toBe(expected);
  });
});

describe('parseTemplate: syntax errors carry positions', () => {
  const bad: [string, number, number, RegExp][] = [
    // text, line, column, message
    ['@', 1, 2, /empty expression/],
    ["@concat('a'", 1, 12, /unterminated call of 'concat'/],
    ["@concat('a' 'b')", 1, 13, /expected ',' or '\)'/],
    ["@concat('a',)", 1, 13, /missing argument/],
    ["@concat(,'a')", 1, 9, /missing argument/],
    ["@variables('x", 1, 12, /unterminated string literal/],
    ['@foo', 1, 2, /'foo' is not a literal/],
    ['@"x"', 1, 2, /single quotes/],
    ["@variables('x') extra", 1, 17, /unexpected 'e' after the expression/],
    ["@body('x')[]", 1, 12, /empty index/],
    ["@body('x')['a'", 1, 15, /expected '\]'/],
    ["@body('x')?", 1, 12, /expected '\[' or '\.' after '\?'/],
    ["@body('x').", 1, 12, /property name/],
    ['@{}', 1, 3, /empty interpolation/],
    ["a @{variables('x') b", 1, 20, /expected '}'/],
    ["a @{variables('x')", 1, 19, /unterminated interpolation/],
    ['@{', 1, 3, /unterminated interpolation/],
    ["line1\n@{concat(}", 2, 10, /unexpected '}'/],
    ['@12abc', 1, 4, /in a number/],
    ['@+1', 1, 2, /unexpected '\+'/],
  ];
  it.each(bad)('%j', (text, line, column, message) => {
    let err: unknown;
    try {
      parseTemplate(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(WdlSyntaxError);
    const e = err as WdlSyntaxError;
    expect(e.reason).toMatch(message);
    expect([e.line, e.column]).toEqual([line, column]);
    expect(e.message).toContain(`line ${line}, column ${column}`);
  });
});

describe('parseExpression', () => {
  it('parses a bare expression with offsets', () => {
    const e = parseExpression("  add(1, 2)");
    expect(show(e)).toBe('add(1, 2)');
    expect([e.start, e.end]).toEqual([2, 11]);
  });
  it('rejects trailing text', () => expect(() => parseExpression("add(1,2))")).toThrow(WdlSyntaxError));
});

describe('isExpressionString', () => {
  it.each([
    ['@x()', true],
    ['@@x', false],
    ['a@{b()}', true],
    ['a@@{b}', false],
    ['mail@host', false],
    ['', false],
  ] as const)('%j → %s', (text, expected) => expect(isExpressionString(text)).toBe(expected));
});

describe('walkFlowExpressions', () => {
  const flow = {
    properties: {
      definition: {
        $schema: '@not-walked',
        parameters: { P: { defaultValue: '@not-walked' } },
        description: '@not-walked',
        triggers: { manual: { type: 'Request', kind: 'Button', inputs: { schema: {} } } },
        actions: {
          A: { type: 'Compose', inputs: "@concat('a', 'b')", metadata: { x: '@no' }, runAfter: {} },
          S: {
            type: 'Scope',
            actions: { B: { type: 'Compose', inputs: { k: ['x', "@{variables('v')}"] } } },
          },
          I: {
            type: 'If',
            expression: { and: [{ equals: ["@variables('a')", 1] }] },
            actions: {},
            else: { actions: { C: { type: 'Compose', inputs: '@bad(' } } },
          },
          W: { type: 'Switch', expression: '@1', cases: { c1: { case: 'x', actions: { D: { type: 'Compose', inputs: '@@lit' } } } }, default: { actions: {} } },
        },
      },
    },
  };
  it('yields every evaluated expression string with its path', () => {
    expect([...walkFlowExpressions(flow)].map((s) => [s.path.join('/'), s.text])).toEqual([
      ['properties/definition/actions/A/inputs', "@concat('a', 'b')"],
      ['properties/definition/actions/S/actions/B/inputs/k/1', "@{variables('v')}"],
      ['properties/definition/actions/I/expression/and/0/equals/0', "@variables('a')"],
      ['properties/definition/actions/I/else/actions/C/inputs', '@bad('],
      ['properties/definition/actions/W/expression', '@1'],
    ]);
  });
  it('accepts the bare definition too', () => {
    const paths = [...walkFlowExpressions(flow.properties.definition)].map((s) => s.path.join('/'));
    expect(paths[0]).toBe('actions/A/inputs');
  });
  it('checkFlowExpressions reports the strings that fail, with the error', () => {
    const errors = checkFlowExpressions(flow);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.path).toEqual(['properties', 'definition', 'actions', 'I', 'else', 'actions', 'C', 'inputs']);
    expect(errors[0]!.error.column).toBe(6);
  });
});
