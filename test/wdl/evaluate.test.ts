import { describe, expect, it } from 'vitest';
import { evaluateString, type EvalContext } from '../../src/wdl/evaluate.js';
import { formatInstant, parseTimestamp } from '../../src/wdl/datetime.js';
import { WdlEvalError, WdlUnsupportedError, type WdlValue } from '../../src/wdl/values.js';

const vars: Record<string, WdlValue> = {
  s: 'Hello World',
  n: 42,
  arr: [1, 2, 3],
  obj: { a: 1, Name: 'x', nested: { k: 'v' } },
  t: true,
  nil: null,
  next: 'https://host.example/api/v1.0/t/activity/feed/subscriptions/content?contentType=Audit.General&nextpage=abc123',
};
let guidCounter = 0;
const ctx: EvalContext = {
  now: () => '2026-11-26T08:30:15.1234567Z',
  variable: (n) => {
    if (!(n in vars)) throw new WdlEvalError(`variable '${n}' is not initialized`);
    return vars[n]!;
  },
  parameter: (n) => ({ 'TenantID (admin_TenantID)': 'tenant-1', Minutes: 65 })[n] ?? (() => { throw new WdlEvalError(`no parameter '${n}'`); })(),
  action: (n) => (n === 'H' ? { name: 'H', status: 'Succeeded', outputs: { statusCode: 200, headers: { NextPageUri: 'u' }, body: { value: [1] } } } : n === 'C' ? { name: 'C', status: 'Succeeded', outputs: 'composed' } : null),
  trigger: () => ({ name: 'manual', outputs: { headers: {}, body: { text: 'START' } } }),
  items: (n) => (n === 'Loop' ? { Id: 'e1' } : (() => { throw new WdlEvalError(`no loop '${n}'`); })()),
  item: () => ({ RecordType: 256 }),
  iterationIndexes: () => 0,
  workflow: () => ({ name: 'wf', tags: { flowDisplayName: 'Flow' } }),
  result: () => [],
  guid: () => `00000000-0000-4000-8000-${String(++guidCounter).padStart(12, '0')}`,
};

