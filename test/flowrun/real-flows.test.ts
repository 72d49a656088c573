import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalEmulator, type LocalEmulator } from '../../src/flowrun/index.js';
import { validateSolution, type SourceTree } from '../../src/solution/index.js';
import { createStore, type TableDef } from '../../src/store/index.js';
import { checkFlowExpressions, runFlow, walkFlowExpressions, WdlUnsupportedError, type WdlValue } from '../../src/wdl/index.js';
import { REPO_ROOT } from '../helpers/run-cli.js';
import { HAS_SHARED, SHARED_DIR, SHARED_SKIP_REASON } from '../helpers/shared.js';

const CORPUS = join(SHARED_DIR, 'anchors', 'real-flows');
const NOW = '2026-03-10T09:00:00Z';

type Json = Record<string, unknown>;

function corpusFiles(): string[] {
  if (!HAS_SHARED) return [];
  const out: string[] = [];
  for (const dir of readdirSync(CORPUS, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const f of readdirSync(join(CORPUS, dir.name))) if (f.endsWith('.json')) out.push(join(CORPUS, dir.name, f));
  }
  return out.sort();
}

/** A minimal value satisfying a JSON schema (required properties only), for the input of Request triggers. */
function sample(schema: unknown): WdlValue {
  const s = (schema ?? {}) as Json;
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (Array.isArray(s.enum) && s.enum.length) return s.enum[0] as WdlValue;
  switch (type) {
    case 'object': {
      const out: Record<string, WdlValue> = {};
      const props = (s.properties ?? {}) as Json;
      for (const k of Object.keys(props)) out[k] = sample(props[k]);
      return out;
    }
    case 'array':
      return [];
    case 'integer':
    case 'number':
      return 2;
    case 'boolean':
      return true;
    case 'string': {
      const what = `${String(s.title ?? '')} ${String(s.description ?? '')}`;
      if (s.format === 'date' || /\bdate\b/i.test(what)) return '2026-03-10';
      if (/\btime\b/i.test(what)) return '10:30';
      if (/json array/i.test(what)) return '[{"id":1,"name":"a"},{"id":2,"name":"b"}]';
      if (/\bkey\b/i.test(what)) return 'id';
      return s.format === 'email' ? 'someone@contoso.example' : 'sample';
    }
    default:
      return 'sample';
  }
}

function triggerInput(flow: Json): WdlValue | undefined {
  const def = (flow.properties as Json).definition as Json;
  const [, trig] = Object.entries(def.triggers as Json)[0]! as [string, Json];
  const type = String(trig.type).toLowerCase();
  if (type === 'request') return sample(((trig.inputs ?? {}) as Json).schema ?? { type: 'object' });
  if (type === 'openapiconnectionwebhook') {
    const id = '6e5a9197-e359-ee11-be6f-000d3a45ed19';
    return { activityid: id, ItemInternalId: id, SdkMessage: 'Create', subject: 'Leak in lab 2', csa_priority: 770250000, csa_date: '2026-03-10', csa_location: 'Lab 2' };
  }
  return undefined;
}

/** A solution wrapper declaring what each real solution declares around its flows (references, environment variables). */
function wrap(files: string[]): SourceTree {
  const enc = new TextEncoder();
  const tree: SourceTree = new Map();
  const roots: string[] = [];
  const workflows: string[] = [];
  const refs = new Set<string>();
  const deps = new Set<string>();
  files.forEach((file, i) => {
    const text = readFileSync(file, 'utf8');
    const flow = JSON.parse(text) as Json;
    const name = file.split('/').pop()!;
    const id = `{00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}}`;
    tree.set(`Workflows/${name}`, enc.encode(text));
    roots.push(`<RootComponent type="29" id="${id}" behavior="0" />`);
    workflows.push(`<Workflow WorkflowId="${id}" Name="${name}"><JsonFileName>/Workflows/${name}</JsonFileName></Workflow>`);
    const props = flow.properties as Json;
    for (const r of Object.values((props.connectionReferences ?? {}) as Record<string, Json>)) {
      const logical = (r.connection as Json | undefined)?.connectionReferenceLogicalName;
      if (typeof logical === 'string') refs.add(logical);
    }
    for (const p of Object.values(((props.definition as Json).parameters ?? {}) as Record<string, Json>)) {
      const schema = (p.metadata as Json | undefined)?.schemaName;
      if (typeof schema === 'string') deps.add(schema);
    }
  });
  tree.set(
    'Other/Solution.xml',
    enc.encode(
      `<?xml version="1.0" encoding="utf-8"?><ImportExportXml><SolutionManifest><RootComponents>${roots.join('')}</RootComponents><MissingDependencies>${[...deps]
        .map((d) => `<MissingDependency><Required type="380" schemaName="${d}" /></MissingDependency>`)
        .join('')}</MissingDependencies></SolutionManifest></ImportExportXml>`,
    ),
  );
  tree.set(
    'Other/Customizations.xml',
    enc.encode(
      `<?xml version="1.0" encoding="utf-8"?><ImportExportXml><Workflows>${workflows.join('')}</Workflows><connectionreferences>${[...refs]
        .map((r) => `<connectionreference connectionreferencelogicalname="${r}"><connectorid>/providers/Microsoft.PowerApps/apis/shared_x</connectorid></connectionreference>`)
        .join('')}</connectionreferences></ImportExportXml>`,
    ),
  );
  return tree;
}

