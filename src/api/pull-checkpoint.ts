/**
 * The resumable file sink of `content pull --out`: records are appended to a temporary file as each batch is ready,
 * with a journal that makes the pull resumable after a failure or a kill. Layout, next to the output file:
 *
 *   .<name>.pull/params.json   what is being pulled (a resume must ask for the same)
 *   .<name>.pull/records       the output so far (header included), renamed onto <name> when complete
 *   .<name>.pull/ids           16-byte keys of the Ids kept so far (the de-duplication state)
 *   .<name>.pull/journal       one line per finished batch: {"key","bytes","ids","records"}
 *
 * A batch counts only once its journal line is complete; a resume truncates `records` and `ids` to the last
 * complete line, so a kill at any point loses nothing and repeats nothing.
 */
import { closeSync, existsSync, ftruncateSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { AuditRecord } from '../csv/index.js';
import { fileSystemError, UsageError } from '../errors.js';
import { ensureDir, faultPoint, writeFileAtomic } from '../io/index.js';
import { ID_KEY_BYTES, type PullSink } from './pull.js';

export interface CheckpointParams {
  start: string;
  end: string;
  contentType: string;
  operations: string[];
  format: string;
}

export interface FileSink extends PullSink {
  /** Whether this run continues an earlier one. */
  readonly resumed: boolean;
  /** Publishes the output (one rename) and removes the checkpoint. */
  finish(): void;
  /** Closes the files, keeping the checkpoint for --resume. */
  close(): void;
}

interface JournalLine {
  key: string;
  bytes: number;
  ids: number;
  records: number;
}

export function checkpointFolder(out: string): string {
  const abs = resolve(out);
  return join(dirname(abs), `.${basename(abs)}.pull`);
}

/**
 * Opens the sink for `out`. Without `resume`, any earlier checkpoint is discarded and the pull starts over; with it,
 * the checkpoint must exist and be for the same parameters.
 */
export function openFileSink(o: { out: string; params: CheckpointParams; header: string; serialize: (r: AuditRecord) => string; resume: boolean }): FileSink {
  const dir = checkpointFolder(o.out);
  const file = (n: string) => join(dir, n);
  const paramsText = JSON.stringify({ version: 1, ...o.params }) + '\n';
  let journal: JournalLine[] = [];
  try {
    if (o.resume) {
      if (!existsSync(file('params.json'))) throw new UsageError([{ file: o.out, message: 'has no interrupted pull to resume (no checkpoint next to it); run without --resume' }]);
      if (readFileSync(file('params.json'), 'utf8') !== paramsText) {
        throw new UsageError([{ file: o.out, message: 'the interrupted pull of this file was for other --start, --end, --content-type, --operation or format; repeat them as they were, or run without --resume to start over' }]);
      }
      const lines = readFileSync(file('journal'), 'utf8').split('\n');
      lines.pop(); // the text after the last LF: empty, or a line the kill cut short
      journal = lines.map((l) => JSON.parse(l) as JournalLine);
    } else {
      rmSync(dir, { recursive: true, force: true });
      ensureDir(dir);
      writeFileAtomic(file('params.json'), paramsText);
      for (const n of ['records', 'ids', 'journal']) closeSync(openSync(file(n), 'w'));
    }
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw fileSystemError(dir, e, o.resume ? 'read' : 'write');
  }
  const last = journal[journal.length - 1];
  const records = openSync(file('records'), 'r+');
  const ids = openSync(file('ids'), 'r+');
  const log = openSync(file('journal'), 'r+');
  let bytes = last?.bytes ?? 0;
  let idCount = last?.ids ? last.ids : 0;
  let held = journal.reduce((n, j) => n + j.records, 0);
  // Cut what a killed run wrote after its last complete journal line.
  ftruncateSync(records, bytes);
  ftruncateSync(ids, idCount * ID_KEY_BYTES);
  const journalText = journal.map((j) => JSON.stringify(j) + '\n').join('');
  ftruncateSync(log, Buffer.byteLength(journalText));
  let logBytes = Buffer.byteLength(journalText);
  if (bytes === 0 && o.header) bytes += writeAt(records, Buffer.from(o.header, 'utf8'), 0);
  const heldIds = (function* () {
    const all = idCount > 0 ? readFileSync(file('ids')).subarray(0, idCount * ID_KEY_BYTES) : Buffer.alloc(0);
    for (let i = 0; i < all.length; i += ID_KEY_BYTES) yield all.subarray(i, i + ID_KEY_BYTES);
  })();
  let open = true;
  const closeAll = () => {
    if (!open) return;
    open = false;
    for (const fd of [records, ids, log]) closeSync(fd);
  };
  return {
    resumed: o.resume,
    done: new Set(journal.map((j) => j.key)),
    heldIds,
    heldRecords: held,
    write(key, batch, keys) {
      bytes += writeAt(records, encode(batch.map(o.serialize).join('')), bytes);
      if (keys.length > 0) {
        const k = Buffer.concat(keys.map((x) => Buffer.from(x.buffer, x.byteOffset, x.byteLength)));
        writeAt(ids, k, idCount * ID_KEY_BYTES);
        idCount += keys.length;
      }
      held += batch.length;
      const line = Buffer.from(JSON.stringify({ key, bytes, ids: idCount, records: batch.length } satisfies JournalLine) + '\n', 'utf8');
      logBytes += writeAt(log, line, logBytes);
    },
    finish() {
      closeAll();
      try {
        faultPoint('rename');
        renameSync(file('records'), o.out);
      } catch (e) {
        throw fileSystemError(o.out, e, 'write');
      }
      rmSync(dir, { recursive: true, force: true });
    },
    close: closeAll,
  };
}

/**
 * One reused buffer for the text of each batch (grown when a batch needs more): a pull of thousands of blobs does not
 * allocate and free a buffer the size of each blob outside the JavaScript heap, which fragments the process's
 * native memory over a long pull. The view returned is valid until the next call.
 */
let scratch = Buffer.allocUnsafe(1 << 16);
function encode(text: string): Buffer {
  const need = Buffer.byteLength(text, 'utf8');
  if (need > scratch.length) scratch = Buffer.allocUnsafe(Math.max(need, scratch.length * 2));
  return scratch.subarray(0, scratch.write(text, 0, 'utf8'));
}

function writeAt(fd: number, data: Buffer, position: number): number {
  faultPoint('write');
  let done = 0;
  while (done < data.length) done += writeSync(fd, data, done, data.length - done, position + done);
  return data.length;
}
