import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packSolution, readSourceTree, SOLUTION_RULES, validateSolution, validateSolutionZip, type SourceTree } from '../../src/solution/index.js';
import { HAS_SHARED, SHARED_DIR } from '../helpers/shared.js';
import { buildTree, CONNECTOR_GUID, FIXTURES, flowJson, type FixtureSpec } from './fixtures.js';
import { bytes, text } from './helpers.js';

const connectorSpec = FIXTURES['connector-with-connection-reference']!;
const envSpec = FIXTURES['flow-with-env-vars']!;
const flowFile = (tree: SourceTree) => [...tree.keys()].find((k) => k.startsWith('Workflows/') && k.endsWith('.json'))!;
const edit = (tree: SourceTree, rel: string, fn: (s: string) => string) => {
  tree.set(rel, bytes(fn(text(tree.get(rel))!)));
  return tree;
};
const withFlow = (spec: FixtureSpec, json: object): SourceTree => buildTree({ ...spec, flows: [{ ...spec.flows![0]!, json }] });

interface Case {
  name: string;
  tree: () => SourceTree;
  code: string;
  file: string | RegExp;
  path?: (string | number)[];
  line?: number;
}

const CASES: Case[] = [
  { name: 'missing Other/Solution.xml', tree: () => { const t = buildTree(envSpec); t.delete('Other/Solution.xml'); return t; }, code: 'solution-file-missing', file: 'Other/Solution.xml' },
  { name: 'malformed XML', tree: () => edit(buildTree(envSpec), 'Other/Customizations.xml', (s) => s.replace('<Roles />', '<Roles>')), code: 'solution-xml-malformed', file: 'Other/Customizations.xml', line: 17 },
  { name: 'Workflow without RootComponent 29', tree: () => edit(buildTree(envSpec), 'Other/Solution.xml', (s) => s.replace(/ *<RootComponent type="29"[^>]*>\n/, '')), code: 'solution-workflow-root-component', file: /\.json\.data\.xml$/, line: 2 },
  { name: 'RootComponent 29 naming no workflow', tree: () => edit(buildTree(envSpec), 'Other/Solution.xml', (s) => s.replace('<RootComponents>', '<RootComponents>\n      <RootComponent type="29" id="{00000000-0000-0000-0000-000000000009}" behavior="0" />')), code: 'solution-root-component-orphan', file: 'Other/Solution.xml', line: 24 },
  { name: 'JsonFileName that does not resolve', tree: () => { const t = buildTree(envSpec); t.delete(flowFile(t)); return t; }, code: 'solution-workflow-json-missing', file: /\.json\.data\.xml$/, line: 3 },
  { name: 'connector file missing', tree: () => { const t = buildTree(connectorSpec); t.delete('Connectors/coe_5Faudit-20api_openapidefinition.json'); return t; }, code: 'solution-connector-file-missing', file: 'Connectors/coe_5Faudit-20api.xml', line: 9 },
  { name: 'connector without RootComponent 372', tree: () => edit(buildTree(connectorSpec), 'Other/Solution.xml', (s) => s.replace(/ *<RootComponent type="372"[^>]*>\n/, '')), code: 'solution-connector-root-component', file: 'Connectors/coe_5Faudit-20api.xml', line: 2 },
  { name: 'RootComponent 372 with another GUID', tree: () => edit(buildTree(connectorSpec), 'Other/Solution.xml', (s) => s.replace(`{${CONNECTOR_GUID}}`, '{11111111-1111-1111-1111-111111111111}')), code: 'solution-connector-id-mismatch', file: 'Other/Solution.xml' },
  { name: 'customconnectorid naming another connector', tree: () => edit(buildTree(connectorSpec), 'Other/Customizations.xml', (s) => s.replace(`<connectorid>${CONNECTOR_GUID}</connectorid>`, '<connectorid>22222222-2222-2222-2222-222222222222</connectorid>')), code: 'solution-connector-id-mismatch', file: 'Other/Customizations.xml' },
  { name: 'connector name over 30 characters', tree: () => buildTree({ uniqueName: 'L', connector: { name: 'coe_5Fa-20very-20long-20connector-20name', id: CONNECTOR_GUID, displayName: 'L' } }), code: 'solution-connector-name-length', file: 'Connectors/coe_5Fa-20very-20long-20connector-20name.xml', line: 7 },
  { name: 'flow JSON that does not parse', tree: () => edit(buildTree(envSpec), flowFile(buildTree(envSpec)), (s) => s.slice(0, 40)), code: 'flow-json-invalid', file: /^Workflows\/.*\.json$/, path: [] },
  {
    name: 'host.connectionName not in connectionReferences',
    tree: () => withFlow(connectorSpec, flowJson({ connectionReferences: { shared_audit: 'coe_sharedaudit_5715e' }, actions: { List: { runAfter: {}, type: 'OpenApiConnection', inputs: { host: { connectionName: 'shared_other', operationId: 'X' } } } } })),
    code: 'flow-connection-name-unknown', file: /\.json$/, path: ['properties', 'definition', 'actions', 'List', 'inputs', 'host', 'connectionName'],
  },
  {
    name: 'connectionReferenceLogicalName not defined',
    tree: () => withFlow(connectorSpec, flowJson({ connectionReferences: { shared_audit: 'coe_nowhere' }, actions: { List: { runAfter: {}, type: 'OpenApiConnection', inputs: { host: { connectionName: 'shared_audit' } } } } })),
    code: 'flow-connection-reference-undefined', file: /\.json$/, path: ['properties', 'connectionReferences', 'shared_audit', 'connection', 'connectionReferenceLogicalName'],
  },
  {
    name: 'undeclared parameter',
    tree: () => withFlow(envSpec, flowJson({ actions: { C: { runAfter: {}, type: 'Compose', inputs: "@{parameters('Nope (coe_Nope)')}" } } })),
    code: 'flow-parameter-undeclared', file: /\.json$/, path: ['properties', 'definition', 'actions', 'C', 'inputs'],
  },
  {
    name: 'env var parameter without a definition',
    tree: () => withFlow(envSpec, flowJson({ parameters: { 'X (coe_Missing)': { type: 'String', metadata: { schemaName: 'coe_Missing' } } } })),
    code: 'flow-envvar-parameter-unknown', file: /\.json$/, path: ['properties', 'definition', 'parameters', 'X (coe_Missing)', 'metadata', 'schemaName'],
  },
  {
    name: 'runAfter naming no sibling (nested in a Scope)',
    tree: () => withFlow(envSpec, flowJson({ actions: { Scope: { runAfter: {}, type: 'Scope', actions: { A: { runAfter: {}, type: 'Compose', inputs: 1 }, B: { runAfter: { Scope: ['Succeeded'] }, type: 'Compose', inputs: 2 } } } } })),
    code: 'flow-run-after-unknown', file: /\.json$/, path: ['properties', 'definition', 'actions', 'Scope', 'actions', 'B', 'runAfter', 'Scope'],
  },
  {
    name: 'expression that does not parse',
    tree: () => withFlow(envSpec, flowJson({ actions: { C: { runAfter: {}, type: 'Compose', inputs: "@concat('a', " } } })),
    code: 'flow-expression-invalid', file: /\.json$/, path: ['properties', 'definition', 'actions', 'C', 'inputs'],
  },
  { name: 'illegal env var type', tree: () => edit(buildTree(envSpec), 'environmentvariabledefinitions/coe_SiteURL/environmentvariabledefinition.xml', (s) => s.replace('<type>100000000</type>', '<type>100000009</type>')), code: 'envvar-type-invalid', file: 'environmentvariabledefinitions/coe_SiteURL/environmentvariabledefinition.xml', line: 13 },
  { name: 'schemaname differs from folder', tree: () => edit(buildTree(envSpec), 'environmentvariabledefinitions/coe_SiteURL/environmentvariabledefinition.xml', (s) => s.replace('schemaname="coe_SiteURL"', 'schemaname="coe_SiteUrl"')), code: 'envvar-schema-name-mismatch', file: 'environmentvariabledefinitions/coe_SiteURL/environmentvariabledefinition.xml', line: 1 },
  { name: 'default on a Secret', tree: () => edit(buildTree(envSpec), 'environmentvariabledefinitions/coe_ClientSecret/environmentvariabledefinition.xml', (s) => s.replace('<description', '<defaultvalue>hunter2</defaultvalue>\n  <description')), code: 'envvar-secret-default', file: 'environmentvariabledefinitions/coe_ClientSecret/environmentvariabledefinition.xml', line: 2 },
];