/** Open tables (any column) for every Dataverse table the flow names, so its rows can be written and read back. */
function tablesOf(flow: unknown): Record<string, TableDef> {
  const out: Record<string, TableDef> = {};
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v as Json)) {
        if (k === 'entityName' && typeof x === 'string' && /^[a-z0-9_]+$/.test(x)) {
          const logicalName = x.endsWith('ses') ? x.slice(0, -2) : x.replace(/s$/, '');
          out[x] = { logicalName, primaryKey: `${logicalName}id`, columns: {}, lookups: {}, open: true };
        }
        visit(x);
      }
    }
  };
  visit(flow);
  return out;
}

/** The result cell of docs/flow-runner.md's table for one flow. */
async function outcome(file: string, local: LocalEmulator): Promise<string> {
  const flow = JSON.parse(readFileSync(file, 'utf8')) as Json;
  try {
    const input = triggerInput(flow);
    const r = await runFlow({ flow, displayName: file, now: NOW, http: local.http, store: createStore({}, { tables: tablesOf(flow) }), ...(input !== undefined ? { triggerBody: input } : {}) });
    return r.status;
  } catch (e) {
    if (e instanceof WdlUnsupportedError) return `stops: ${e.construct}`;
    throw e;
  }
}

function docsTable(): Map<string, string> {
  const text = readFileSync(join(REPO_ROOT, 'docs', 'flow-runner.md'), 'utf8');
  const rows = new Map<string, string>();
  for (const m of text.matchAll(/^\| `([^`]+\.json)` \| (.+?) \|$/gm)) rows.set(m[1]!, m[2]!.replace(/\\\|/g, '|'));
  return rows;
}

describe.skipIf(!HAS_SHARED)(`the real-flow corpus (${HAS_SHARED ? '43 designer-exported flows' : SHARED_SKIP_REASON})`, () => {
  const files = corpusFiles();
  let local: LocalEmulator;
  beforeAll(async () => {
    local = await startLocalEmulator(Date.parse(NOW), { seed: 11, hours: 2 });
  });
  afterAll(async () => {
    await local?.close();
  });

  it('holds 43 flows, and every expression of every one parses', () => {
    expect(files).toHaveLength(43);
    let expressions = 0;
    for (const f of files) {
      const flow = JSON.parse(readFileSync(f, 'utf8')) as unknown;
      expressions += [...walkFlowExpressions(flow)].length;
      expect(checkFlowExpressions(flow).map((e) => `${e.text}: ${e.error.message}`), relative(CORPUS, f)).toEqual([]);
    }
    expect(expressions).toBeGreaterThan(500);
  });

  it('solution validate finds no error in them (wrapped as their solutions declare them)', () => {
    expect(validateSolution(wrap(files))).toEqual([]);
  });

  it('every flow runs to a terminal status, or stops naming the connector or construct the runner lacks; docs/flow-runner.md lists each result', async () => {
    const table = docsTable();
    const results = new Map<string, string>();
    for (const f of files) results.set(relative(CORPUS, f), await outcome(f, local));
    for (const [file, result] of results) {
      expect(result, file).toMatch(/^(Succeeded|Failed|Cancelled|stops: .+)$/);
      if (result.startsWith('stops: ')) expect(result, file).toMatch(/connector '[^']+'|trigger kind|function|action type|parameter|operation/);
    }
    expect(Object.fromEntries(table)).toEqual(Object.fromEntries(results));
    // A handful run end to end through the interpreter (no unsupported connector).
    expect([...results.values()].filter((r) => !r.startsWith('stops')).length).toBeGreaterThanOrEqual(5);
  }, 120_000);
});
