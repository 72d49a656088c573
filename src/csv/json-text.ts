import { MAX_NESTING_DEPTH } from '../io/index.js';

export interface JsonTextInfo {
  /** The text without insignificant whitespace; numbers, strings (escapes included) and key order as written. */
  compact: string;
  /** Keys that occur twice in one object (decoded), in order of their second occurrence. */
  duplicateKeys: string[];
  /** True when arrays/objects nest deeper than MAX_NESTING_DEPTH. */
  tooDeep: boolean;
}

/**
 * One iterative pass over JSON text that JSON.parse has accepted: compacts it losslessly (a number such as
 * 12345678901234567890123 stays as written, where a parse-and-stringify round trip would print 1.2345678901234568e+22),
 * finds duplicate keys (JSON.parse silently keeps the last) and checks the nesting limit. No recursion.
 */
export function inspectJsonText(text: string): JsonTextInfo {
  const out: string[] = [];
  const duplicateKeys: string[] = [];
  /** Per open container: the keys seen (objects) or null (arrays). */
  const stack: (Set<string> | null)[] = [];
  let expectKey = false;
  let tooDeep = false;
  let i = 0;
  let from = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) {
      if (i > from) out.push(text.slice(from, i));
      while (i < n && (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09 || text.charCodeAt(i) === 0x0a || text.charCodeAt(i) === 0x0d)) i++;
      from = i;
      continue;
    }
    if (c === 0x22) {
      const start = i;
      let escaped = false;
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) {
          escaped = true;
          i++;
        } else if (d === 0x22) break;
      }
      i++;
      if (expectKey) {
        const keys = stack[stack.length - 1];
        const key = escaped ? (JSON.parse(text.slice(start, i)) as string) : text.slice(start + 1, i - 1);
        if (keys) {
          if (keys.has(key)) duplicateKeys.push(key);
          else keys.add(key);
        }
        expectKey = false;
      }
      continue;
    }
    if (c === 0x7b) {
      stack.push(new Set());
      if (stack.length > MAX_NESTING_DEPTH) tooDeep = true;
      expectKey = true;
    } else if (c === 0x5b) {
      stack.push(null);
      if (stack.length > MAX_NESTING_DEPTH) tooDeep = true;
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop();
    } else if (c === 0x2c) {
      expectKey = stack[stack.length - 1] instanceof Set;
    }
    i++;
  }
  if (n > from) out.push(text.slice(from, n));
  return { compact: out.join(''), duplicateKeys, tooDeep };
}
