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
const i: ColumnDef = { type: 'int' };
const g: ColumnDef = { type: 'guid' };

/**
 * Dataverse's own tables the flows read (environment variable definitions and values). The tables of the
 * editions come from their table definitions (schema.ts); these two are in every environment. Environment
 * variable option values: String 100000000, Number 100000001, Boolean 100000002, JSON 100000003, Data source
 * 100000004, Secret 100000005.
 */
export const SYSTEM_TABLES: Record<string, TableDef> = {
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
