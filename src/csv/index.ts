export { csvField, isoCreationDate, PURVIEW_CSV_HEADER, toPurviewCsvRow } from './purview-row.js';
export type { AuditRecord, PurviewRowExtras } from './purview-row.js';
