/** Column types the local store knows. */
export type ColumnType = 'string' | 'datetime' | 'bool' | 'int' | 'guid' | 'any';

export interface ColumnDef {
  type: ColumnType;
  /** nvarchar length; longer values are refused as Dataverse refuses them. */
  maxLength?: number;
}

export interface LookupDef {
  /** The `_<name>_value` column that holds the referenced id. */
  column: string;
  /** Entity set of the referenced table. */
  target: string;
}

export interface TableDef {
  /** Logical (singular) name, used in Dataverse's messages. */
  logicalName: string;
  primaryKey: string;
  columns: Record<string, ColumnDef>;
  /** Navigation properties settable with `<name>@odata.bind`, by schema name. */
  lookups: Record<string, LookupDef>;
  /**
   * A table of another solution whose columns the store does not know: any column name is accepted and kept
   * as given (type `any`). Only for running flows nobody here wrote; the CoE tables are closed.
   */
  open?: boolean;
}

const s = (maxLength = 4000): ColumnDef => ({ type: 'string', maxLength });
const dt: ColumnDef = { type: 'datetime' };
const b: ColumnDef = { type: 'bool' };
const i: ColumnDef = { type: 'int' };
const g: ColumnDef = { type: 'guid' };

/**
 * The tables the audit-log flows touch, by entity set name, with the columns of the CoE Core schema
 * (coe-audit-components.md §5, §7). Environment variable option values: String 100000000, Number 100000001,
 * Boolean 100000002, JSON 100000003, Data source 100000004, Secret 100000005.
 */
export const TABLES: Record<string, TableDef> = {
  admin_auditlogs: {
    logicalName: 'admin_auditlog',
    primaryKey: 'admin_auditlogid',
    columns: {
      admin_title: s(100),
      admin_creationtime: dt,
      admin_operation: s(100),
      admin_appid: s(100),
      admin_appname: s(300),
      admin_appenvironment: s(100),
      admin_appispremium: b,
      admin_userupn: s(300),
      admin_userid: s(100),
      admin_username: s(300),
      admin_userjobtitle: s(300),
      admin_userdepartment: s(300),
      admin_usercountry: s(300),
      admin_usercity: s(300),
      admin_userisguest: b,
      admin_workload: s(300),
      _admin_applookup_value: g,
      statecode: i,
      statuscode: i,
    },
    lookups: { admin_AppLookup: { column: '_admin_applookup_value', target: 'admin_apps' } },
  },
  admin_apps: {
    logicalName: 'admin_app',
    primaryKey: 'admin_appid',
    columns: {
      admin_displayname: s(200),
      admin_applastlaunchedon: dt,
      admin_appdeleted: b,
      admin_appdeletedon: dt,
      admin_usespremiumapi: b,
      admin_appenvironmentname: s(200),
      statecode: i,
      statuscode: i,
    },
    lookups: {},
  },
  admin_syncflowerrorses: {
    logicalName: 'admin_syncflowerrors',
    primaryKey: 'admin_syncflowerrorsid',
    columns: {
      admin_name: s(850),
      admin_flowinstanceurl: s(1000),
      admin_environmentname: s(100),
      admin_errormessage: s(4000),
      statecode: i,
      statuscode: i,
    },
    lookups: {},
  },
  admin_coesolutionmetadatas: {
    logicalName: 'admin_coesolutionmetadata',
    primaryKey: 'admin_coesolutionmetadataid',
    columns: {
      admin_objectname: s(200),
      admin_lastrun: dt,
      admin_lastrunpassed: b,
      statecode: i,
      statuscode: i,
    },
    lookups: {},
  },
  environmentvariabledefinitions: {
    logicalName: 'environmentvariabledefinition',
    primaryKey: 'environmentvariabledefinitionid',
    columns: {
      schemaname: s(200),
      displayname: s(200),
      type: i,
      defaultvalue: s(2000),
      statecode: i,
      statuscode: i,
    },
    lookups: {},
  },
  environmentvariablevalues: {
    logicalName: 'environmentvariablevalue',
    primaryKey: 'environmentvariablevalueid',
    columns: {
      schemaname: s(200),
      value: s(2000),
      _environmentvariabledefinitionid_value: g,
      statecode: i,
      statuscode: i,
    },
    lookups: { EnvironmentVariableDefinitionId: { column: '_environmentvariabledefinitionid_value', target: 'environmentvariabledefinitions' } },
  },
};

export const ENVVAR_TYPES: Record<string, number> = {
  string: 100000000,
  number: 100000001,
  boolean: 100000002,
  json: 100000003,
  datasource: 100000004,
  secret: 100000005,
};
