import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertCsv } from '../../src/csv/index.js';
import { inspectJsonText } from '../../src/csv/json-text.js';
import { runBuiltCli } from '../helpers/run-cli.js';
import { CURRENT_HEADER, fixture, q, tmp } from './helpers.js';

const row = (auditJson: string, id = 'r1') => `${id},"9/20/2023 4:05:03 AM",256,LaunchPowerApp,u@contoso.com,${q(auditJson)},,\r\n`;
const AUDIT = (extra: string) => `{"Id":"a1","CreationTime":"2025-03-04T05:06:07","Operation":"LaunchPowerApp","RecordType":256,"UserId":"u@contoso.com"${extra}}`;

async function convert(content: string | Buffer, opts: { to?: 'ndjson' | 'csv'; strict?: boolean } = {}) {
  let out = '';
  const r = await convertCsv({ file: fixture(content), to: opts.to ?? 'ndjson', strict: opts.strict ?? false }, (t) => (out += t));
  return { r, out };
}

describe('inspectJsonText', () => {
  it('compacts without touching numbers, escapes or key order, finds duplicate keys (decoded) and the depth limit', () => {
    const t = inspectJsonText('{ "n" : 12345678901234567890123 ,\n "x": [1.50, -0e0, "a\\u0062\\"{"], "\\u006e": {} }');
    expect(t.compact).toBe('{"n":12345678901234567890123,"x":[1.50,-0e0,"a\\u0062\\"{"],"\\u006e":{}}');
    expect(t.duplicateKeys).toEqual(['n']);
    expect(t.tooDeep).toBe(false);
    expect(inspectJsonText('{"a":{"a":1},"b":[{"a":1},{"a":2}]}').duplicateKeys).toEqual([]);
    expect(inspectJsonText('['.repeat(257) + ']'.repeat(257)).tooDeep).toBe(true);
  });
});

describe('csv convert keeps data exactly and reports what it cannot', () => {
  it('numbers stay as written in NDJSON and in the AuditData column of CSV', async () => {
    const audit = AUDIT(',"Big":12345678901234567890123,"Frac":0.10000000000000000001,"Exp":1E400');
    const { r, out } = await convert(CURRENT_HEADER + '\r\n' + row(audit));
    expect(r.written).toBe(1);
    expect(out).toBe(audit + '\n');
    const csv = await convert(CURRENT_HEADER + '\r\n' + row(audit), { to: 'csv' });
    expect(csv.out).toContain(q(audit));
    expect(csv.out).not.toContain('e+22');
  });

  it('invalid UTF-8 and duplicate keys are findings; --strict skips those records', async () => {
    const bad = Buffer.from(CURRENT_HEADER + '\r\n' + row(AUDIT(',"Name":"cafX"'), 'r1'));
    bad[bad.indexOf('cafX') + 3] = 0xe9; // Latin-1 é: not UTF-8
    const dup = row(AUDIT(',"UserId":"other@contoso.com"'), 'r2');
    const ok = row(AUDIT(''), 'r3');
    const content = Buffer.concat([bad, Buffer.from(dup + ok)]);
    let { r, out } = await convert(content);
    expect(r.written).toBe(3);
    expect(r.findings).toEqual([
      { line: 2, kind: 'invalid-utf8', message: expect.stringMatching(/not valid UTF-8/) },
      { line: 3, kind: 'duplicate-key', message: expect.stringMatching(/"UserId" twice/) },
    ]);
    expect(r.findingCount).toBe(2);
    ({ r, out } = await convert(content, { strict: true }));
    expect([r.written, r.skippedStrict]).toEqual([1, 2]);
    expect(out).toBe(AUDIT('') + '\n');
  });

  it('the CLI exits 1 with the findings on stderr (one line each, file:line), the output still written', async () => {
    const file = fixture(CURRENT_HEADER + '\r\n' + row(AUDIT(',"Id":"a2"')));
    const outFile = join(tmp(), 'out.ndjson');
    const r = await runBuiltCli(['csv', 'convert', file, '--to', 'ndjson', '--output-file', outFile]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${file}:2: written with a finding (duplicate-key): AuditData has the key "Id" twice in one object`);
    expect(readFileSync(outFile, 'utf8')).toBe(AUDIT(',"Id":"a2"') + '\n');
    const s = await runBuiltCli(['csv', 'convert', file, '--to', 'ndjson', '--strict']);
    expect([s.status, s.stdout]).toEqual([1, '']);
    expect(s.stderr).toContain(`${file}:2: skipped (duplicate-key)`);
  });
});
