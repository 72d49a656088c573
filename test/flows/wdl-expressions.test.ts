import { describe, expect, it } from 'vitest';
import { loadSolutionSource } from '../../src/audit-solution/index.js';
import { buildFlows, CSV_DISPLAY_NAME, SYNC_DISPLAY_NAME, type FlowSource } from '../../src/flows/index.js';
import { checkFlowExpressions } from '../../src/wdl/index.js';
import { evaluateString, type EvalContext } from '../../src/wdl/evaluate.js';
import type { WdlValue } from '../../src/wdl/values.js';

const source = loadSolutionSource();
const flows = buildFlows({ envVars: source.environmentVariables, connectionReferenceLogicalName: 'admin_CoECoreDataverseForApps' });
const flow = (n: string): FlowSource => flows.find((f) => f.displayName === n)!;

type A = Record<string, unknown>;
function find(actions: Record<string, A>, name: string): A | undefined {
  for (const [n, a] of Object.entries(actions)) {
    if (n === name) return a;
    for (const inner of [a.actions, (a.else as A | undefined)?.actions]) {
      if (inner) {
        const hit = find(inner as Record<string, A>, name);
        if (hit) return hit;
      }
    }
  }
  return undefined;
}

/** A tiny context: recorded action outputs, a trigger body, and an item stack for Select/Query. */
class Ctx implements EvalContext {
  outputs = new Map<string, WdlValue>();
  itemStack: WdlValue[] = [];
  constructor(private readonly triggerBody: WdlValue) {}
  now = () => '2026-01-01T00:00:00.0000000Z';
  variable = (_name: string): WdlValue => null;
  parameter = (_name: string): WdlValue => null;
  action = (name: string): WdlValue => (this.outputs.has(name) ? { name, status: 'Succeeded', outputs: this.outputs.get(name)! } : null);
  trigger = (): WdlValue => ({ name: 'manual', outputs: { headers: {}, body: this.triggerBody } });
  items = (): WdlValue => this.itemStack[this.itemStack.length - 1]!;
  item = (): WdlValue => this.itemStack[this.itemStack.length - 1]!;
  iterationIndexes = (): WdlValue => 0;
  workflow = (): WdlValue => ({});
  result = (): WdlValue => [];
  guid = () => '00000000-0000-0000-0000-000000000000';
}

/** Runs the CSV flow's parsing actions (Compose, Select, Query) with the project's WDL evaluator. */
function parseCsv(csv: string): { records: string[][]; auditColumn: number } {
  const actions = (flow(CSV_DISPLAY_NAME).json.properties as { definition: { actions: Record<string, A> } }).definition.actions;
  const ctx = new Ctx({ file: { name: 'x.csv', contentBytes: Buffer.from(csv, 'utf8').toString('base64') } });
  const compose = (n: string) => ctx.outputs.set(n, evaluateString(String(find(actions, n)!.inputs), ctx));
  const each = (n: string, key: 'select' | 'where') => {
    const inputs = find(actions, n)!.inputs as Record<string, string>;
    const from = evaluateString(inputs.from!, ctx) as WdlValue[];
    const out: WdlValue[] = [];
    for (const it of from) {
      ctx.itemStack.push(it);
      const v = evaluateString(inputs[key]!, ctx);
      ctx.itemStack.pop();
      if (key === 'select') out.push(v);
      else if (v === true) out.push(it);
    }
    ctx.outputs.set(n, { body: out });
  };
  for (const n of ['Csv_text', 'Csv_without_bom', 'Quote_segments']) compose(n);
  each('Resolve_quoting', 'select');
  for (const n of ['Csv_records', 'Header_fields']) compose(n);
  each('Find_AuditData_column', 'where');
  const records = (ctx.outputs.get('Csv_records') as string[]).map((r) => r.split('\x1f'));
  const column = ((ctx.outputs.get('Find_AuditData_column') as { body: number[] }).body[0] ?? -1) as number;
  return { records, auditColumn: column };
}

const auditData = (id: string, extra = '') =>
  `{"CreationTime":"2025-01-15T09:12:44","Id":"${id}","Operation":"LaunchPowerApp","RecordType":256,"UserId":"a@b.c","Workload":"PowerPlatform","PropertyCollection":[{"Name":"powerplatform.analytics.resource.power_app.id","Value":"a81399c4-8e32-4460-b0d6-69d7d6c404e5"}]${extra}}`;
const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;

