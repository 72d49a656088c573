import type * as Yaml from 'yaml';
import { lazyRequire } from './lazy-require.js';

/** The yaml package, loaded on the first parse. */
const YAML = () => lazyRequire<typeof Yaml>('yaml');
import { UsageError, type Problem } from '../errors.js';
import { readUtf8File } from './read-file.js';

/** Parses YAML text; syntax errors become one UsageError problem each, with line:column. */
export function parseYaml(text: string, file: string): unknown {
  const lineCounter = new (YAML().LineCounter)();
  const doc = YAML().parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const problems: Problem[] = doc.errors.map((e) => {
      const pos = lineCounter.linePos(e.pos[0]);
      return { file, line: pos.line, column: pos.col, message: firstLine(e.message) };
    });
    throw new UsageError(problems);
  }
  return doc.toJS({ maxAliasCount: 100 });
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
  const lineCounter = new (YAML().LineCounter)();
  const doc = YAML().parseDocument(text, { lineCounter });
  if (options.key && path.length > 0) {
    // Point at the key itself (for "unknown key" findings), not at its value.
    const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
    if (YAML().isMap(parent)) {
      const pair = parent.items.find((p) => YAML().isScalar(p.key) && String(p.key.value) === String(path[path.length - 1]));
      const range = pair && YAML().isScalar(pair.key) ? pair.key.range : undefined;
      if (range) {
        const pos = lineCounter.linePos(range[0]);
        return { line: pos.line, column: pos.col };
      }
    }
  }
  // Walk as deep as the path exists, so a missing key points at its parent.
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) {
      const pos = lineCounter.linePos(node.range[0]);
      return { line: pos.line, column: pos.col };
    }
  }
  return undefined;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
