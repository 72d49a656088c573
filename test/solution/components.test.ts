import { describe, expect, it } from 'vitest';
import { packSolution, packSolutions, parseXml, readZip, unpackSolution, writeZip, type SourceTree, type XElement } from '../../src/solution/index.js';
import { buildTree } from './fixtures.js';
import { bytes, text } from './helpers.js';

/** Split-out components (tables with forms, views and ribbon, option sets, relationships, canvas apps, web resources, apps): merged into customizations.xml and split back. */
const BOM = '\uFEFF';
const DECL = '<?xml version="1.0" encoding="utf-8"?>\n';
const XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
const file = (body: string) => bytes(`${BOM}${DECL}${body}`);

const FORM_MAIN = '{a27618e9-a23f-451c-abb0-512d84647cf0}';
const FORM_CARD = '{0f4a3959-ca60-4184-9846-5573a3c3d7dc}';
const FORM_MAIN_2 = '{f2496b4f-1072-4320-8120-4add9fe66db0}';
const VIEW_A = '{04beb99a-8a72-450d-b405-00a10a4f5389}';
const VIEW_B = '{c6f8f09b-4c56-49c3-b113-51f8f3da7df1}';

const form = (id: string, label: string) => `<forms ${XSI}>
  <systemform>
    <formid>${id}</formid>
    <IntroducedVersion>1.0</IntroducedVersion>
    <form>
      <tabs>
        <tab name="general">
          <labels>
            <label description="${label}" languagecode="1033" />
          </labels>
        </tab>
      </tabs>
    </form>
  </systemform>
</forms>`;
const view = (id: string, name: string) => `<savedqueries ${XSI}>
  <savedquery>
    <IsCustomizable>1</IsCustomizable>
    <savedqueryid>${id}</savedqueryid>
    <LocalizedNames>
      <LocalizedName description="${name}" languagecode="1033" />
    </LocalizedNames>
  </savedquery>
</savedqueries>`;
const relationship = (name: string, referencing: string, referenced: string) => `  <EntityRelationship Name="${name}">
    <EntityRelationshipType>OneToMany</EntityRelationshipType>
    <ReferencingEntityName>${referencing}</ReferencingEntityName>
    <ReferencedEntityName>${referenced}</ReferencedEntityName>
  </EntityRelationship>`;

function tableSource(): SourceTree {
  const tree = buildTree({ uniqueName: 'CoEAuditStandalone' });
  const entity = (name: string, withForms: boolean) => `<Entity ${XSI}>
  <Name LocalizedName="${name}" OriginalName="${name}">${name}</Name>
  <EntityInfo>
    <entity Name="${name}">
      <attributes>
        <attribute PhysicalName="coe_EventId">
          <Type>nvarchar</Type>
          <Name>coe_eventid</Name>
        </attribute>
      </attributes>
    </entity>
  </EntityInfo>${withForms ? '\n  <FormXml />\n  <SavedQueries />' : ''}
  <RibbonDiffXml />
</Entity>`;
  tree.set('Entities/coe_Launch/Entity.xml', file(entity('coe_Launch', true)));
  tree.set(`Entities/coe_Launch/FormXml/main/${FORM_MAIN}.xml`, file(form(FORM_MAIN, 'General')));
  tree.set(`Entities/coe_Launch/FormXml/main/${FORM_MAIN}_managed.xml`, file(form(FORM_MAIN, '')));
  tree.set(`Entities/coe_Launch/FormXml/main/${FORM_MAIN_2}.xml`, file(form(FORM_MAIN_2, 'Second')));
  tree.set(`Entities/coe_Launch/FormXml/card/${FORM_CARD}.xml`, file(form(FORM_CARD, 'Card')));
  tree.set(`Entities/coe_Launch/SavedQueries/${VIEW_B}.xml`, file(view(VIEW_B, 'Active Launches')));
  tree.set(`Entities/coe_Launch/SavedQueries/${VIEW_A}.xml`, file(view(VIEW_A, 'Launches by app')));
  tree.set('Entities/coe_Launch/RibbonDiff.xml', file(`<RibbonDiffXml ${XSI}>\n  <CustomActions />\n  <LocLabels />\n</RibbonDiffXml>`));
  tree.set('Entities/coe_App/Entity.xml', file(entity('coe_App', false)));
  tree.set('Entities/coe_App/RibbonDiff.xml', file(`<RibbonDiffXml ${XSI}>\n  <CustomActions />\n</RibbonDiffXml>`));
  tree.set('OptionSets/coe_workload.xml', file(`<optionset Name="coe_workload" localizedName="Workload" ${XSI}>\n  <OptionSetType>picklist</OptionSetType>\n  <IsGlobal>1</IsGlobal>\n</optionset>`));
  tree.set('Other/Relationships.xml', file(`<EntityRelationships ${XSI}>\n  <EntityRelationship Name="lk_coe_launch_createdby" />\n  <EntityRelationship Name="coe_app_launches" />\n</EntityRelationships>`));
  tree.set('Other/Relationships/coe_App.xml', file(`<EntityRelationships ${XSI}>\n${relationship('coe_app_launches', 'coe_Launch', 'coe_App')}\n</EntityRelationships>`));
  tree.set('Other/Relationships/SystemUser.xml', file(`<EntityRelationships ${XSI}>\n${relationship('lk_coe_launch_createdby', 'coe_Launch', 'SystemUser')}\n</EntityRelationships>`));
  return tree;
}

