import type { AuditRecord } from '../csv/index.js';

/**
 * Where a pull puts the records it receives, whatever the source (Management API blobs or Graph audit log query
 * pages): de-duplication by record Id, the --operation filter, serialization on arrival, and the final order
 * (CreationTime, then Id).
 */
export interface RecordSink {
  add(records: readonly AuditRecord[]): void;
  /** Distinct kept records (or their serialized lines), sorted. */
  finish(): { records: AuditRecord[]; lines: string[] };
  readonly counts: { records: number; duplicateRecords: number; filteredOut: number };
}

interface Kept {
  id: string;
  time: string;
  record?: AuditRecord;
  line?: string;
}

export function createRecordSink(o: { operations?: string[]; serialize?: (record: AuditRecord) => string }): RecordSink {
  const wanted = new Set((o.operations ?? []).map((x) => x.toLowerCase()));
  const byId = new Map<string, Kept | null>();
  const counts = { records: 0, duplicateRecords: 0, filteredOut: 0 };
  return {
    counts,
    add(records) {
      for (const r of records) {
        const id = String(r['Id'] ?? '');
        if (byId.has(id)) {
          counts.duplicateRecords++;
          continue;
        }
        if (wanted.size > 0 && !wanted.has(String(r['Operation'] ?? '').toLowerCase())) {
          counts.filteredOut++;
          byId.set(id, null);
          continue;
        }
        const time = String(r['CreationTime'] ?? '');
        byId.set(id, o.serialize ? { id, time, line: o.serialize(r) } : { id, time, record: r });
        counts.records++;
      }
    },
    finish() {
      const kept = [...byId.values()].filter((k): k is Kept => k !== null);
      kept.sort((a, b) => cmp(a.time, b.time) || cmp(a.id, b.id));
      if (o.serialize) return { records: [], lines: kept.map((k) => k.line!) };
      return { records: kept.map((k) => k.record!), lines: [] };
    },
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
