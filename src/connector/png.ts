import { deflateSync, inflateSync } from 'node:zlib';

export interface PngInfo {
  width: number;
  height: number;
  /** PNG colour type: 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA. */
  colorType: number;
  bitDepth: number;
  /** Every pixel as `#rrggbb` with its alpha, when the image could be decoded (8-bit, non-interlaced). */
  pixels?: { colors: Set<string>; minAlpha: number; corner: string };
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Reads a PNG's header and, for 8-bit non-interlaced grey/RGB/RGBA images, its distinct colours and alpha. */
export function inspectPng(bytes: Uint8Array): PngInfo | { error: string } {
  const cached = CACHE.get(bytes);
  if (cached) return cached;
  const result = decode(bytes);
  CACHE.set(bytes, result);
  return result;
}

/** Two rules read the same icon: decode it once. */
const CACHE = new WeakMap<Uint8Array, PngInfo | { error: string }>();

function decode(bytes: Uint8Array): PngInfo | { error: string } {
  if (bytes.length < 33 || SIGNATURE.some((b, i) => bytes[i] !== b)) return { error: 'is not a PNG file (bad signature)' };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const idat: Uint8Array[] = [];
  let header: { width: number; height: number; bitDepth: number; colorType: number; interlace: number } | undefined;
  let at = 8;
  while (at + 8 <= bytes.length) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    const data = bytes.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      header = { width: view.getUint32(at + 8), height: view.getUint32(at + 12), bitDepth: data[8]!, colorType: data[9]!, interlace: data[12]! };
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    at += 12 + length;
  }
  if (!header) return { error: 'is not a PNG file (no IHDR chunk)' };
  const info: PngInfo = { width: header.width, height: header.height, colorType: header.colorType, bitDepth: header.bitDepth };
  const channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[header.colorType];
  if (header.bitDepth !== 8 || header.interlace !== 0 || channels === undefined || header.width * header.height > 4_000_000) return info;
  let raw: Buffer;
  try {
    raw = inflateSync(Buffer.concat(idat));
  } catch {
    return { error: 'has corrupt image data' };
  }
  const stride = header.width * channels;
  if (raw.length < header.height * (stride + 1)) return { error: 'has truncated image data' };
  const rgb = new Set<number>();
  let minAlpha = 255;
  let prev = new Uint8Array(stride);
  for (let y = 0; y < header.height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = Uint8Array.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? line[i - channels]! : 0;
      const b = prev[i]!;
      const c = i >= channels ? prev[i - channels]! : 0;
      const add = filter === 1 ? a : filter === 2 ? b : filter === 3 ? (a + b) >> 1 : filter === 4 ? paeth(a, b, c) : 0;
      line[i] = (line[i]! + add) & 0xff;
    }
    for (let x = 0; x < header.width; x++) {
      const p = x * channels;
      const value = channels >= 3 ? (line[p]! << 16) | (line[p + 1]! << 8) | line[p + 2]! : line[p]! * 0x010101;
      const alpha = channels === 4 ? line[p + 3]! : channels === 2 ? line[p + 1]! : 255;
      if (alpha < minAlpha) minAlpha = alpha;
      if (rgb.size <= 256) rgb.add(value);
    }
    prev = line;
  }
  const hex = (v: number) => `#${v.toString(16).padStart(6, '0')}`;
  info.pixels = { colors: new Set([...rgb].map(hex)), minAlpha, corner: hex(rgb.values().next().value ?? 0) };
  return info;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/**
 * A PNG of one colour (`#rrggbb`): RGB, so opaque by construction, or RGBA with the given alpha. Deterministic:
 * the same arguments give the same bytes (scripts/make-icon.mjs writes connector/icon.png with it).
 */
export function encodeSolidPng(width: number, height: number, hex: string, alpha?: number): Uint8Array {
  const rgb = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const pixel = alpha === undefined ? rgb : [...rgb, alpha];
  const stride = 1 + width * pixel.length; // filter byte 0 (none), then the pixels
  const raw = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) raw.set(pixel, y * stride + 1 + x * pixel.length);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = alpha === undefined ? 2 : 6; // RGB or RGBA
  return Buffer.concat([Buffer.from(SIGNATURE), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', new Uint8Array())]);
}