const kids = (el: XElement, name?: string) => el.children.filter((c): c is XElement => c.type === 'element' && (name === undefined || c.name === name));
const one = (el: XElement, name: string) => kids(el, name)[0]!;
const valueOf = (el: XElement) => el.children.map((c) => (c.type === 'text' ? c.value : '')).join('');

function packedCustomizations(tree: SourceTree, packageType: 'Unmanaged' | 'Managed' = 'Unmanaged'): XElement {
  const entries = readZip(packSolution(tree, { packageType }), 'z');
  return parseXml(entries.find((e) => e.name === 'customizations.xml')!.data, 'customizations.xml').root;
}

describe('tables in the native packer', () => {
  it('merges Entity.xml with its forms, views and ribbon, as pac does', () => {
    const root = packedCustomizations(tableSource());
    const entities = kids(one(root, 'Entities'), 'Entity');
    expect(entities.map((e) => valueOf(one(e, 'Name')))).toEqual(['coe_App', 'coe_Launch']);
    const launch = entities[1]!;
    expect(kids(launch).map((c) => c.name)).toEqual(['Name', 'EntityInfo', 'FormXml', 'SavedQueries', 'RibbonDiffXml']);
    // Forms by form id, grouped by type in first-seen order: card {0f4a…} first, then main {a276…, f249…}.
    const groups = kids(one(launch, 'FormXml'), 'forms');
    expect(groups.map((g) => g.attrs)).toEqual([[['type', 'card']], [['type', 'main']]]);
    expect(kids(groups[1]!, 'systemform').map((f) => valueOf(one(f, 'formid')))).toEqual([FORM_MAIN, FORM_MAIN_2]);
    const views = kids(one(one(launch, 'SavedQueries'), 'savedqueries'), 'savedquery');
    expect(views.map((v) => valueOf(one(v, 'savedqueryid')))).toEqual([VIEW_A, VIEW_B]);
    expect(kids(one(launch, 'RibbonDiffXml')).map((c) => c.name)).toEqual(['CustomActions', 'LocLabels']);
    expect(one(launch, 'RibbonDiffXml').attrs).toEqual([]);
    // A table without forms gets none.
    expect(kids(entities[0]!).map((c) => c.name)).toEqual(['Name', 'EntityInfo', 'RibbonDiffXml']);
  });

  it('merges option sets and relationships (in the order of Other/Relationships.xml)', () => {
    const root = packedCustomizations(tableSource());
    expect(kids(one(root, 'optionsets')).map((o) => o.attrs)).toEqual([[['Name', 'coe_workload'], ['localizedName', 'Workload']]]);
    expect(kids(one(root, 'EntityRelationships')).map((r) => r.attrs[0]![1])).toEqual(['lk_coe_launch_createdby', 'coe_app_launches']);
    expect(valueOf(one(kids(one(root, 'EntityRelationships'))[0]!, 'ReferencedEntityName'))).toBe('SystemUser');
  });

  it('a Managed pack takes the _managed.xml form where there is one', () => {
    const mainLabels = (packageType: 'Unmanaged' | 'Managed') => {
      const launch = kids(one(packedCustomizations(tableSource(), packageType), 'Entities'))[1]!;
      const main = kids(one(launch, 'FormXml'), 'forms')[1]!;
      return kids(main, 'systemform').map((f) => one(one(one(one(one(f, 'form'), 'tabs'), 'tab'), 'labels'), 'label').attrs[0]![1]);
    };
    expect(mainLabels('Unmanaged')).toEqual(['General', 'Second']);
    expect(mainLabels('Managed')).toEqual(['', 'Second']);
  });

  it('packSolutions gives the zips packSolution gives for each type, also with _managed.xml forms', () => {
    const src = tableSource();
    expect(packSolutions(src, ['Unmanaged', 'Managed'])).toEqual([packSolution(src, { packageType: 'Unmanaged' }), packSolution(src, { packageType: 'Managed' })]);
  });

  it('no table part reaches the zip as a file', () => {
    const names = readZip(packSolution(tableSource(), { packageType: 'Unmanaged' }), 'z').map((e) => e.name);
    expect(names).toEqual(['customizations.xml', 'solution.xml', '[Content_Types].xml']);
  });

  it('unpack(pack(src)) gives the source back byte for byte, except the _managed.xml forms an Unmanaged zip does not hold', () => {
    const src = tableSource();
    const back = unpackSolution(packSolution(src, { packageType: 'Unmanaged' }));
    const expected = [...src.keys()].filter((k) => !k.endsWith('_managed.xml')).sort();
    expect([...back.keys()].sort()).toEqual(expected);
    for (const rel of expected) expect(text(back.get(rel)), rel).toBe(text(src.get(rel)));
  });

  it('refuses a relationship listed in Other/Relationships.xml that no file defines, and a table part without Entity.xml', () => {
    const a = tableSource();
    a.delete('Other/Relationships/SystemUser.xml');
    expect(() => packSolution(a, { packageType: 'Unmanaged' })).toThrow(/Other\/Relationships\.xml:\d+:\d+: lists the relationship 'lk_coe_launch_createdby', which no file/);
    const b = tableSource();
    b.delete('Entities/coe_App/Entity.xml');
    expect(() => packSolution(b, { packageType: 'Unmanaged' })).toThrow(/Entities\/coe_App\/RibbonDiff\.xml: belongs to a table without Entities\/coe_App\/Entity\.xml/);
    const c = tableSource();
    c.set('Entities/coe_App/FormXml/main/{1}_managed.xml', file(form('{1}', '')));
    expect(() => packSolution(c, { packageType: 'Managed' })).toThrow(/_managed\.xml: is the managed form of .*\{1\}\.xml, which is not in the folder/);
  });

  it('pack --packagetype Both from one source, then unpack Both from the two zips, gives the source back with its _managed.xml forms', () => {
    const src = tableSource();
    src.set(`Entities/coe_Launch/FormXml/main/${FORM_MAIN_2}_managed.xml`, file(form(FORM_MAIN_2, '')));
    src.set(`Entities/coe_Launch/FormXml/card/${FORM_CARD}_managed.xml`, file(form(FORM_CARD, '')));
    const unmanaged = packSolution(src, { packageType: 'Unmanaged' });
    const managed = packSolution(src, { packageType: 'Managed' });
    const back = unpackSolution(unmanaged, { packageType: 'Both', managedZip: { zip: managed, origin: 'x_managed.zip' } });
    expect([...back.keys()].sort()).toEqual([...src.keys()].sort());
    for (const [rel, data] of src) expect(text(back.get(rel)), rel).toBe(text(data));
  });

  it('unpacks a Managed zip with --packagetype Managed (<Managed>1</Managed>, the managed forms), and refuses the wrong type', () => {
    const managed = packSolution(tableSource(), { packageType: 'Managed' });
    const back = unpackSolution(managed, { packageType: 'Managed', origin: 'm.zip' });
    expect(text(back.get('Other/Solution.xml'))).toContain('<Managed>1</Managed>');
    expect(text(back.get(`Entities/coe_Launch/FormXml/main/${FORM_MAIN}.xml`))).toContain('<label description="" languagecode="1033" />');
    expect(() => unpackSolution(managed, { packageType: 'Unmanaged', origin: 'm.zip' })).toThrow(/m\.zip:solution\.xml:\d+:\d+: is a managed solution, where an unmanaged one is expected; choose --packagetype Managed/);
    const unmanaged = packSolution(tableSource(), { packageType: 'Unmanaged' });
    expect(() => unpackSolution(unmanaged, { packageType: 'Both', managedZip: { zip: unmanaged, origin: 'u_managed.zip' } })).toThrow(/u_managed\.zip:solution\.xml:\d+:\d+: is an unmanaged solution, where a managed one/);
  });
});

