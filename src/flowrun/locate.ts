import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { UsageError } from '../errors.js';
import { readUtf8File } from '../io/index.js';

export interface LocatedFlow {
  /** The flow's JSON (the packaged file). */
  flow: unknown;
  /** Display name (from the .json.data.xml, else the file name). */
  displayName: string;
  /** The file it came from, for messages. */
  file: string;
}

/** Reads and parses a flow JSON file; a bad file is a UsageError naming it. */
export function readFlowFile(file: string, displayName?: string): LocatedFlow {
  const text = readUtf8File(file);
  let flow: unknown;
  try {
    flow = JSON.parse(text);
  } catch (e) {
    throw new UsageError([{ file, message: `is not valid JSON: ${(e as Error).message}` }]);
  }
  return { flow, displayName: displayName ?? basename(file).replace(/(-[0-9A-Fa-f]{8}(-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12})?\.json$/, ''), file };
}

/** Workflows of an unpacked solution folder: display name (the `Name` attribute) and JSON file. */
export function listSolutionFlows(folder: string): { displayName: string; file: string }[] {
  const dir = join(folder, 'Workflows');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UsageError([{ file: folder, message: 'has no Workflows/ folder; give an unpacked solution folder (or a flow JSON file)' }]);
  }
  const out: { displayName: string; file: string }[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.json')) continue;
    const file = join(dir, name);
    const dataXml = `${file}.data.xml`;
    let displayName = name.replace(/-[0-9A-Fa-f-]{36}\.json$/, '');
    if (existsSync(dataXml)) {
      const m = /<Workflow\b[^>]*\bName="([^"]*)"/.exec(readUtf8File(dataXml));
      if (m) displayName = decodeXml(m[1]!);
    }
    out.push({ displayName, file });
  }
  return out;
}

/**
 * Finds a flow: a path to a flow JSON file, or (with a solution folder) a display name (case-insensitive)
 * or workflow file name.
 */
export function locateFlow(flow: string, solutionFolder: string | undefined, cwd: string): LocatedFlow {
  const asPath = join(cwd, flow);
  const direct = existsSync(flow) ? flow : existsSync(asPath) ? asPath : undefined;
  if (direct && statSync(direct).isFile()) {
    if (solutionFolder) {
      const hit = listSolutionFlows(solutionFolder).find((f) => basename(f.file) === basename(direct));
      if (hit) return readFlowFile(direct, hit.displayName);
    }
    return readFlowFile(direct);
  }
  if (!solutionFolder) {
    throw new UsageError(`flow '${flow}' is not a file; give a flow JSON file, or --solution <folder> to run a flow by its display name`);
  }
  const flows = listSolutionFlows(solutionFolder);
  const hit = flows.find((f) => f.displayName.toLowerCase() === flow.toLowerCase()) ?? flows.find((f) => basename(f.file).toLowerCase() === flow.toLowerCase());
  if (!hit) {
    throw new UsageError([{ file: solutionFolder, message: `has no flow '${flow}'; its flows are: ${flows.map((f) => `'${f.displayName}'`).join(', ') || 'none'}` }]);
  }
  return readFlowFile(hit.file, hit.displayName);
}

function decodeXml(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
