import { UsageError } from '../errors.js';

/**
 * The one nesting limit of every structured input coe-audit reads (XML elements, JSON arrays and objects, YAML
 * collections): far above any real solution, flow, connector or audit record (a deep flow nests about 30 levels),
 * far below what recursive code can walk. Documented in docs/limits.md.
 */
export const MAX_NESTING_DEPTH = 256;

export interface NestingPosition {
  /** 0-based offset of the opening that goes one level too deep. */
  offset: number;
  line: number;
  column: number;
}

/**
 * Where JSON text first nests deeper than `max`, or undefined. One pass, no recursion: brackets inside strings
 * are skipped. Malformed JSON is left for the parser to report.
 */
export function jsonNestingExceeded(text: string, max = MAX_NESTING_DEPTH): NestingPosition | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Skip a string: to the next unescaped quote.
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return positionOf(text, i);
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return undefined;
}

/**
 * Where YAML text first nests deeper than `max`, or undefined: flow collections (`[`, `{`) outside quotes and
 * comments, plus block nesting (one level per deeper indentation and per `- ` or `? ` opening a line's entry).
 * Conservative in one direction only: it may count a level the parser would not, never miss one.
 */
export function yamlNestingExceeded(text: string, max = MAX_NESTING_DEPTH): NestingPosition | undefined {
  const indents: number[] = [];
  let flow = 0;
  let lineStart = 0;
  while (lineStart <= text.length) {
    let end = text.indexOf('\n', lineStart);
    if (end < 0) end = text.length;
    let i = lineStart;
    if (flow === 0) {
      // Block structure: indentation, then any `- `/`? ` indicators that open nested entries on the same line.
      while (i < end && text.charCodeAt(i) === 0x20) i++;
      if (i < end && text[i] !== '#' && text[i] !== '\r') {
        let indent = i - lineStart;
        while (indents.length > 0 && indents[indents.length - 1]! >= indent) indents.pop();
        indents.push(indent);
        while ((text[i] === '-' || text[i] === '?') && (text[i + 1] === ' ' || i + 1 === end)) {
          i += 2;
          while (i < end && text.charCodeAt(i) === 0x20) i++;
          indent = i - lineStart;
          indents.push(indent);
        }
        if (indents.length + flow > max) return positionOf(text, i);
      }
    }
    for (; i < end; i++) {
      const c = text[i];
      if (c === '"' || c === "'") {
        const q = c;
        for (i++; i < end; i++) {
          if (q === '"' && text[i] === '\\') i++;
          else if (text[i] === q) {
            if (q === "'" && text[i + 1] === "'") i++;
            else break;
          }
        }
      } else if (c === '#' && (i === lineStart || text[i - 1] === ' ' || text[i - 1] === '\t')) {
        break;
      } else if (c === '[' || c === '{') {
        if (indents.length + ++flow > max) return positionOf(text, i);
      } else if ((c === ']' || c === '}') && flow > 0) {
        flow--;
      }
    }
    lineStart = end + 1;
  }
  return undefined;
}

/** Throws the nesting-limit UsageError for a position in `file`. */
export function tooDeep(file: string, at: NestingPosition, kind: string): UsageError {
  return new UsageError([
    { file, line: at.line, column: at.column, message: `${kind} nests deeper than ${MAX_NESTING_DEPTH} levels here (the limit of every structured input, see docs/limits.md); flatten it` },
  ]);
}

/** Throws when JSON text nests deeper than the limit; `file` names it in the error. */
export function checkJsonNesting(text: string, file: string): void {
  const at = jsonNestingExceeded(text);
  if (at) throw tooDeep(file, at, 'JSON');
}

function positionOf(text: string, offset: number): NestingPosition {
  let line = 1;
  let last = -1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    last = i;
  }
  return { offset, line, column: offset - last };
}
