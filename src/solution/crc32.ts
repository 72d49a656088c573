import * as zlib from 'node:zlib';

const nativeCrc32 = (zlib as unknown as { crc32?: (data: Uint8Array) => number }).crc32;
let table: Uint32Array | undefined;

/** CRC-32 of the zip format: node:zlib's when the runtime has it (Node >= 20.15), a table otherwise. */
export function crc32(data: Uint8Array): number {
  if (nativeCrc32) return nativeCrc32(data) >>> 0;
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