describe('canvas apps, web resources, app modules in the native packer', () => {
  const APP = 'coe_auditapp_1a2b3';
  const appSource = (): SourceTree => {
    const tree = buildTree({ uniqueName: 'CoEAuditApps' });
    // The placeholders unpack leaves where it split the components out (the canonical source form).
    const cust = text(tree.get('Other/Customizations.xml'))!
      .replace('  <optionsets />\n', '  <optionsets />\n  <WebResources />\n')
      .replace('  <CustomControls />\n', '  <CustomControls />\n  <AppModules />\n')
      .replace('  <EntityDataProviders />\n', '  <EntityDataProviders />\n  <CanvasApps />\n');
    tree.set('Other/Customizations.xml', bytes(cust));
    tree.set(`CanvasApps/${APP}.meta.xml`, file(`<CanvasApp ${XSI}>
  <Name>${APP}</Name>
  <GalleryItemId xsi:nil="true"></GalleryItemId>
  <BackgroundImageUri>/CanvasApps/${APP}_BackgroundImageUri</BackgroundImageUri>
  <DocumentUri>/CanvasApps/${APP}_DocumentUri.msapp</DocumentUri>
  <AdditionalUris>
    <AdditionalUri>/CanvasApps/${APP}_AdditionalUris0_identity.json</AdditionalUri>
  </AdditionalUris>
</CanvasApp>`));
    tree.set(`CanvasApps/${APP}_BackgroundImageUri`, bytes('png'));
    tree.set(`CanvasApps/${APP}_DocumentUri.msapp`, bytes('msapp'));
    tree.set(`CanvasApps/${APP}_AdditionalUris0_identity.json`, bytes('{}'));
    tree.set(`CanvasApps/src/${APP}/Src/App.pa.yaml`, bytes('App: {}'));
    tree.set('WebResources/coe_about.data.xml', file(`<WebResource ${XSI}>
  <Name>coe_about</Name>
  <FileName>/WebResources/coe_about3265B45D-C444-EE11-BDF3-00224830E492</FileName>
</WebResource>`));
    tree.set('WebResources/coe_about', bytes('<html></html>'));
    tree.set('AppModules/coe_Audit/AppModule.xml', file('<AppModule>\n  <UniqueName>coe_Audit</UniqueName>\n</AppModule>'));
    return tree;
  };

  it('packs each canvas app file in the order its .meta.xml names it, web resources under their <FileName>, and not CanvasApps/src/', () => {
    const entries = readZip(packSolution(appSource(), { packageType: 'Unmanaged' }), 'z');
    expect(entries.map((e) => e.name)).toEqual([
      'customizations.xml',
      'solution.xml',
      'WebResources/coe_about3265B45D-C444-EE11-BDF3-00224830E492',
      `CanvasApps/${APP}_BackgroundImageUri`,
      `CanvasApps/${APP}_DocumentUri.msapp`,
      `CanvasApps/${APP}_AdditionalUris0_identity.json`,
      '[Content_Types].xml',
    ]);
    const root = parseXml(entries[0]!.data, 'customizations.xml').root;
    expect(kids(root).map((c) => c.name)).toContain('CanvasApps');
    expect(kids(one(root, 'CanvasApps')).map((c) => c.name)).toEqual(['CanvasApp']);
    expect(kids(one(root, 'WebResources')).map((c) => c.name)).toEqual(['WebResource']);
    expect(kids(one(root, 'AppModules')).map((c) => c.name)).toEqual(['AppModule']);
  });

  it('unpack(pack(src)) gives the source back byte for byte, but for CanvasApps/src/ (pac --processCanvasApps output)', () => {
    const src = appSource();
    const back = unpackSolution(packSolution(src, { packageType: 'Unmanaged' }));
    const expected = [...src.keys()].filter((k) => !k.startsWith('CanvasApps/src/')).sort();
    expect([...back.keys()].sort()).toEqual(expected);
    for (const rel of expected) expect(text(back.get(rel)), rel).toBe(text(src.get(rel)));
  });

  it('a canvas app file that is missing is refused; when only CanvasApps/src/ holds it, the message says pac builds it from there', () => {
    const a = appSource();
    a.delete(`CanvasApps/${APP}_DocumentUri.msapp`);
    expect(() => packSolution(a, { packageType: 'Unmanaged' })).toThrow(/<DocumentUri> names \/CanvasApps\/coe_auditapp_1a2b3_DocumentUri\.msapp, which pac builds from CanvasApps\/src\/coe_auditapp_1a2b3\/ .*--packer pac/);
    a.delete(`CanvasApps/src/${APP}/Src/App.pa.yaml`);
    expect(() => packSolution(a, { packageType: 'Unmanaged' })).toThrow(/<DocumentUri> names \/CanvasApps\/coe_auditapp_1a2b3_DocumentUri\.msapp, but CanvasApps\/coe_auditapp_1a2b3_DocumentUri\.msapp is not in the folder/);
  });
});

