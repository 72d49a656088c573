/**
 * `content pull` as a pipeline: a record source yields batches in a deterministic order (the Activity API source:
 * one batch per blob, in listing order), the pipeline de-duplicates by Id and filters, and a sink writes each
 * batch as soon as it is ready (stdout, memory, or a resumable file). Another source (Graph) plugs in by yielding
 * RecordBatch values; sinks do not know where records come from.
 */
import type { AuditRecord } from '../csv/index.js';
import { RuntimeError } from '../errors.js';
import { ApiError, callApi, listContent, planSlices, type ApiSession, type ContentItem } from './activity.js';
import type { ContentType } from './content-types.js';
import { IdSet, ID_KEY_BYTES, idKey } from './id-set.js';

/** Records of one unit of work (a blob), under a key stable across runs (its contentId). */
export interface RecordBatch {
  key: string;
  records: AuditRecord[];
}

/** Where kept records go. `done` lists the batch keys a resumed sink already holds: the source skips them. */
export interface PullSink {
  readonly done: ReadonlySet<string>;
  /** Id keys of records the sink already holds (a resumed pull), ID_KEY_BYTES each. */
  readonly heldIds: Iterable<Uint8Array>;
  /** Records kept so far by earlier runs of a resumed pull. */
  readonly heldRecords: number;
  /** One batch: the kept records (serialized by the sink) and their Id keys. Durable when it returns. */
  write(key: string, records: AuditRecord[], ids: Uint8Array[]): void;
}

export interface PipelineStats {
  /** Records kept, earlier runs of a resumed pull included. */
  records: number;
  batches: number;
  /** Records seen again under an Id already kept (duplicates across blobs are expected, §1.12). */
  duplicateRecords: number;
  /** Records left out by --operation. */
  filteredOut: number;
}

/** De-duplicates (by Id, a bounded IdSet) and filters the batches of `source` into `sink`, batch by batch. */
export async function runPipeline(
  source: AsyncIterable<RecordBatch>,
  sink: PullSink,
  o: { operations?: readonly string[]; onBatch?: (stats: PipelineStats) => void } = {},
): Promise<PipelineStats> {
  const wanted = new Set((o.operations ?? []).map((x) => x.toLowerCase()));
  const seen = new IdSet();
  for (const k of sink.heldIds) seen.add(k);
  const stats: PipelineStats = { records: sink.heldRecords, batches: 0, duplicateRecords: 0, filteredOut: 0 };
  for await (const batch of source) {
    const kept: AuditRecord[] = [];
    const ids: Uint8Array[] = [];
    for (const r of batch.records) {
      const key = idKey(String(r['Id'] ?? ''));
      if (!seen.add(key)) {
        stats.duplicateRecords++;
        continue;
      }
      if (wanted.size > 0 && !wanted.has(String(r['Operation'] ?? '').toLowerCase())) {
        stats.filteredOut++;
        continue;
      }
      kept.push(r);
      ids.push(key);
    }
    sink.write(batch.key, kept, ids);
    stats.records += kept.length;
    stats.batches++;
    o.onBatch?.(stats);
  }
  return stats;
}

/** What the Activity API source did: its progress (inFlight: downloads started and not yet handed on), and… */
export interface ActivitySourceStats extends Omit<PullProgress, 'records'> {
  /** Listing entries whose contentId had already been listed (the API may list a blob twice). */
  duplicateBlobs: number;
  /** Blobs the API answered AF20051 for (expired): their records cannot be retrieved. */
  expiredBlobs: string[];
}

export interface ActivitySourceOptions {
  start: number;
  end: number;
  contentType: ContentType;
  /** Blob downloads in flight at most (default 8); also the most blobs held in memory at once. */
  concurrency?: number;
  now: number;
  /** Blobs to skip (already written by an earlier run). */
  skip?: ReadonlySet<string>;
  onWarning?: (line: string) => void;
  onProgress?: (s: ActivitySourceStats) => void;
}

/**
 * The Activity API as a record source: slices of ≤ 24 h, pages, blob downloads with bounded concurrency, handed on
 * in listing order (a completed blob waits for the earlier ones, and no more than `concurrency` blobs are held),
 * so the output order is the listing's whatever the download timing.
 */
