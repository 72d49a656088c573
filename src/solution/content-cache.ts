import { crc32 } from './crc32.js';

/**
 * Values computed from bytes (deflated or inflated zip entries, a flow file's findings), kept per process so that
 * `build`, which handles the same files for every cloud, edition and package type, computes each once. Looked up by
 * CRC-32 and length, a hit taken only when the bytes (and the optional extra key) are equal; the bytes are copied, so
 * a caller may change its buffer afterwards. Bounded: past `maxBytes` of kept input it starts again empty, so a long
 * run over many solutions stays small. Inputs larger than the bound are not kept.
 */
export class ContentCache<V> {
  private readonly entries = new Map<string, { data: Buffer; extra: string; value: V }[]>();
  private keptBytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(data: Uint8Array, extra = ''): V | undefined {
    const bytes = view(data);
    return this.entries.get(bucketOf(bytes))?.find((e) => e.extra === extra && e.data.equals(bytes))?.value;
  }

  set(data: Uint8Array, value: V, extra = ''): void {
    if (data.length > this.maxBytes) return;
    if (this.keptBytes + data.length > this.maxBytes) {
      this.entries.clear();
      this.keptBytes = 0;
    }
    const bytes = view(data);
    const bucket = bucketOf(bytes);
    const entry = { data: Buffer.from(bytes), extra, value };
    const list = this.entries.get(bucket);
    if (list) list.push(entry);
    else this.entries.set(bucket, [entry]);
    this.keptBytes += data.length;
  }
}

const view = (data: Uint8Array) => Buffer.from(data.buffer, data.byteOffset, data.byteLength);
const bucketOf = (bytes: Buffer) => `${crc32(bytes)}:${bytes.length}`;