describe('unpack keeps a component inline when its name cannot be a safe file name', () => {
  it('a table named ../x and a relationship of table a/b stay in Other/Customizations.xml, whole, and nothing is written outside', () => {
    const src = tableSource();
    const zip = readZip(packSolution(src, { packageType: 'Unmanaged' }), 'z');
    const cust = text(zip[0]!.data)!
      .replace('<Name LocalizedName="coe_App" OriginalName="coe_App">coe_App</Name>', '<Name LocalizedName="x" OriginalName="x">../x</Name>')
      .replace('<ReferencedEntityName>SystemUser</ReferencedEntityName>', '<ReferencedEntityName>a/b</ReferencedEntityName>');
    const evil = writeZip(zip.map((e, i) => (i === 0 ? { name: e.name, data: bytes(cust) } : e)));
    const back = unpackSolution(evil);
    expect([...back.keys()].filter((k) => k.includes('..') || k.startsWith('Other/Relationships'))).toEqual([]);
    expect([...back.keys()].filter((k) => k.startsWith('Entities/')).every((k) => k.startsWith('Entities/coe_Launch/'))).toBe(true);
    const kept = text(back.get('Other/Customizations.xml'))!;
    expect(kept).toContain('<Name LocalizedName="x" OriginalName="x">../x</Name>');
    expect(kept).toContain('<ReferencedEntityName>a/b</ReferencedEntityName>');
    expect(kept).toContain('<RibbonDiffXml>');
  });
});
