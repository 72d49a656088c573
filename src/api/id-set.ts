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
 * The de-duplication state of a pull: 16-byte Id keys in 256 open-addressing tables of typed arrays (the table
 * picked by one byte of the key, the other 12 bytes stored), 13 bytes a slot and about 18 bytes per Id, instead of a
 * Map of records or strings. Growing one table at a time, by a quarter, keeps the transient copy and the empty
 * slots small: a million Ids take about 18 MiB.
 */
export class IdSet {
  private readonly tables = Array.from({ length: 256 }, () => new Table());
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Adds the key; false when it was already there. */
  add(key: Uint8Array): boolean {
    const added = this.tables[key[15]!]!.add(words(key));
    if (added) this.count++;
    return added;
  }

  has(key: Uint8Array): boolean {
    return this.tables[key[15]!]!.has(words(key));
  }
}

/** One open-addressing table of 3-word keys, linear probing, at most 4/5 full, grown by a quarter. */
class Table {
  private words = new Uint32Array(3 * 16);
  private used = new Uint8Array(16);
  private count = 0;

  add(k: [number, number, number]): boolean {
    if ((this.count + 1) * 5 > this.used.length * 4) this.grow();
    return this.insert(k);
  }

  has([a, b, c]: [number, number, number]): boolean {
    const cap = this.used.length;
    for (let i = slotOf(a, b, c, cap); ; i = i + 1 === cap ? 0 : i + 1) {
      if (!this.used[i]) return false;
      const w = i * 3;
      if (this.words[w] === a && this.words[w + 1] === b && this.words[w + 2] === c) return true;
    }
  }

  private insert([a, b, c]: [number, number, number]): boolean {
    const cap = this.used.length;
    for (let i = slotOf(a, b, c, cap); ; i = i + 1 === cap ? 0 : i + 1) {
      const w = i * 3;
      if (!this.used[i]) {
        this.used[i] = 1;
        this.words[w] = a;
        this.words[w + 1] = b;
        this.words[w + 2] = c;
        this.count++;
        return true;
      }
      if (this.words[w] === a && this.words[w + 1] === b && this.words[w + 2] === c) return false;
    }
  }

  private grow(): void {
    const oldWords = this.words;
    const oldUsed = this.used;
    const cap = Math.ceil(oldUsed.length * 1.25);
    this.words = new Uint32Array(cap * 3);
    this.used = new Uint8Array(cap);
    this.count = 0;
    for (let i = 0; i < oldUsed.length; i++) {
      if (oldUsed[i]) this.insert([oldWords[i * 3]!, oldWords[i * 3 + 1]!, oldWords[i * 3 + 2]!]);
    }
  }
}

/**
 * The stored words: bytes 0–11, with bytes 12–14 folded into the third word; byte 15 picks the table. 104 bits tell
 * keys apart, so among a million distinct Ids a false "duplicate" has a probability of about 10^-19.
 */
function words(key: Uint8Array): [number, number, number] {
  const v = new DataView(key.buffer, key.byteOffset, 16);
  return [v.getUint32(0, true), v.getUint32(4, true), (v.getUint32(8, true) ^ Math.imul(v.getUint32(12, true) & 0xffffff, 0x9e3779b1)) >>> 0];
}

/** The slot a key starts probing at: the words mixed, since GUID bytes are not uniformly random everywhere. */
function slotOf(a: number, b: number, c: number, cap: number): number {
  let h = Math.imul(a ^ 0x9e3779b1, 0x85ebca6b);
  h = Math.imul(h ^ b ^ (h >>> 13), 0xc2b2ae35);
  h = Math.imul(h ^ c ^ (h >>> 16), 0x27d4eb2f);
  h ^= h >>> 15;
  return (h >>> 0) % cap;
}
