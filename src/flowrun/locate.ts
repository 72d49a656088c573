import { existsSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { checkJsonNesting, decodeUtf8, readUserFile, readUtf8File } from '../io/index.js';
import { readSourceTree, unpackSolution, type SourceTree } from '../solution/index.js';
import { attr, firstChild, parseXml, textOf } from '../solution/xml.js';
import { ENVVAR_TYPES } from '../store/tables.js';

export interface LocatedFlow {
  /** The flow's JSON (the packaged file). */
  flow: unknown;
  /** Display name (from the .json.data.xml, else the file name). */
  displayName: string;
  /** The file it came from, for messages. */
  file: string;
  /** The solution it was found in, when it came from one. */
  tree?: SourceTree;
}

const MAX_SOLUTION_ZIP_BYTES = 256 * 1024 * 1024;

function parseFlowJson(text: string, file: string, displayName?: string): LocatedFlow {
  let flow: unknown;
  checkJsonNesting(text, file);
  try {
    flow = JSON.parse(text);
  } catch (e) {
    throw new UsageError([{ file, message: `is not valid JSON: ${(e as Error).message}` }]);
  }
  return { flow, displayName: displayName ?? basename(file).replace(/(-[0-9A-Fa-f]{8}(-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12})?\.json$/, ''), file };
}

/** Reads and parses a flow JSON file; a bad file is a UsageError naming it. */
export function readFlowFile(file: string, displayName?: string): LocatedFlow {
  return parseFlowJson(readUtf8File(file), file, displayName);
}

/** A solution as a tree of files: an unpacked folder, or a zip unpacked in memory. */
export function readSolution(path: string): SourceTree {
  if (existsSync(path) && statSync(path).isFile()) {
    const bytes = readUserFile(path, MAX_SOLUTION_ZIP_BYTES);
    return unpackSolution(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), { origin: path });
  }
  return readSourceTree(path);
}

/** Workflows of a solution: display name (the `Name` attribute of the .json.data.xml) and path in the tree. */
export function listSolutionFlows(tree: SourceTree, origin: string): { displayName: string; path: string }[] {
  const out: { displayName: string; path: string }[] = [];
  for (const path of [...tree.keys()].sort()) {
    if (!/^Workflows\/[^/]+\.json$/.test(path)) continue;
    let displayName = basename(path).replace(/-[0-9A-Fa-f-]{36}\.json$/, '');
    const dataXml = tree.get(`${path}.data.xml`);
    if (dataXml) {
      const m = /<Workflow\b[^>]*\bName="([^"]*)"/.exec(decodeUtf8(dataXml, `${origin}/${path}.data.xml`));
      if (m) displayName = decodeXml(m[1]!);
    }
    out.push({ displayName, path });
  }
  return out;
}

/**
 * Finds a flow: a path to a flow JSON file, or (with a solution folder or zip) a display name
 * (case-insensitive) or workflow file name, else a part of one display name (`Sync`, `csv file`): a part that
 * several flows share is refused with the candidates.
 */
export function locateFlow(flow: string, solution: string | undefined, cwd: string): LocatedFlow {
  const asPath = join(cwd, flow);
  const direct = existsSync(flow) ? flow : existsSync(asPath) ? asPath : undefined;
  if (direct && statSync(direct).isFile() && !solution) return readFlowFile(direct);
  if (!solution) {
    throw new UsageError(`flow '${flow}' is not a file; give a flow JSON file, or --solution <folder|zip> to run a flow by its display name`);
  }
  const tree = readSolution(resolve(cwd, solution));
  const flows = listSolutionFlows(tree, solution);
  const want = direct ? basename(direct).toLowerCase() : flow.toLowerCase();
  let hit = flows.find((f) => f.displayName.toLowerCase() === want) ?? flows.find((f) => basename(f.path).toLowerCase() === want);
  if (!hit && want.length > 0) {
    const partial = flows.filter((f) => f.displayName.toLowerCase().includes(want));
    if (partial.length > 1) {
      throw new UsageError([{ file: solution, message: `'${flow}' matches ${partial.length} flows: ${partial.map((f) => `'${f.displayName}'`).join(', ')}; give more of the name` }]);
    }
    hit = partial[0];
  }
  if (!hit) {
    throw new UsageError([{ file: solution, message: `has no flow '${flow}'; its flows are: ${flows.map((f) => `'${f.displayName}'`).join(', ') || 'none'}` }]);
  }
  const file = `${solution}/${hit.path}`;
  return { ...parseFlowJson(decodeUtf8(tree.get(hit.path)!, file), file, hit.displayName), tree };
}

/** Every flow of a solution, parsed (for chains of flows: the row-triggered ones run on the first one's writes). */
export function locateSolutionFlows(solution: string, cwd: string): LocatedFlow[] {
  const tree = readSolution(resolve(cwd, solution));
  return listSolutionFlows(tree, solution).map((f) => parseFlowJson(decodeUtf8(tree.get(f.path)!, `${solution}/${f.path}`), `${solution}/${f.path}`, f.displayName));
}

function decodeXml(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

const ENVVAR_TYPE_NAMES = new Map(Object.entries(ENVVAR_TYPES).map(([name, code]) => [String(code), name]));

/**
 * The environment variable definitions a solution ships (schema name, type, default value), as an import creates
 * them in Dataverse: a run of one of its flows finds every definition even when a store seed sets no value for it.
 */
export function solutionEnvironmentVariables(tree: SourceTree, origin: string): { schemaName: string; type: string; defaultValue?: string }[] {
  const out: { schemaName: string; type: string; defaultValue?: string }[] = [];
  for (const path of [...tree.keys()].sort()) {
    if (!/^environmentvariabledefinitions\/[^/]+\/environmentvariabledefinition\.xml$/.test(path)) continue;
    const root = parseXml(tree.get(path)!, `${origin}/${path}`).root;
    const schemaName = attr(root, 'schemaname');
    const type = ENVVAR_TYPE_NAMES.get(textOf(firstChild(root, 'type')) ?? '');
    if (!schemaName || !type) continue;
    const defaultValue = textOf(firstChild(root, 'defaultvalue'));
    out.push({ schemaName, type, ...(defaultValue !== undefined ? { defaultValue } : {}) });
  }
  return out;
}
