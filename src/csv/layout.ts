/** The Purview export layouts (activity-api.md §4) and what each record holds. */
import { printable, UsageError } from '../errors.js';
import { parseFields } from './fields.js';

export type LayoutName = 'current' | 'legacy';

export interface Layout {
  name: LayoutName;
  /** Column names as exports write them (the first spelling when several are accepted). */
  columns: readonly string[];
  /** Column indexes of what every layout has. */
  creationDate: number;
  userId: number;
  operation: number;
  auditData: number;
  recordId?: number;
  recordType?: number;
  associatedAdminUnits?: number;
  associatedAdminUnitsNames?: number;
}

export const CURRENT_LAYOUT: Layout = {
  name: 'current',
  columns: ['RecordId', 'CreationDate', 'RecordType', 'Operation', 'UserId', 'AuditData', 'AssociatedAdminUnits', 'AssociatedAdminUnitsNames'],
  recordId: 0,
  creationDate: 1,
  recordType: 2,
  operation: 3,
  userId: 4,
  auditData: 5,
  associatedAdminUnits: 6,
  associatedAdminUnitsNames: 7,
};

export const LEGACY_LAYOUT: Layout = {
  name: 'legacy',
  columns: ['CreationDate', 'UserIds', 'Operations', 'AuditData'],
  creationDate: 0,
  userId: 1,
  operation: 2,
  auditData: 3,
};

/** Other spellings seen in the wild, per column name. */
const ALTERNATES: Record<string, readonly string[]> = { AssociatedAdminUnitsNames: ['AssociatedAdminUnitNames'] };

/** Header fields match case-insensitively, ignoring surrounding spaces. */
function matches(layout: Layout, fields: readonly string[]): boolean {
  if (fields.length !== layout.columns.length) return false;
  return layout.columns.every((col, i) => {
    const got = fields[i]!.trim().toLowerCase();
    return [col, ...(ALTERNATES[col] ?? [])].some((c) => c.toLowerCase() === got);
  });
}

/**
 * Detects the layout from the header record's bytes (BOM and line end included). A file that is not a Purview
 * export is a UsageError naming the headers expected.
 */
export function detectLayout(header: Buffer, file: string): Layout {
  let text = header.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  text = stripLineEnd(text);
  const parsed = parseFields(text);
  if ('fields' in parsed) {
    for (const layout of [CURRENT_LAYOUT, LEGACY_LAYOUT]) if (matches(layout, parsed.fields)) return layout;
  }
  const cr = text.indexOf('\r');
  if (cr >= 0) {
    // No LF before a CR: the file's lines end in CR alone (classic Mac OS), so the whole file reads as one line.
    const first = parseFields(text.slice(0, cr));
    if ('fields' in first && [CURRENT_LAYOUT, LEGACY_LAYOUT].some((l) => matches(l, first.fields))) {
      throw new UsageError([{ file, line: 1, message: 'has CR-only line ends (classic Mac OS): no line ends in LF, so no record can be found; save it with CRLF or LF line ends' }]);
    }
  }
  const found = printable(text.length > 120 ? `${text.slice(0, 120)}…` : text);
  throw new UsageError([
    {
      file,
      line: 1,
      message:
        `not a Microsoft Purview audit-log export: expected the header '${CURRENT_LAYOUT.columns.join(',')}' (current export) ` +
        `or '${LEGACY_LAYOUT.columns.join(',')}' (classic export), found '${found}'`,
    },
  ]);
}

export function stripLineEnd(text: string): string {
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  if (text.endsWith('\n')) return text.slice(0, -1);
  return text;
}
