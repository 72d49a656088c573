import { describe, expect, it } from 'vitest';
import { IdSet, idKey } from '../../src/api/index.js';
import { randomGuid, seededRandom } from '../../src/api/rng.js';

describe('IdSet (the bounded de-duplication state of content pull)', () => {
  it('holds 200,000 GUID Ids and other strings exactly: every one found, none twice, no false hit', () => {
    const rnd = seededRandom(5);
    const ids = Array.from({ length: 200_000 }, (_, i) => (i % 10 === 0 ? `not-a-guid-${i}` : randomGuid(rnd)));
    const set = new IdSet();
    for (const id of ids) expect(set.add(idKey(id))).toBe(true);
    expect(set.size).toBe(ids.length);
    for (const id of ids.slice(0, 5000)) expect(set.add(idKey(id))).toBe(false);
    for (const id of ids.slice(-5000)) expect(set.has(idKey(id.toUpperCase()))).toBe(!id.startsWith('not-a-guid'));
    let hits = 0;
    for (let i = 0; i < 50_000; i++) if (set.has(idKey(randomGuid(rnd)))) hits++;
    expect(hits).toBe(0);
    expect(set.size).toBe(ids.length);
  });

  it('stays exact when its tables outgrow the space reserved to grow in place and move to larger arrays', () => {
    const rnd = seededRandom(9);
    const ids = Array.from({ length: 40_000 }, () => randomGuid(rnd));
    // 64 slots in place: every table (about 156 Ids each) moves to larger arrays at least twice.
    const set = new IdSet({ inPlaceSlots: 64 });
    for (const id of ids) expect(set.add(idKey(id))).toBe(true);
    for (const id of ids) expect(set.add(idKey(id))).toBe(false);
    let hits = 0;
    for (let i = 0; i < 20_000; i++) if (set.has(idKey(randomGuid(rnd)))) hits++;
    expect(hits).toBe(0);
    expect(set.size).toBe(ids.length);
  });

  it('keys a GUID by its 128 bits (case-insensitive) and anything else by a digest', () => {
    expect(Buffer.from(idKey('0A1B2C3D-4E5F-6071-8293-A4B5C6D7E8F9')).toString('hex')).toBe('0a1b2c3d4e5f60718293a4b5c6d7e8f9');
    expect(idKey('x')).toHaveLength(16);
    expect(Buffer.from(idKey('x')).equals(Buffer.from(idKey('y')))).toBe(false);
  });
});