export function activitySource(s: ApiSession, o: ActivitySourceOptions, stats: ActivitySourceStats = newSourceStats()): AsyncIterable<RecordBatch> {
  const slices = planSlices(o.start, o.end, o.now);
  stats.slices = slices.length;
  const concurrency = Math.max(1, o.concurrency ?? 8);
  const progress = () => o.onProgress?.(stats);
  const fetchBlob = async (item: ContentItem): Promise<RecordBatch> => {
    try {
      const res = await callApi(s, 'GET', item.contentUri);
      let records: unknown;
      try {
        records = JSON.parse(res.body);
      } catch {
        throw new RuntimeError(`the Activity API answered the blob ${item.contentId} with a body that is not JSON (HTTP ${res.status})`);
      }
      if (!Array.isArray(records)) throw new RuntimeError(`the blob ${item.contentId} is not a JSON array`);
      stats.blobsFetched++;
      return { key: item.contentId, records: records as AuditRecord[] };
    } catch (e) {
      if (e instanceof ApiError && e.code === 'AF20051') {
        stats.expiredBlobs.push(item.contentId);
        o.onWarning?.(`blob ${item.contentId} has expired (AF20051): its records cannot be retrieved`);
        return { key: item.contentId, records: [] };
      }
      throw e;
    }
  };
  return {
    async *[Symbol.asyncIterator]() {
      const listed = new Set<string>();
      const queue: Promise<RecordBatch>[] = [];
      const take = async (): Promise<RecordBatch> => {
        const b = await queue.shift()!;
        stats.inFlight = queue.length;
        progress();
        return b;
      };
      try {
        for (const [i, slice] of slices.entries()) {
          stats.slice = i + 1;
          for await (const page of listContent(s, o.contentType, slice.start, slice.end, (w) => o.onWarning?.(w))) {
            stats.pages++;
            for (const item of page) {
              if (listed.has(item.contentId)) {
                stats.duplicateBlobs++;
                continue;
              }
              listed.add(item.contentId);
              stats.blobsListed++;
              if (o.skip?.has(item.contentId)) continue;
              const p = fetchBlob(item);
              // Awaited in order below; a rejection is never left unhandled meanwhile.
              p.catch(() => {});
              queue.push(p);
              stats.inFlight = queue.length;
              while (queue.length >= concurrency) yield await take();
            }
            progress();
          }
        }
        while (queue.length > 0) yield await take();
      } finally {
        // Stopped early (a failure downstream): let the downloads still running settle quietly.
        await Promise.allSettled(queue);
      }
    },
  };
}

export function newSourceStats(): ActivitySourceStats {
  return { slice: 0, slices: 0, pages: 0, blobsListed: 0, blobsFetched: 0, inFlight: 0, duplicateBlobs: 0, expiredBlobs: [] };
}

/** A sink that keeps everything in memory (library use and tests; the CLI streams to a file or stdout). */
export function memorySink(): PullSink & { records: AuditRecord[] } {
  const records: AuditRecord[] = [];
  return {
    records,
    done: new Set(),
    heldIds: [],
    heldRecords: 0,
    write(_key, batch) {
      records.push(...batch);
    },
  };
}

/** A sink that serializes each batch and hands the text on at once (stdout). Not resumable. */
export function streamSink(serialize: (r: AuditRecord) => string, write: (text: string) => void): PullSink {
  return {
    done: new Set(),
    heldIds: [],
    heldRecords: 0,
    write(_key, batch) {
      if (batch.length > 0) write(batch.map(serialize).join(''));
    },
  };
}

export { ID_KEY_BYTES };

export interface PullOptions {
  start: number;
  end: number;
  /** One content type, or several pulled one after the other into the same sink (one de-duplication). */
  contentType: ContentType | readonly ContentType[];
  /** Keep only these operations (case-insensitive); all when empty. */
  operations?: string[];
  /** Blob downloads in flight at most (default 8). */
  concurrency?: number;
  /** The current time (from the caller's clock), for the 7-day rule. */
  now: number;
  onProgress?: (p: PullProgress) => void;
  onWarning?: (line: string) => void;
  /** Where the records go (default: memory, returned as `records`). */
  sink?: PullSink;
}

