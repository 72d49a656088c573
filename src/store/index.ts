export { MemoryStore, stableGuid } from './memory-store.js';
export type { MemoryStoreOptions, StoreChange } from './memory-store.js';
export { parseFilter, ODataError } from './odata.js';
export type { FilterNode } from './odata.js';
export { checkSeed, createStore, loadStore, readStoreSeed, withDefaults } from './seed.js';
export type { StoreSeed } from './seed.js';
export {
  coeStoreSchema,
  definitionsPrefix,
  loadTableDefinitions,
  parseTableDefinitions,
  storeSchema,
  storeTables,
  SYSTEM_VIEW_COLUMNS,
  TABLE_DEFINITION_FILES,
  type ColumnDefinition,
  type ColumnKind,
  type StoreSchema,
  type TableDefinition,
  type TableDefinitions,
  type ViewDefinition,
} from './schema.js';
export { ENVVAR_TYPES, SYSTEM_TABLES } from './tables.js';
export type { ColumnDef, LookupDef, TableDef } from './tables.js';
