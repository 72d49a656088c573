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
 * Map of records or strings. Tables grow by a quarter, in place (IN_PLACE_SLOTS), so the empty slots are few and
 * growing leaves no old arrays for the collector: a million Ids take about 18 MiB.
 */
export class IdSet {
  private readonly tables: Table[];
  private count = 0;

  /** `inPlaceSlots`: slots a table grows to in place (default IN_PLACE_SLOTS; tests set it small to reach the copy). */
  constructor(o: { inPlaceSlots?: number } = {}) {
    this.tables = Array.from({ length: 256 }, () => new Table(o.inPlaceSlots ?? IN_PLACE_SLOTS));
  }

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

/**
 * Slots a table grows to in place. Its arrays are resizable ArrayBuffers reserved for this many slots (address space
 * only: memory is committed as they grow), so growing leaves no old arrays behind. Arrays outside the JavaScript heap
 * are freed only when the collector runs, and the 256 tables grow at nearly the same moment (keys are uniform): old
 * arrays left by copying growth were measured at 10 to 25 MiB of a 1,000,000-event pull's peak. 2^19 slots hold
 * 419,430 Ids a table, 107 million in all; past that a table moves to arrays twice as large (a copy, once).
 */
const IN_PLACE_SLOTS = 1 << 19;

/** The live keys of a table while it grows: one buffer for every table, kept. */
let scratch = new Uint32Array(0);

/** A Uint32Array and a Uint8Array tracking resizable buffers reserved for `maxSlots` (plain arrays where resizable ones cannot be had). */
function slotArrays(slots: number, maxSlots: number): { words: Uint32Array; used: Uint8Array } {
  try {
    const words = new Uint32Array(new ArrayBuffer(slots * 12, { maxByteLength: maxSlots * 12 }));
    const used = new Uint8Array(new ArrayBuffer(slots, { maxByteLength: maxSlots }));
    return { words, used };
  } catch {
    return { words: new Uint32Array(slots * 3), used: new Uint8Array(slots) };
  }
}

/** One open-addressing table of 3-word keys, linear probing, at most 4/5 full, grown by a quarter. */
class Table {
  private words: Uint32Array;
  private used: Uint8Array;
  private count = 0;

  constructor(private maxSlots: number) {
    ({ words: this.words, used: this.used } = slotArrays(16, maxSlots));
  }

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

  /** Copies the live keys aside, makes the arrays larger (in place when it can) and inserts the keys again. */
  private grow(): void {
    const n = this.count;
    if (scratch.length < n * 3) scratch = new Uint32Array(Math.max(n * 3, scratch.length * 2));
    for (let i = 0, j = 0; i < this.used.length; i++) {
      if (!this.used[i]) continue;
      scratch[j++] = this.words[i * 3]!;
      scratch[j++] = this.words[i * 3 + 1]!;
      scratch[j++] = this.words[i * 3 + 2]!;
    }
    const cap = Math.ceil(this.used.length * 1.25);
    const words = this.words.buffer as ArrayBuffer;
    const used = this.used.buffer as ArrayBuffer;
    if (words.resizable && cap <= this.maxSlots) {
      words.resize(cap * 12);
      used.resize(cap);
      this.used.fill(0);
    } else {
      this.maxSlots = Math.max(this.maxSlots * 2, cap);
      ({ words: this.words, used: this.used } = slotArrays(cap, this.maxSlots));
    }
    this.count = 0;
    for (let k = 0; k < n * 3; k += 3) this.insert([scratch[k]!, scratch[k + 1]!, scratch[k + 2]!]);
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
