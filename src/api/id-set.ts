import { createHash } from 'node:crypto';

/** Bytes one record Id takes in an IdSet and in a checkpoint's id file. */
export const ID_KEY_BYTES = 16;

/**
 * A record Id as 16 bytes: a GUID (every Activity API Id is one) is its own 128 bits, so two Ids never share a
 * key; anything else is its MD5 (a clash between 128-bit digests is not a practical concern).
 */
export function idKey(id: string): Uint8Array {
  const hex = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(id) ? id.replace(/-/g, '') : undefined;
  if (hex) return Buffer.from(hex.toLowerCase(), 'hex');
  return createHash('md5').update('id:').update(id).digest();
}

/**
 * The de-duplication state of a pull: a set of 16-byte Id keys in one open-addressing table (two typed arrays),
 * about 40 bytes per Id at most, instead of a Map of records or strings. A million Ids take about 32 MiB.
 */
export class IdSet {
  private words = new Uint32Array(4 * 1024);
  private used = new Uint8Array(1024);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Adds the key; false when it was already there. */
  add(key: Uint8Array): boolean {
    if ((this.count + 1) * 2 > this.used.length) this.grow();
    return this.insert(words(key));
  }

  has(key: Uint8Array): boolean {
    const cap = this.used.length;
    const [a, b, c, d] = words(key);
    for (let i = slotOf(a, b, c, d, cap); ; i = (i + 1) & (cap - 1)) {
      if (!this.used[i]) return false;
      const w = i * 4;
      if (this.words[w] === a && this.words[w + 1] === b && this.words[w + 2] === c && this.words[w + 3] === d) return true;
    }
  }

  private insert([a, b, c, d]: [number, number, number, number]): boolean {
    const cap = this.used.length;
    for (let i = slotOf(a, b, c, d, cap); ; i = (i + 1) & (cap - 1)) {
      const w = i * 4;
      if (!this.used[i]) {
        this.used[i] = 1;
        this.words[w] = a;
        this.words[w + 1] = b;
        this.words[w + 2] = c;
        this.words[w + 3] = d;
        this.count++;
        return true;
      }
      if (this.words[w] === a && this.words[w + 1] === b && this.words[w + 2] === c && this.words[w + 3] === d) return false;
    }
  }

  private grow(): void {
    const oldWords = this.words;
    const oldUsed = this.used;
    this.words = new Uint32Array(oldWords.length * 2);
    this.used = new Uint8Array(oldUsed.length * 2);
    this.count = 0;
    for (let i = 0; i < oldUsed.length; i++) {
      if (oldUsed[i]) this.insert([oldWords[i * 4]!, oldWords[i * 4 + 1]!, oldWords[i * 4 + 2]!, oldWords[i * 4 + 3]!]);
    }
  }
}

function words(key: Uint8Array): [number, number, number, number] {
  const v = new DataView(key.buffer, key.byteOffset, 16);
  return [v.getUint32(0, true), v.getUint32(4, true), v.getUint32(8, true), v.getUint32(12, true)];
}

/** The slot a key starts probing at: all four words mixed, since GUID bytes are not uniformly random everywhere. */
function slotOf(a: number, b: number, c: number, d: number, cap: number): number {
  let h = Math.imul(a ^ 0x9e3779b1, 0x85ebca6b);
  h = Math.imul(h ^ b ^ (h >>> 13), 0xc2b2ae35);
  h = Math.imul(h ^ c ^ (h >>> 16), 0x27d4eb2f);
  h ^= d ^ (h >>> 15);
  return (h >>> 0) & (cap - 1);
}