export interface PullProgress {
  slice: number;
  slices: number;
  pages: number;
  blobsListed: number;
  blobsFetched: number;
  /** Blob downloads started and not yet written. */
  inFlight: number;
  records: number;
}

export interface PullStats extends PullProgress {
  duplicateBlobs: number;
  duplicateRecords: number;
  filteredOut: number;
  expiredBlobs: string[];
  /** Blobs an earlier run of a resumed pull had written (skipped). */
  resumedBlobs: number;
  requests: number;
  retries: number;
}

export interface PullResult {
  /** With the default memory sink: the distinct records (by Id), in listing order of their blobs. */
  records: AuditRecord[];
  /** Totals over the content types. */
  stats: PullStats;
  /** Per content type: what its listing and downloads did, and the records it contributed. */
  perType: ({ contentType: ContentType; records: number } & ActivitySourceStats)[];
}

/** Several sources one after the other, as one: batch keys are prefixed so they stay unique across sources. */
async function* chain(sources: { prefix: string; source: AsyncIterable<RecordBatch>; started: () => void }[]): AsyncGenerator<RecordBatch> {
  for (const s of sources) {
    s.started();
    for await (const b of s.source) yield { key: s.prefix + b.key, records: b.records };
  }
}

/** `content pull`: the Activity API source(s) through the de-duplicating pipeline into a sink. */
export async function pullContent(s: ApiSession, o: PullOptions): Promise<PullResult> {
  const types: readonly ContentType[] = typeof o.contentType === 'string' ? [o.contentType] : o.contentType;
  const requests0 = s.http.stats.requests;
  const retries0 = s.http.stats.retries;
  const mem = o.sink ? undefined : memorySink();
  const sink = o.sink ?? mem!;
  let kept = sink.heldRecords;
  const perType = types.map((contentType) => ({ contentType, records: 0, ...newSourceStats() }));
  let current = perType[0]!;
  const progress = () =>
    o.onProgress?.({ slice: current.slice, slices: current.slices, pages: current.pages, blobsListed: current.blobsListed, blobsFetched: current.blobsFetched, inFlight: current.inFlight, records: kept });
  // With one type the keys are the contentIds themselves; with several, `<type>/<contentId>`.
  const prefixed = types.length > 1;
  const sources = types.map((contentType, i) => {
    const skip = prefixed ? new Set([...sink.done].filter((k) => k.startsWith(`${contentType}/`)).map((k) => k.slice(contentType.length + 1))) : sink.done;
    return {
      prefix: prefixed ? `${contentType}/` : '',
      started: () => {
        current = perType[i]!;
      },
      source: activitySource(
        s,
        { start: o.start, end: o.end, contentType, concurrency: o.concurrency, now: o.now, skip, onWarning: o.onWarning, onProgress: progress },
        perType[i],
      ),
    };
  });
  const p = await runPipeline(chain(sources), sink, {
    operations: o.operations,
    onBatch: (st) => {
      current.records += st.records - kept;
      kept = st.records;
    },
  });
  const sum = (k: 'slices' | 'pages' | 'blobsListed' | 'blobsFetched' | 'duplicateBlobs') => perType.reduce((n, t) => n + t[k], 0);
  const stats: PullStats = {
    slice: current.slice,
    slices: sum('slices'),
    pages: sum('pages'),
    blobsListed: sum('blobsListed'),
    blobsFetched: sum('blobsFetched'),
    inFlight: 0,
    records: p.records,
    duplicateBlobs: sum('duplicateBlobs'),
    duplicateRecords: p.duplicateRecords,
    filteredOut: p.filteredOut,
    expiredBlobs: perType.flatMap((t) => t.expiredBlobs),
    resumedBlobs: sink.done.size,
    requests: s.http.stats.requests - requests0,
    retries: s.http.stats.retries - retries0,
  };
  return { records: mem?.records ?? [], stats, perType };
}
