import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildArtefacts, editionSolution, loadSolutionSource } from '../../src/audit-solution/index.js';
import { CLOUDS } from '../../src/clouds/index.js';
import { packSolution, parseXml, readZip, unpackSolution, validateSolutionZip, type XElement } from '../../src/solution/index.js';
import { HAS_SHARED, SHARED_DIR, SHARED_SKIP_REASON } from '../helpers/shared.js';

const decode = (b: Uint8Array | undefined) => new TextDecoder().decode(b);
const children = (el: XElement, name?: string): XElement[] =>
  el.children.filter((c): c is XElement => c.type === 'element' && (name === undefined || c.name === name));
const path = (el: XElement, names: string[]): XElement[] => names.reduce<XElement[]>((els, n) => els.flatMap((e) => children(e, n)), [el]);
const attr = (el: XElement, name: string) => el.attrs.find(([k]) => k === name)?.[1];

/** What CoE Core Components owns, read from the reference (coe-audit-components.md §1.1, §1.2, §1.4, §3.4, §3.5). */
function coreOwned(): { envVars: string[]; connectionReferences: string[]; tables: string[]; flowNames: string[] } {
  const text = readFileSync(join(SHARED_DIR, 'reference', 'coe-audit-components.md'), 'utf8');
  const section = (from: string, to: string) => text.slice(text.indexOf(from), text.indexOf(to, text.indexOf(from) + from.length));
  const envVars = [...section('### 1.2 ', '### 1.3 ').matchAll(/^\| `(admin_\w+)` \|/gm)].map((m) => m[1]!);
  const refs = section('### 3.4 ', '## 4. ');
  const connectionReferences = [
    ...new Set([...refs.matchAll(/→ `(admin_\w+)`/g), ...refs.matchAll(/connectionreferencelogicalname="(admin_\w+)"/g), ...refs.matchAll(/`(admin_CoE\w+)` \("/g)].map((m) => m[1]!)),
  ];
  const tables = [...section('### 1.4 ', '## 2. ').matchAll(/`(admin_[a-z]+)`\s+\((?:entity set )?`admin_/g)].map((m) => m[1]!);
  const flowNames = [...section('### 1.1 ', '### 1.2 ').matchAll(/^\| (?:\(retired\) )?(Admin \\\| Audit Logs \\\| [^|]+?) \|/gm)].map((m) => m[1]!.replace(/\\\|/g, '|'));
  return { envVars, connectionReferences, tables, flowNames };
}

describe.skipIf(!HAS_SHARED)('coe edition: ships nothing CoE Core owns and depends on it with a version', () => {
  const core = HAS_SHARED ? coreOwned() : { envVars: [], connectionReferences: [], tables: [], flowNames: [] };

  it('reads what Core owns from the reference', () => {
    expect(core.envVars).toEqual(expect.arrayContaining(['admin_TenantID', 'admin_PowerAutomateEnvironmentVariable', 'admin_AuditLogsAudience', 'admin_AuditLogsClientAzureSecret']));
    expect(core.envVars).toHaveLength(11);
    expect(core.connectionReferences).toEqual(expect.arrayContaining(['admin_CoECoreDataverseForApps', 'admin_CoECoreDataverse', 'admin_sharedcommondataserviceforapps_98924', 'admin_CoECoreO365Users']));
    expect(core.tables).toEqual(['admin_auditlog', 'admin_app', 'admin_syncflowerrors', 'admin_coesolutionmetadata']);
    expect(core.flowNames).toContain('Admin | Audit Logs | Sync Audit Logs (V2)');
    expect(core.flowNames).toHaveLength(5);
  });

  it('the coe zip of every cloud holds no Core variable or connection reference, declares each Core component its flows use, and names its flows differently', async () => {
    const built = await buildArtefacts({ clouds: CLOUDS, config: {}, editions: ['coe'] });
    expect(built.map((b) => b.cloud)).toEqual(['commercial', 'gcc', 'gcchigh', 'dod']);
    for (const b of built) {
      for (const zipName of [...b.files.keys()].filter((k) => k.endsWith('.zip'))) {
        const where = `${b.cloud}/${zipName}`;
        const tree = unpackSolution(b.files.get(zipName)!, { origin: where });
        const names = [...tree.keys()];
        for (const v of core.envVars) expect(names.some((n) => n.toLowerCase().startsWith(`environmentvariabledefinitions/${v.toLowerCase()}/`)), `${where}: ${v}`).toBe(false);
        const customizations = decode(tree.get('Other/Customizations.xml'));
        for (const r of core.connectionReferences) expect(customizations, `${where}: ${r}`).not.toContain(`"${r}"`);
        for (const t of core.tables) expect(names.some((n) => n.toLowerCase().startsWith(`entities/${t}/`)), `${where}: ${t}`).toBe(false);

        const solution = parseXml(tree.get('Other/Solution.xml')!, 'Other/Solution.xml').root;
        const required = path(solution, ['SolutionManifest', 'MissingDependencies', 'MissingDependency', 'Required']);
        for (const r of required) expect(attr(r, 'solution'), `${where}`).toMatch(/^CenterofExcellenceCoreComponents \(\d+\.\d+\.\d+\)$/);
        const declared = (type: string, key: string) => new Set(required.filter((r) => attr(r, 'type') === type).map((r) => attr(r, key)));
        expect([...declared('1', 'schemaName')].sort()).toEqual([...core.tables].sort());
        expect([...declared('connectionreference', 'id.connectionreferencelogicalname')]).toEqual(['admin_CoECoreDataverseForApps']);
        // Every Core variable a flow names is declared; none the flows do not use.
        const flowText = names.filter((n) => /^Workflows\/.*\.json$/.test(n)).map((n) => decode(tree.get(n))).join('\n');
        const used = core.envVars.filter((v) => flowText.includes(v));
        expect(used).toEqual(expect.arrayContaining(['admin_TenantID', 'admin_PowerAutomateEnvironmentVariable', 'admin_AuditLogsAudience', 'admin_AuditLogsAuthority', 'admin_AuditLogsClientID']));
        expect([...declared('EnvironmentVariableDefinition', 'id.schemaname')].sort()).toEqual(used.sort());

        const packed = readZip(b.files.get(zipName)!, where).find((z) => z.name === 'customizations.xml')!;
        const flowNames = path(parseXml(packed.data, 'customizations.xml').root, ['Workflows', 'Workflow']).map((w) => attr(w, 'Name')!);
        expect(flowNames).toHaveLength(3);
        for (const n of flowNames) expect(core.flowNames.map((c) => c.toLowerCase()), `${where}: ${n}`).not.toContain(n.toLowerCase());
      }
    }
  });
});

describe.skipIf(HAS_SHARED)('coe edition against the reference', () => {
  it.skip(SHARED_SKIP_REASON, () => {});
});

describe('standalone edition: its own tables, views, variables and connection reference', () => {
  it('its zips hold the tables and views, validate, and round-trip through unpack and pack byte for byte', async () => {
    const built = await buildArtefacts({ clouds: CLOUDS, config: {}, editions: ['standalone'] });
    for (const b of built) {
      for (const [zipName, packageType] of [[`CoEAuditLogsStandalone_${b.cloud}.zip`, 'Unmanaged'], [`CoEAuditLogsStandalone_${b.cloud}_managed.zip`, 'Managed']] as const) {
        const zip = b.files.get(zipName)!;
        expect(validateSolutionZip(zip).filter((d) => d.severity === 'error'), zipName).toEqual([]);
        const tree = unpackSolution(zip, { origin: zipName });
        expect(Buffer.from(packSolution(tree, { packageType })).equals(Buffer.from(zip)), `${zipName} round trip`).toBe(true);
        // The packed customizations.xml holds the tables with their views, as pac merges them.
        const packed = readZip(zip, zipName).find((z) => z.name === 'customizations.xml')!;
        const entities = path(parseXml(packed.data, 'customizations.xml').root, ['Entities', 'Entity']);
        const text = (el: XElement) => el.children.map((c) => (c.type === 'text' ? c.value : '')).join('');
        expect(entities.map((e) => text(children(e, 'Name')[0]!)).sort()).toEqual(['coeaudit_App', 'coeaudit_AuditLog', 'coeaudit_CoESolutionMetadata', 'coeaudit_SyncFlowErrors']);
        const views = new Map(
          entities.map((e) => [text(children(e, 'Name')[0]!), path(e, ['SavedQueries', 'savedqueries', 'savedquery']).map((q) => attr(path(q, ['LocalizedNames', 'LocalizedName'])[0]!, 'description'))]),
        );
        expect(views.get('coeaudit_AuditLog')).toEqual(expect.arrayContaining(['App Launches', 'Quick Find Active App Launches', 'App Launch Lookup View']));
        expect(views.get('coeaudit_App')).toContain('Last Launch per App');
        expect(path(parseXml(packed.data, 'customizations.xml').root, ['EntityRelationships', 'EntityRelationship']).map((r) => attr(r, 'Name'))).toEqual(['coeaudit_auditlog_AppLookup_coeaudit_app']);
        const solution = decode(tree.get('Other/Solution.xml'));
        expect(solution).toContain('<RootComponent type="1" schemaName="coeaudit_auditlog" behavior="0" />');
        expect(solution).toContain('<UniqueName>coeaudit</UniqueName>');
        expect(solution).toContain('<MissingDependencies />');
        expect(solution).not.toContain('CenterofExcellence');
        for (const [name, bytes] of tree) expect(/\badmin_/.test(decode(bytes)), `${zipName}: ${name} names a CoE component`).toBe(false);
      }
    }
  });

  it('the app view shows the last launch per app, newest first; the launch view the launches', () => {
    const e = editionSolution(loadSolutionSource(), 'standalone');
    const app = e.tables!.tables.find((t) => t.name === 'app')!;
    expect(app.views![0]).toMatchObject({ name: 'Last Launch per App', orderBy: { column: 'applastlaunchedon', descending: true } });
    expect(app.views![0]!.columns).toEqual(expect.arrayContaining(['displayname', 'appenvironmentname', 'applastlaunchedon', 'appdeleted']));
    const launch = e.tables!.tables.find((t) => t.name === 'auditlog')!;
    expect(launch.columns.map((c) => c.name)).toEqual(expect.arrayContaining(['creationtime', 'appid', 'userupn', 'workload', 'operation']));
  });
});