describe('validateSolution rule table', () => {
  it('finds nothing in the good fixtures', () => {
    for (const spec of Object.values(FIXTURES)) expect(validateSolution(buildTree(spec))).toEqual([]);
  });

  for (const c of CASES) {
    it(`${c.code}: ${c.name}`, () => {
      const found = validateSolution(c.tree());
      const hit = found.find((d) => d.code === c.code);
      expect(hit, JSON.stringify(found)).toBeDefined();
      if (typeof c.file === 'string') expect(hit!.file).toBe(c.file);
      else expect(hit!.file).toMatch(c.file);
      if (c.path) expect(hit!.path).toEqual(c.path);
      if (c.line !== undefined) expect(hit!.line).toBe(c.line);
      expect(hit!.severity).toBe('error');
    });
  }

  it('has a case for every rule, and every code is catalogued', () => {
    expect(new Set(CASES.map((c) => c.code))).toEqual(new Set(SOLUTION_RULES.map((r) => r.code)));
  });

  it('accepts references that are declared dependencies', () => {
    const tree = withFlow(connectorSpec, flowJson({
      connectionReferences: { shared_audit: 'coe_sharedaudit_5715e', shared_dv: 'coe_CoreDataverse' },
      parameters: { 'Tenant (admin_TenantID)': { type: 'String', metadata: { schemaName: 'admin_TenantID' } } },
      actions: { C: { runAfter: {}, type: 'Compose', inputs: "@parameters('Tenant (admin_TenantID)')" } },
    }));
    edit(tree, 'Other/Solution.xml', (s) => s.replace('<MissingDependencies />', `<MissingDependencies>
      <MissingDependency>
        <Required type="380" schemaName="admin_TenantID" />
        <Dependent type="29" id="{b320508c-d212-f011-998a-6045bd0e2fc6}" />
      </MissingDependency>
      <MissingDependency>
        <Required type="10099" schemaName="coe_CoreDataverse" />
        <Dependent type="29" id="{b320508c-d212-f011-998a-6045bd0e2fc6}" />
      </MissingDependency>
    </MissingDependencies>`));
    expect(validateSolution(tree)).toEqual([]);
  });

  it('validates a zip by unpacking it first', () => {
    const tree = CASES.find((c) => c.code === 'envvar-secret-default')!.tree();
    expect(validateSolutionZip(packSolution(tree, { packageType: 'Unmanaged' })).map((d) => d.code)).toEqual(['envvar-secret-default']);
  });

  it.skipIf(!HAS_SHARED)('finds nothing in the pac anchors', () => {
    for (const a of ['always-reply-to-request', 'power-automate-flow-to-share-an-app']) {
      expect(validateSolution(readSourceTree(join(SHARED_DIR, 'anchors', 'pac-solutions', a, 'source')))).toEqual([]);
      expect(validateSolutionZip(readFileSync(join(SHARED_DIR, 'anchors', 'pac-solutions', a, 'pac-packed.zip')))).toEqual([]);
    }
  });
});
