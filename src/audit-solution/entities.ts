import { componentGuid } from '../flows/guid.js';
import type { ColumnDefinition, TableDefinition, TableDefinitions, ViewDefinition } from '../store/schema.js';
import { escapeAttr, escapeText } from './xml.js';

/**
 * The standalone edition's tables in the layout `pac solution unpack` writes (solution-format §2.2):
 * `Entities/<Schema>/Entity.xml` (attributes; `<FormXml />`, `<SavedQueries />`, `<RibbonDiffXml />` left as
 * placeholders because they are split out), `Entities/<Schema>/SavedQueries/{guid}.xml` (the views),
 * `Entities/<Schema>/RibbonDiff.xml`, and `Other/Relationships.xml` with `Other/Relationships/<Schema>.xml`
 * (one file per referenced table) for the lookups. Element order and flags follow the pac-unpacked tables of
 * ../shared/anchors/pac-corpus. Only the tables' own columns are written: Dataverse adds the system columns
 * (owner, created/modified, state and status) when it creates a table.
 */

/** BOM + declaration, as pac unpack writes these files; they end without a newline. */
const PROLOG = '\ufeff<?xml version="1.0" encoding="utf-8"?>\n';
const NS = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';

export interface TableNames {
  /** `<prefix>_AuditLog`: folder, Entity Name, RootComponent. */
  schemaName: string;
  /** `<prefix>_auditlog`. */
  logicalName: string;
  /** `<prefix>_auditlogs`. */
  entitySet: string;
  primaryKey: string;
  primaryName: string;
}

/**
 * `a.localeCompare(b)` (en-US) for names made of lower-case letters, digits and `_`, as table, column and
 * relationship names are, without starting ICU's collator (a noticeable part of a build's run time): for these
 * characters the collation order is `_`, then digits, then letters, character by character, a prefix first. Any
 * other name is left to localeCompare. So the order no longer depends on the machine's locale for these names.
 */
