import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Pair, type YAMLMap } from 'yaml';
import { UsageError, type Problem } from '../errors.js';
import { tooDeep, yamlNestingExceeded } from './nesting.js';
import { readUtf8File } from './read-file.js';

/** Aliases one document may expand in total (the `yaml` library's own guard against alias bombs). */
export const MAX_YAML_ALIAS_COUNT = 100;

/**
 * Parses YAML text; syntax errors become one UsageError problem each, with line:column. Nesting deeper than
 * MAX_NESTING_DEPTH and alias bombs are refused with the place, before anything recursive runs.
 */
export function parseYaml(text: string, file: string): unknown {
  const deep = yamlNestingExceeded(text);
  if (deep) throw tooDeep(file, deep, 'YAML');
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const problems: Problem[] = doc.errors.map((e) => {
      const pos = lineCounter.linePos(e.pos[0]);
      return { file, line: pos.line, column: pos.col, message: firstLine(e.message) };
    });
    throw new UsageError(problems);
  }
  try {
    return doc.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT });
  } catch (e) {
    if (!(e instanceof ReferenceError) || !/alias/i.test(e.message)) throw e;
    let first: number | undefined;
    visit(doc, {
      Alias(_, node) {
        first ??= node.range?.[0];
        return visit.BREAK;
      },
    });
    const pos = lineCounter.linePos(first ?? 0);
    throw new UsageError([
      { file, line: pos.line, column: pos.col, message: `its aliases (*name) expand to more than ${MAX_YAML_ALIAS_COUNT} copies (an alias bomb?); write the values out instead of nesting aliases` },
    ]);
  }
}

export function readYamlFile(path: string): unknown {
  return parseYaml(readUtf8File(path), path);
}

/** Finds the 1-based line and column of a path in a YAML text, for diagnostics about parsed values. */
export function locateYamlPath(
  text: string,
  path: readonly (string | number)[],
  options: { key?: boolean } = {},
): { line: number; column: number } | undefined {
  return yamlLocator(text)(path, options);
}

export type YamlLocator = (path: readonly (string | number)[], options?: { key?: boolean }) => { line: number; column: number } | undefined;

let operations = 0;
/** Work done by locators so far (characters parsed plus map entries indexed plus path steps): for linearity tests. */
export function yamlLocatorOperations(): number {
  return operations;
}

/**
 * Parses a YAML text once and answers many "where is this path" questions: a message per problem costs a few
 * steps, not a new parse or a scan of a whole map, so N problems cost O(text + N).
 */
export function yamlLocator(text: string): YamlLocator {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  operations += text.length;
  const indexes = new WeakMap<object, Map<string, Pair>>();
  const entryOf = (map: YAMLMap, key: string): Pair | undefined => {
    let index = indexes.get(map);
    if (!index) {
      index = new Map();
      for (const p of map.items) {
        operations++;
        const k = isScalar(p.key) ? String(p.key.value) : undefined;
        if (k !== undefined && !index.has(k)) index.set(k, p);
      }
      indexes.set(map, index);
    }
    return index.get(key);
  };
  const pos = (offset: number) => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  return (path, options = {}) => {
    // Walk as deep as the path exists, so a missing key points at its parent.
    type Ranged = { range?: [number, number, number] | null } | null | undefined;
    let node: unknown = doc.contents;
    let last = node as Ranged;
    for (const [depth, seg] of path.entries()) {
      operations++;
      let next: unknown;
      let pair: Pair | undefined;
      if (isMap(node)) {
        pair = entryOf(node, String(seg));
        next = pair?.value;
      } else if (isSeq(node) && typeof seg === 'number') {
        next = node.items[seg];
      }
      if (options.key && depth === path.length - 1 && pair && isScalar(pair.key) && pair.key.range) return pos(pair.key.range[0]);
      if (!next || typeof next !== 'object') break;
      node = next;
      last = next as Ranged;
    }
    return last?.range ? pos(last.range[0]) : undefined;
  };
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
