import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertCsv, inspectCsv, splitCsv } from '../../src/csv/index.js';
import { HAS_SHARED, SHARED_DIR, SHARED_SKIP_REASON } from '../helpers/shared.js';
import { fixture, tmp } from './helpers.js';

describe.skipIf(!HAS_SHARED)(`the shared synthetic export (../shared/tools/gen-purview-csv.mjs)${HAS_SHARED ? '' : ` — ${SHARED_SKIP_REASON}`}`, () => {
  it('is read without a malformed record, split byte for byte and deduplicated by record id', async () => {
    const r = spawnSync(process.execPath, [join(SHARED_DIR, 'tools', 'gen-purview-csv.mjs'), '1200', '5', '--tricky'], { encoding: 'utf8', maxBuffer: 1 << 26 });
    expect(r.status).toBe(0);
    const file = fixture(r.stdout);
    const ins = await inspectCsv({ file });
    expect(ins).toMatchObject({ layout: 'current', bom: true, lineEnd: 'crlf', records: 1200, validRecords: 1200, malformedRecords: 0 });
    expect(ins.launchPowerApp + (ins.operations['DeletePowerApp'] ?? 0)).toBe(1200);

    const out = tmp();
    const split = await splitCsv({ file, rows: 500, outputDirectory: out });
    expect(split.parts.map((p) => p.records)).toEqual([500, 500, 200]);
    const header = r.stdout.slice(0, r.stdout.indexOf('\r\n') + 2);
    const joined = split.parts.map((p) => readFileSync(join(out, p.file), 'utf8').slice(header.length)).join('');
    expect(header + joined).toBe(r.stdout);

    const ids = new Set(r.stdout.split('\r\n').slice(1).map((l) => /^([0-9a-f-]{36}),/.exec(l)?.[1]).filter((x) => x));
    const conv = await convertCsv({ file, to: 'ndjson', dedupe: true }, () => {});
    expect(conv.written).toBe(ids.size);
  });
});