describe('flow expressions', () => {
  it('all parse with the project WDL parser', () => {
    for (const f of flows) expect(checkFlowExpressions(f.json), f.displayName).toEqual([]);
  });
});

describe('CSV loader parsing, evaluated with the project WDL evaluator', () => {
  it('reads the 8-column Purview layout with CRLF, a BOM, quoted JSON, commas and a line break in a field', () => {
    const header = 'RecordId,CreationDate,RecordType,Operation,UserId,AuditData,AssociatedAdminUnits,AssociatedAdminUnitsNames';
    const row1 = `id-1,2025-01-15T09:12:44.0000000Z ,256,LaunchPowerApp,a@b.c,${quote(auditData('id-1', ',"Note":"x, y \\r\\n z"'))},,`;
    const row2 = `id-2,"1/15/2025 9:12:44 AM",256,LaunchPowerApp,"Doe, Jane",${quote(auditData('id-2', ',"Multi":"line1\r\nline2"'))},,`;
    const { records, auditColumn } = parseCsv(`\ufeff${header}\r\n${row1}\r\n${row2}\r\n`);
    expect(auditColumn).toBe(5);
    expect(records[0]).toEqual(header.split(','));
    expect(records).toHaveLength(4); // header, two rows, and the empty record after the final CRLF
    expect(JSON.parse(records[1]![5]!)).toMatchObject({ Id: 'id-1', Note: 'x, y \r\n z' });
    expect(records[2]![4]).toBe('Doe, Jane');
    expect(JSON.parse(records[2]![5]!.replace(/\r\n/g, '\\r\\n'))).toMatchObject({ Id: 'id-2' });
    expect(records[3]).toEqual(['']);
  });

  it('reads the legacy 4-column layout with LF line ends', () => {
    const csv = `CreationDate,UserIds,Operations,AuditData\n2025-01-15T09:12:44,a@b.c,LaunchPowerApp,${quote(auditData('id-3'))}\n`;
    const { records, auditColumn } = parseCsv(csv);
    expect(auditColumn).toBe(3);
    expect(JSON.parse(records[1]![3]!)).toMatchObject({ Id: 'id-3', RecordType: 256 });
  });

  it('keeps a field that is only a doubled quote, and empty quoted fields', () => {
    const { records } = parseCsv('a,AuditData,c\n"""","",x\n');
    expect(records[1]).toEqual(['"', '', 'x']);
  });
});

describe('Sync window expressions, evaluated', () => {
  const actions = (flow(SYNC_DISPLAY_NAME).json.properties as { definition: { actions: Record<string, A> } }).definition.actions;
  function window(endAgo: number, lookBack: number, watermark: string): [string, string, string] {
    const ctx = new Ctx(null);
    ctx.parameter = (name: string) => (name.includes('End Time') ? endAgo : lookBack);
    ctx.outputs.set('Now', '2026-01-10T12:00:00.0000000Z');
    ctx.outputs.set('Stored_watermark', watermark);
    for (const n of ['End_minutes_ago', 'Run_end', 'Oldest_start', 'First_start']) {
      ctx.outputs.set(n, evaluateString(String(find(actions, n)!.inputs), ctx));
    }
    return [ctx.outputs.get('First_start') as string, ctx.outputs.get('Run_end') as string, ctx.outputs.get('Oldest_start') as string];
  }

  it.each([
    [0, 65, '', '2026-01-10T10:55:00Z', '2026-01-10T12:00:00Z'],
    [120, 60, '', '2026-01-10T09:00:00Z', '2026-01-10T10:00:00Z'],
    [0, 5000, '', '2026-01-09T12:00:00Z', '2026-01-10T12:00:00Z'],
    [0, 65, '2026-01-08T03:00:00Z', '2026-01-08T03:00:00Z', '2026-01-10T12:00:00Z'],
    [20000, 65, '', '2026-01-03T11:06:00Z', '2026-01-03T12:11:00Z'],
    [-5, 0, '', '2026-01-10T11:59:00Z', '2026-01-10T12:00:00Z'],
  ])('End Time Minutes Ago %i, Minutes to Look Back %i, watermark %j: from %s to %s', (endAgo, lookBack, watermark, start, end) => {
    const [first, runEnd, oldest] = window(endAgo, lookBack, watermark);
    expect([first, runEnd]).toEqual([start, end]);
    // The oldest start the API still serves: 7 days less 10 minutes before the run.
    expect(oldest).toBe('2026-01-03T12:10:00Z');
  });
});
