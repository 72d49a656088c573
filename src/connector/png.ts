import { inflateSync } from 'node:zlib';

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
  const colors = new Set<string>();
  let minAlpha = 255;
  let corner = '';
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
      const [r, g, bl] = channels >= 3 ? [line[p]!, line[p + 1]!, line[p + 2]!] : [line[p]!, line[p]!, line[p]!];
      const alpha = channels === 4 ? line[p + 3]! : channels === 2 ? line[p + 1]! : 255;
      minAlpha = Math.min(minAlpha, alpha);
      const hex = `#${[r, g, bl].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
      if (!corner) corner = hex;
      if (colors.size <= 256) colors.add(hex);
    }
    prev = line;
  }
  info.pixels = { colors, minAlpha, corner };
  return info;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}