const table: [string, WdlValue][] = [
  ["@concat('a', 1, true, null)", 'a1True'],
  ["@{variables('n')} items", '42 items'],
  ["@{variables('t')}", 'True'],
  ["@{variables('obj')?['nested']}", '{"k":"v"}'],
  ["@variables('obj')?['missing']", null],
  ["@variables('obj')?['missing']?['deeper']", null],
  ["@variables('obj')['name']", 'x'],
  ["@variables('obj').nested.k", 'v'],
  ["@variables('arr')[1]", 2],
  ["@variables('arr')?[5]", null],
  ["@substring('abcdef', 2)", 'cdef'],
  ["@substring('abcdef', 1, 3)", 'bcd'],
  ["@replace('a\"\"b\"\"', '\"\"', '\"')", 'a"b"'],
  ["@split('a,b,,c', ',')", ['a', 'b', '', 'c']],
  ["@toLower('START')", 'start'],
  ["@toUpper('x')", 'X'],
  ["@trim('  x ')", 'x'],
  ["@indexOf('Hello', 'L')", 2],
  ["@indexOf('Hello', 'z')", -1],
  ["@lastIndexOf('a,b,c', ',')", 3],
  ["@nthIndexOf('a,b,c,d', ',', 3)", 5],
  ["@nthIndexOf('a,b,c,d', ',', 4)", -1],
  ["@startsWith('Hello', 'he')", true],
  ["@endsWith('Hello', 'LO')", true],
  ["@contains('Hello', 'ell')", true],
  ["@contains('Hello', 'ELL')", false],
  ["@contains(createArray(1, 2), 2)", true],
  ["@contains(variables('obj'), 'nested')", true],
  ["@length(variables('arr'))", 3],
  ["@length('abc')", 3],
  ["@empty('')", true],
  ["@empty(null)", true],
  ["@empty(createArray())", true],
  ["@first(variables('arr'))", 1],
  ["@last(variables('arr'))", 3],
  ["@first(createArray())", null],
  ["@skip(variables('arr'), 1)", [2, 3]],
  ["@take(variables('arr'), 2)", [1, 2]],
  ["@union(createArray(1, 2), createArray(2, 3))", [1, 2, 3]],
  ["@intersection(createArray(1, 2, 3), createArray(3, 2, 9))", [2, 3]],
  ["@join(variables('arr'), '-')", '1-2-3'],
  ["@equals(1, 1.0)", true],
  ["@equals('a', 'A')", false],
  ["@and(true, equals(1, 1))", true],
  ["@or(false, false)", false],
  ["@not(true)", false],
  ["@greater(2, 1)", true],
  ["@less('2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z')", true],
  ["@greaterOrEquals(1, 1)", true],
  ["@lessOrEquals(2, 1)", false],
  ["@if(equals(1, 2), 'yes', 'no')", 'no'],
  ["@if(true, 'ok', variables('undefined'))", 'ok'],
  ["@coalesce(null, null, 'x')", 'x'],
  ["@json('{\"a\":[1,2]}')", { a: [1, 2] }],
  ["@string(12)", '12'],
  ["@string(createArray(1))", '[1]'],
  ["@int('-12')", -12],
  ["@float('1.5')", 1.5],
  ["@bool('TRUE')", true],
  ["@add(1, 2)", 3],
  ["@sub(1, 2.5)", -1.5],
  ["@mul(-1, min(60, parameters('Minutes')))", -60],
  ["@div(7, 2)", 3],
  ["@div(7, 2.5)", 2.8],
  ["@mod(7, 3)", 1],
  ["@max(createArray(4, 9, 2))", 9],
  ["@range(3, 3)", [3, 4, 5]],
  ["@base64('hé')", 'aMOp'],
  ["@base64ToString('aMOp')", 'hé'],
  ["@decodeBase64('aMOp')", 'hé'],
  ["@uriComponent('a b&c')", 'a%20b%26c'],
  ["@uriComponentToString('a%20b')", 'a b'],
  ["@uriQuery(variables('next'))", '?contentType=Audit.General&nextpage=abc123'],
  ["@substring(uriQuery(variables('next')), add(indexOf(uriQuery(variables('next')), 'nextpage'), 9))", 'abc123'],
  ["@uriHost(variables('next'))", 'host.example'],
  ['@utcNow()', '2026-11-26T08:30:15.1234567Z'],
  ["@utcNow('yyyy-MM-ddTHH:mm:ss.0000000Z')", '2026-11-26T08:30:15.0000000Z'],
  ["@formatDateTime('2024-02-29T23:59:59Z', 'yyyy-MM-dd')", '2024-02-29'],
  ["@formatDateTime('2024-02-29T23:59:59.5Z', 'o')", '2024-02-29T23:59:59.5000000Z'],
  ["@formatDateTime('2024-02-29T23:59:59+02:00')", '2024-02-29T21:59:59.0000000Z'],
  ["@formatDateTime('2024-03-05T01:02:03Z', 'ddd, d MMM yy h:m:s tt')", 'Tue, 5 Mar 24 1:2:3 AM'],
  ["@formatDateTime('2024-03-05T13:02:03.120Z', 'HH:mm:ss.FFF')", '13:02:03.12'],
  ["@formatDateTime('2024-03-05T13:02:03Z', 'HH:mm:ss.FFF')", '13:02:03'],
  ["@formatDateTime('2024-03-05T13:02:03Z', 's')", '2024-03-05T13:02:03'],
  ["@formatDateTime('2024-03-05T13:02:03Z', 'u')", '2024-03-05 13:02:03Z'],
  ["@formatDateTime('2024-03-05T13:02:03Z', 'r')", 'Tue, 05 Mar 2024 13:02:03 GMT'],
  ["@formatDateTime('2024-03-05T13:02:03Z', '''at'' HH\\h')", 'at 13h'],
  ["@addMinutes('2024-01-01T00:00:00Z', -65)", '2023-12-31T22:55:00.0000000Z'],
  ["@addHours('2024-01-01T00:00:00Z', 25, 'yyyy-MM-ddTHH:mm:ssZ')", '2024-01-02T01:00:00Z'],
  ["@addDays('2024-01-31T00:00:00Z', 1)", '2024-02-01T00:00:00.0000000Z'],
  ["@addToTime('2024-01-31T00:00:00Z', 1, 'Month', 'yyyy-MM-dd')", '2024-02-29'],
  ["@addSeconds(utcNow(), 1)", '2026-11-26T08:30:16.1234567Z'],
  ["@getPastTime(1, 'Hour', 'HH:mm')", '07:30'],
  ["@startOfHour('2024-01-01T10:59:59Z')", '2024-01-01T10:00:00.0000000Z'],
  ["@ticks('0001-01-01T00:00:00Z')", 0],
  ["@sub(ticks('2024-01-01T00:01:00Z'), ticks('2024-01-01T00:00:00Z'))", 600000000],
  ["@parameters('TenantID (admin_TenantID)')", 'tenant-1'],
  ["@body('H')?['value']", [1]],
  ["@outputs('H')['headers']['nextpageuri']", 'u'],
  ["@outputs('C')", 'composed'],
  ["@body('Never')", null],
  ["@triggerBody()['text']", 'START'],
  ["@triggerOutputs()?['body']?['text']", 'START'],
  ["@items('Loop')?['Id']", 'e1'],
  ["@equals(item()?['RecordType'], 256)", true],
  ["@workflow()?['tags']['flowDisplayName']", 'Flow'],
  ['@guid()', '00000000-0000-4000-8000-000000000001'],
  ["@guid('N')", '00000000000040008000000000000002'],
  ['@@literal', '@literal'],
  // Function names are case-insensitive (real flows write utcnow(), adddays()).
  ["@ToLower('A')", 'a'],
  ["@startOfMonth('2026-03-17T10:20:30Z')", '2026-03-01T00:00:00.0000000Z'],
  ["@chunk(createArray(1, 2, 3, 4, 5), 2)", [[1, 2], [3, 4], [5]]],
  ["@chunk('abcde', 2)", ['ab', 'cd', 'e']],
  ["@isInt('42')", true],
  ["@isInt('4.2')", false],
  ["@isFloat('4.2')", true],
  ["@isFloat('x')", false],
  // The designer's path syntax (learn.microsoft.com/power-automate/dataverse/create-update-delete-trigger
  // reads `triggerOutputs()['body/SdkMessage']`): 'a/b/c' is ['a']['b']['c'].
  ["@triggerOutputs()?['body/text']", 'START'],
  ["@triggerOutputs()['body/text']", 'START'],
  ["@outputs('H')?['body/value']", [1]],
  ["@outputs('H')?['body/value/0']", 1],
  ["@outputs('H')?['headers/nextpageuri']", 'u'],
  ["@variables('obj')?['nested/k']", 'v'],
  ["@variables('obj')?['nested/missing/deeper']", null],
  ["@variables('obj')?['a/b']", null],
  ["@equals(variables('obj')?['nested/k'], variables('obj')?['nested']?['k'])", true],
  ['a @@{x}', 'a @{x}'],
  ['no expression', 'no expression'],
];

