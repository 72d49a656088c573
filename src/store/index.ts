export { MemoryStore, stableGuid } from './memory-store.js';
export type { MemoryStoreOptions, StoreChange } from './memory-store.js';
export { parseFilter, ODataError } from './odata.js';
export type { FilterNode } from './odata.js';
export { checkSeed, createStore, loadStore, readStoreSeed, withDefaults } from './seed.js';
export type { StoreSeed } from './seed.js';
export { ENVVAR_TYPES, TABLES } from './tables.js';
export type { ColumnDef, LookupDef, TableDef } from './tables.js';