export function compareCollated(a: string, b: string): number {
  if (!PLAIN_NAME.test(a) || !PLAIN_NAME.test(b)) return a.localeCompare(b);
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = collationRank(a.charCodeAt(i)) - collationRank(b.charCodeAt(i));
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

const PLAIN_NAME = /^[a-z0-9_]*$/;
/** `_` 0, `0`–`9` 1–10, `a`–`z` 11–36. */
const collationRank = (c: number): number => (c === 0x5f ? 0 : c <= 0x39 ? c - 0x2f : c - 0x56);

export function tableNames(prefix: string, t: TableDefinition): TableNames {
  const logicalName = `${prefix}_${t.name}`;
  return { schemaName: `${prefix}_${t.schemaName}`, logicalName, entitySet: `${prefix}_${t.entitySet}`, primaryKey: `${logicalName}id`, primaryName: `${prefix}_${t.primaryName.name}` };
}

/** Name of the 1:N relationship of a lookup column, as the maker portal names it: `<prefix>_<table>_<Column>_<target>`. */
export function relationshipName(prefix: string, t: TableDefinition, c: ColumnDefinition): string {
  return `${prefix}_${t.name}_${c.schemaName}_${prefix}_${c.target}`;
}

const labels = (tag: string, inner: string, text: string, indent: string): string[] => [
  `${indent}<${tag}s>`,
  `${indent}  <${inner} description="${escapeAttr(text)}" languagecode="1033" />`,
  `${indent}</${tag}s>`,
];

interface AttributeSpec {
  physicalName: string;
  type: string;
  required: 'none' | 'required' | 'systemrequired';
  displayMask: string;
  custom: boolean;
  createApi: boolean;
  updateApi: boolean;
  searchable: boolean;
  filterable: boolean;
  displayName: string;
  description: string;
  tail: string[];
}

function attribute(a: AttributeSpec, version: string): string[] {
  const i = '          ';
  const el = (tag: string, v: string | number) => `${i}<${tag}>${v}</${tag}>`;
  const bit = (b: boolean) => (b ? 1 : 0);
  return [
    `        <attribute PhysicalName="${a.physicalName}">`,
    el('Type', a.type),
    el('Name', a.physicalName.toLowerCase()),
    el('LogicalName', a.physicalName.toLowerCase()),
    el('RequiredLevel', a.required),
    el('DisplayMask', a.displayMask),
    el('ImeMode', 'auto'),
    el('ValidForUpdateApi', bit(a.updateApi)),
    el('ValidForReadApi', 1),
    el('ValidForCreateApi', bit(a.createApi)),
    el('IsCustomField', bit(a.custom)),
    el('IsAuditEnabled', 0),
    el('IsSecured', 0),
    el('IntroducedVersion', escapeText(version)),
    el('IsCustomizable', 1),
    el('IsRenameable', 1),
    el('CanModifySearchSettings', 1),
    el('CanModifyRequirementLevelSettings', a.required === 'systemrequired' ? 0 : 1),
    el('CanModifyAdditionalSettings', 1),
    el('SourceType', 0),
    el('IsGlobalFilterEnabled', 0),
    el('IsSortableEnabled', 0),
    el('CanModifyGlobalFilterSettings', 1),
    el('CanModifyIsSortableSettings', 1),
    el('IsDataSourceSecret', 0),
    `${i}<AutoNumberFormat></AutoNumberFormat>`,
    el('IsSearchable', bit(a.searchable)),
    el('IsFilterable', bit(a.filterable)),
    el('IsRetrievable', 1),
    el('IsLocalizable', 0),
    ...a.tail.map((l) => `${i}${l}`),
    ...labels('displayname', 'displayname', a.displayName, i),
    ...labels('Description', 'Description', a.description, i),
    '        </attribute>',
  ];
}

const MASK = 'ValidForAdvancedFind|ValidForForm|ValidForGrid';

function columnAttribute(prefix: string, t: TableDefinition, c: ColumnDefinition, version: string): AttributeSpec {
  const physicalName = `${prefix}_${c.schemaName}`;
  const base = {
    physicalName,
    required: c.required ? ('required' as const) : ('none' as const),
    displayMask: c.required ? `${MASK}|RequiredForForm` : MASK,
    custom: true,
    createApi: true,
    updateApi: true,
    displayName: c.displayName,
    description: c.description ?? '',
  };
  switch (c.type) {
    case 'string':
      return { ...base, type: 'nvarchar', searchable: true, filterable: true, tail: ['<Format>text</Format>', `<MaxLength>${c.maxLength}</MaxLength>`, `<Length>${c.maxLength! * 2}</Length>`] };
    case 'datetime':
      return { ...base, type: 'datetime', searchable: false, filterable: true, tail: ['<Format>datetime</Format>', '<CanChangeDateTimeBehavior>1</CanChangeDateTimeBehavior>', '<Behavior>1</Behavior>'] };
    case 'int':
      return { ...base, type: 'int', searchable: false, filterable: true, tail: ['<Format></Format>', '<MinValue>-2147483648</MinValue>', '<MaxValue>2147483647</MaxValue>'] };
    case 'lookup':
      return { ...base, type: 'lookup', searchable: false, filterable: true, tail: ['<LookupStyle>single</LookupStyle>', '<LookupTypes />'] };
    case 'bool': {
      const o = (value: number, label: string) => [
        `    <option value="${value}" ExternalValue="">`,
        '      <labels>',
        `        <label description="${label}" languagecode="1033" />`,
        '      </labels>',
        '    </option>',
      ];
      return {
        ...base,
        type: 'bit',
        searchable: false,
        filterable: true,
        tail: [
          '<AppDefaultValue>0</AppDefaultValue>',
          `<optionset Name="${prefix}_${t.name}_${physicalName.toLowerCase()}">`,
          '  <OptionSetType>bit</OptionSetType>',
          `  <IntroducedVersion>${escapeText(version)}</IntroducedVersion>`,
          '  <IsCustomizable>1</IsCustomizable>',
          '  <ExternalTypeName></ExternalTypeName>',
          ...labels('displayname', 'displayname', c.displayName, '  '),
          ...labels('Description', 'Description', c.description ?? '', '  '),
          '  <options>',
          ...o(1, 'Yes'),
          ...o(0, 'No'),
          '  </options>',
          '</optionset>',
        ],
      };
    }
  }
}

/** Entities/<Schema>/Entity.xml. */
export function entityXml(prefix: string, t: TableDefinition, version: string): string {
  const n = tableNames(prefix, t);
  const attrs = ([
    {
      physicalName: `${n.schemaName}Id`,
      type: 'primarykey',
      required: 'systemrequired',
      displayMask: 'ValidForAdvancedFind|RequiredForGrid',
      custom: false,
      createApi: true,
      updateApi: false,
      searchable: false,
      filterable: true,
      displayName: t.displayName,
      description: 'Unique identifier for entity instances',
      tail: [],
    },
    {
      physicalName: `${prefix}_${t.primaryName.name.charAt(0).toUpperCase()}${t.primaryName.name.slice(1)}`,
      type: 'nvarchar',
      required: 'none',
      displayMask: `PrimaryName|${MASK}`,
      custom: true,
      createApi: true,
      updateApi: true,
      searchable: true,
      filterable: false,
      displayName: t.primaryName.displayName,
      description: '',
      tail: ['<Format>text</Format>', `<MaxLength>${t.primaryName.maxLength}</MaxLength>`, `<Length>${t.primaryName.maxLength * 2}</Length>`],
    },
    ...t.columns.map((c) => columnAttribute(prefix, t, c, version)),
  ] satisfies AttributeSpec[]).sort((a, b) => compareCollated(a.physicalName.toLowerCase(), b.physicalName.toLowerCase()));
  const flag = (tag: string, v: string | number) => `      <${tag}>${v}</${tag}>`;
  const flags: [string, string | number][] = [
    ['EntitySetName', n.entitySet], ['IsDuplicateCheckSupported', 0], ['IsBusinessProcessEnabled', 0], ['IsRequiredOffline', 0],
    ['IsInteractionCentricEnabled', 0], ['IsCollaboration', 0], ['AutoRouteToOwnerQueue', 0], ['IsConnectionsEnabled', 0],
    ['IsDocumentManagementEnabled', 0], ['AutoCreateAccessTeams', 0], ['IsOneNoteIntegrationEnabled', 0], ['IsKnowledgeManagementEnabled', 0],
    ['IsSLAEnabled', 0], ['IsDocumentRecommendationsEnabled', 0], ['IsBPFEntity', 0], ['OwnershipTypeMask', 'UserOwned'], ['IsAuditEnabled', 0],
    ['IsRetrieveAuditEnabled', 0], ['IsRetrieveMultipleAuditEnabled', 0], ['IsActivity', 0], ['ActivityTypeMask', ''], ['IsActivityParty', 0],
    ['IsReplicated', 0], ['IsReplicationUserFiltered', 0], ['IsMailMergeEnabled', 0], ['IsVisibleInMobile', 0], ['IsVisibleInMobileClient', 0],
    ['IsReadOnlyInMobileClient', 0], ['IsOfflineInMobileClient', 0], ['DaysSinceRecordLastModified', 0], ['MobileOfflineFilters', ''],
    ['IsMapiGridEnabled', 1], ['IsReadingPaneEnabled', 1], ['IsQuickCreateEnabled', 0], ['SyncToExternalSearchIndex', 0],
    ['IntroducedVersion', escapeText(version)], ['IsCustomizable', 1], ['IsRenameable', 1], ['IsMappable', 1], ['CanModifyAuditSettings', 1],
    ['CanModifyMobileVisibility', 1], ['CanModifyMobileClientVisibility', 1], ['CanModifyMobileClientReadOnly', 1], ['CanModifyMobileClientOffline', 1],
    ['CanModifyConnectionSettings', 1], ['CanModifyDuplicateDetectionSettings', 1], ['CanModifyMailMergeSettings', 1], ['CanModifyQueueSettings', 1],
    ['CanCreateAttributes', 1], ['CanCreateForms', 1], ['CanCreateCharts', 1], ['CanCreateViews', 1], ['CanModifyAdditionalSettings', 1],
    ['CanEnableSyncToExternalSearchIndex', 1], ['EnforceStateTransitions', 0], ['CanChangeHierarchicalRelationship', 1], ['EntityHelpUrlEnabled', 0],
    ['ChangeTrackingEnabled', 1], ['CanChangeTrackingBeEnabled', 1], ['IsEnabledForExternalChannels', 0], ['IsMSTeamsIntegrationEnabled', 0],
    ['IsSolutionAware', 0],
  ];
  return (
    PROLOG +
    [
      `<Entity ${NS}>`,
      `  <Name LocalizedName="${escapeAttr(t.displayName)}" OriginalName="${escapeAttr(t.displayName)}">${n.schemaName}</Name>`,
      '  <EntityInfo>',
      `    <entity Name="${n.schemaName}">`,
      ...labels('LocalizedName', 'LocalizedName', t.displayName, '      '),
      ...labels('LocalizedCollectionName', 'LocalizedCollectionName', t.pluralName, '      '),
      ...labels('Description', 'Description', t.description, '      '),
      '      <attributes>',
      ...attrs.flatMap((a) => attribute(a, version)),
      '      </attributes>',
      ...flags.map(([k, v]) => (v === '' ? `      <${k}></${k}>` : flag(k, v))),
      '    </entity>',
      '  </EntityInfo>',
      '  <FormXml />',
      '  <SavedQueries />',
      '  <RibbonDiffXml />',
      '</Entity>',
    ].join('\n')
  );
}

const RIBBON_DIFF = [
  `<RibbonDiffXml ${NS}>`,
  '  <CustomActions />',
  '  <Templates>',
  '    <RibbonTemplates Id="Mscrm.Templates"></RibbonTemplates>',
  '  </Templates>',
  '  <CommandDefinitions />',
  '  <RuleDefinitions>',
  '    <TabDisplayRules />',
  '    <DisplayRules />',
  '    <EnableRules />',
  '  </RuleDefinitions>',
  '  <LocLabels />',
  '</RibbonDiffXml>',
].join('\n');

interface ViewSpec {
  id: string;
  name: string;
  querytype: 0 | 4 | 64;
  isdefault: boolean;
  columns: string[];
  order?: { column: string; descending: boolean };
  quickFind?: string[];
}

function savedQueryXml(n: TableNames, v: ViewSpec, version: string): string {
  const lookup = v.querytype === 64;
  const cells = v.columns.map((c, i) => `          <cell name="${c}" width="${i === 0 ? 300 : 150}" />`);
  return (
    PROLOG +
    [
      `<savedqueries ${NS}>`,
      '  <savedquery>',
      '    <IsCustomizable>1</IsCustomizable>',
      `    <CanBeDeleted>${v.querytype === 0 && !v.isdefault ? 1 : 0}</CanBeDeleted>`,
      `    <isquickfindquery>${v.querytype === 4 ? 1 : 0}</isquickfindquery>`,
      '    <isprivate>0</isprivate>',
      `    <isdefault>${v.isdefault ? 1 : 0}</isdefault>`,
      `    <savedqueryid>{${v.id}}</savedqueryid>`,
      '    <layoutxml>',
      `      <grid name="${lookup ? n.entitySet : 'resultset'}" jump="${n.primaryName}" select="1" icon="1" preview="${lookup ? 0 : 1}">`,
      `        <row name="${lookup ? n.logicalName : 'result'}" id="${n.primaryKey}">`,
      ...cells,
      '        </row>',
      '      </grid>',
      '    </layoutxml>',
      `    <querytype>${v.querytype}</querytype>`,
      '    <fetchxml>',
      '      <fetch version="1.0" mapping="logical">',
      `        <entity name="${n.logicalName}">`,
      `          <attribute name="${n.primaryKey}" />`,
      ...v.columns.map((c) => `          <attribute name="${c}" />`),
      ...(v.order ? [`          <order attribute="${v.order.column}" descending="${v.order.descending}" />`] : []),
      '          <filter type="and">',
      '            <condition attribute="statecode" operator="eq" value="0" />',
      '          </filter>',
      ...(v.quickFind
        ? ['          <filter type="or" isquickfindfields="1">', ...v.quickFind.map((c) => `            <condition attribute="${c}" operator="like" value="{0}" />`), '          </filter>']
        : []),
      '        </entity>',
      '      </fetch>',
      '    </fetchxml>',
      `    <IntroducedVersion>${escapeText(version)}</IntroducedVersion>`,
      '    <LocalizedNames>',
      `      <LocalizedName description="${escapeAttr(v.name)}" languagecode="1033" />`,
      '    </LocalizedNames>',
      '  </savedquery>',
      '</savedqueries>',
    ].join('\n')
  );
}

/** The views of a table: its defined views (the first is the default public view), Quick Find and Lookup. */
export function tableViews(uniqueName: string, prefix: string, t: TableDefinition): ViewSpec[] {
  const n = tableNames(prefix, t);
  const col = (c: string) => (c === 'createdon' || c === 'modifiedon' ? c : `${prefix}_${c}`);
  const id = (key: string) => componentGuid(uniqueName, 'savedquery', `${t.name}:${key}`);
  const defined = (t.views ?? []).map(
    (v: ViewDefinition, i): ViewSpec => ({ id: id(v.name), name: v.name, querytype: 0, isdefault: i === 0, columns: v.columns.map(col), order: { column: col(v.orderBy.column), descending: v.orderBy.descending } }),
  );
  const first = defined[0]?.columns ?? [n.primaryName, 'createdon'];
  return [
    ...defined,
    { id: id('quick find'), name: `Quick Find Active ${t.pluralName}`, querytype: 4, isdefault: true, columns: first, order: { column: n.primaryName, descending: false }, quickFind: [n.primaryName] },
    { id: id('lookup'), name: `${t.displayName} Lookup View`, querytype: 64, isdefault: true, columns: [n.primaryName, 'createdon'] },
  ];
}

/** The unpacked files of the tables: Entities/…, Other/Relationships.xml, Other/Relationships/…. */
export function tableFiles(uniqueName: string, prefix: string, defs: TableDefinitions, version: string): Map<string, string> {
  const out = new Map<string, string>();
  const byName = new Map(defs.tables.map((t) => [t.name, t]));
  const relationships = new Map<string, string[]>();
  const names: string[] = [];
  for (const t of defs.tables) {
    const n = tableNames(prefix, t);
    out.set(`Entities/${n.schemaName}/Entity.xml`, entityXml(prefix, t, version));
    out.set(`Entities/${n.schemaName}/RibbonDiff.xml`, PROLOG + RIBBON_DIFF);
    for (const v of tableViews(uniqueName, prefix, t)) out.set(`Entities/${n.schemaName}/SavedQueries/{${v.id}}.xml`, savedQueryXml(n, v, version));
    for (const c of t.columns.filter((x) => x.type === 'lookup')) {
      const target = tableNames(prefix, byName.get(c.target!)!);
      const name = relationshipName(prefix, t, c);
      names.push(name);
      const list = relationships.get(target.schemaName) ?? [];
      list.push(relationshipXml(name, n.schemaName, target.schemaName, `${prefix}_${c.schemaName}`, version));
      relationships.set(target.schemaName, list);
    }
  }
  if (names.length > 0) {
    const sorted = [...names].sort((a, b) => compareCollated(a.toLowerCase(), b.toLowerCase()));
    out.set('Other/Relationships.xml', PROLOG + [`<EntityRelationships ${NS}>`, ...sorted.map((r) => `  <EntityRelationship Name="${r}" />`), '</EntityRelationships>'].join('\n'));
    for (const [target, rels] of relationships) out.set(`Other/Relationships/${target}.xml`, PROLOG + [`<EntityRelationships ${NS}>`, ...rels, '</EntityRelationships>'].join('\n'));
  }
  return out;
}

function relationshipXml(name: string, referencing: string, referenced: string, attribute: string, version: string): string {
  return [
    `  <EntityRelationship Name="${name}">`,
    '    <EntityRelationshipType>OneToMany</EntityRelationshipType>',
    '    <IsCustomizable>1</IsCustomizable>',
    `    <IntroducedVersion>${escapeText(version)}</IntroducedVersion>`,
    '    <IsHierarchical>0</IsHierarchical>',
    `    <ReferencingEntityName>${referencing}</ReferencingEntityName>`,
    `    <ReferencedEntityName>${referenced}</ReferencedEntityName>`,
    '    <CascadeAssign>NoCascade</CascadeAssign>',
    '    <CascadeDelete>RemoveLink</CascadeDelete>',
    '    <CascadeArchive>RemoveLink</CascadeArchive>',
    '    <CascadeReparent>NoCascade</CascadeReparent>',
    '    <CascadeShare>NoCascade</CascadeShare>',
    '    <CascadeUnshare>NoCascade</CascadeUnshare>',
    '    <CascadeRollupView>NoCascade</CascadeRollupView>',
    '    <IsValidForAdvancedFind>1</IsValidForAdvancedFind>',
    `    <ReferencingAttributeName>${attribute}</ReferencingAttributeName>`,
    '    <RelationshipDescription>',
    '      <Descriptions>',
    '        <Description description="" languagecode="1033" />',
    '      </Descriptions>',
    '    </RelationshipDescription>',
    '    <EntityRelationshipRoles>',
    '      <EntityRelationshipRole>',
    '        <NavPaneDisplayOption>UseCollectionName</NavPaneDisplayOption>',
    '        <NavPaneArea>Details</NavPaneArea>',
    '        <NavPaneOrder>10000</NavPaneOrder>',
    `        <NavigationPropertyName>${attribute}</NavigationPropertyName>`,
    '        <RelationshipRoleType>1</RelationshipRoleType>',
    '      </EntityRelationshipRole>',
    '      <EntityRelationshipRole>',
    `        <NavigationPropertyName>${name}</NavigationPropertyName>`,
    '        <RelationshipRoleType>0</RelationshipRoleType>',
    '      </EntityRelationshipRole>',
    '    </EntityRelationshipRoles>',
    '  </EntityRelationship>',
  ].join('\n');
}
