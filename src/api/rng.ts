import { createHash } from 'node:crypto';

/** A small seeded PRNG (mulberry32): same seed, same sequence. Returns floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A float in [0, 1) that depends only on the parts: order-independent randomness for concurrent requests. */
export function hashUnit(...parts: (string | number)[]): number {
  const h = createHash('sha256').update(parts.join('\u0000')).digest();
  return h.readUInt32BE(0) / 4294967296;
}

/** A GUID-shaped string drawn from `rnd`. */
const HEX = '0123456789abcdef';
export function randomGuid(rnd: () => number): string {
  let hex = '';
  for (let i = 0; i < 32; i++) hex += HEX[Math.floor(rnd() * 16)]!;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[Math.floor(rnd() * 4)]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
