#!/usr/bin/env node
// Writes connector/icon.png: a 230x230 opaque square of the connector's iconBrandColor (read from
// connector/apiProperties.yaml), so the icon and the colour can never disagree. Deterministic: the same colour
// gives the same bytes. Run it after changing iconBrandColor: `node scripts/make-icon.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { parse } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'connector');
const color = parse(readFileSync(join(root, 'apiProperties.yaml'), 'utf8')).properties.iconBrandColor;
if (!/^#[0-9a-fA-F]{6}$/.test(color)) throw new Error(`iconBrandColor ${color} is not #rrggbb`);
const [r, g, b] = [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16));
const SIZE = 230;

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 2; // colour type: RGB, no alpha channel, so the icon is opaque by construction
const raw = Buffer.alloc(SIZE * (1 + SIZE * 3));
for (let y = 0; y < SIZE; y++) {
  const row = y * (1 + SIZE * 3); // filter byte 0 (none), then the pixels
  for (let x = 0; x < SIZE; x++) raw.set([r, g, b], row + 1 + x * 3);
}
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(join(root, 'icon.png'), png);
console.error(`connector/icon.png: ${SIZE}x${SIZE}, ${color}, ${png.length} bytes`);