describe('evaluateString', () => {
  it.each(table)('%s', (text, expected) => {
    expect(evaluateString(text, ctx)).toEqual(expected);
  });
});

describe('evaluation errors name the construct', () => {
  const bad: [string, RegExp][] = [
    ["@variables('obj')['missing']", /property 'missing' does not exist in variables\('obj'\); available properties: 'a', 'Name', 'nested'/],
    ["@variables('nil')['x']", /cannot read \["x"\] of variables\('nil'\): it is null/],
    ["@variables('obj')['nested/missing']", /property 'missing' of the path 'nested\/missing' does not exist in variables\('obj'\)\/nested; available properties: 'k'/],
    ["@variables('arr')[7]", /index 7 is outside the array/],
    ["@variables('undefined')", /variable 'undefined' is not initialized/],
    ["@substring('abc', 2, 5)", /past the end/],
    ["@int('x1')", /cannot be converted to an integer/],
    ["@json('{')", /not valid JSON/],
    ["@length(null)", /length: the argument must be a string or an array/],
    ["@div(1, 0)", /division by zero/],
    ["@formatDateTime('yesterday')", /not a valid timestamp/],
    ["@formatDateTime('2024-01-01T00:00:00Z', 'Q')", /not a supported standard/],
    ["@add('1', 2)", /add: the first argument must be a number/],
    ["@greater('a', 1)", /cannot compare String with Integer/],
    ["@and(1, true)", /and: the argument 1 must be a boolean/],
    ["@concat(", /does not parse/],
    ["@body('C')", /have no body/],
    // and/or evaluate every argument (only if() is lazy): a null timestamp fails even after a true operand.
    ["@or(true, less(ticks(null), 1))", /ticks: the timestamp must be a string, not Null/],
  ];
  it.each(bad)('%s', (text, message) => {
    expect(() => evaluateString(text, ctx)).toThrow(WdlEvalError);
    expect(() => evaluateString(text, ctx)).toThrow(message);
  });
  it('an unknown function is outside the subset, not an evaluation error', () => {
    expect(() => evaluateString("@xpath(xml('<a/>'), '/a')", ctx)).toThrow(WdlUnsupportedError);
    expect(() => evaluateString("@xpath(xml('<a/>'), '/a')", ctx)).toThrow(/the function 'xpath'/);
  });
});

describe('dates', () => {
  it('keeps 7 fractional digits through parse and format', () => {
    expect(formatInstant(parseTimestamp('2024-01-01T00:00:00.9876543Z', 't'), 'o')).toBe('2024-01-01T00:00:00.9876543Z');
  });
  it('rejects impossible dates', () => expect(() => parseTimestamp('2023-02-29T00:00:00Z', 'f')).toThrow(/no such date/));
});
