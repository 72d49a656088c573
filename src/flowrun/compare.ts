import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { listSolutionFlows, readFlowFile, readSolution } from './locate.js';
import { decodeUtf8 } from '../io/index.js';
import { defaultFlows, simulateFlows, type SimulateRequest, type SimulationSummary } from './simulate.js';

/** The figures `flow simulate --compare` prints side by side, in this order. */
export const COMPARED = [
  'launchEvents',
  'uniqueIds',
  'missingLaunches',
  'failedRuns',
  'powerPlatformRequests',
  'powerPlatformRequestsPerDay',
  'powerPlatformRequestsPerLaunch',
  'dataverseOperations',
  'dataverseRequests',
  'bytesDownloaded',
  'httpCalls',
  'duplicates',
  'wrongLastLaunch',
] as const satisfies readonly (keyof SimulationSummary)[];

export interface Comparison {
  /** The generated Sync flow and the other one, on the same seed and profile. */
  generated: SimulationSummary;
  other: SimulationSummary;
  otherName: string;
  otherFile: string;
  /** True when the same generated flow ran in both modes (--compare management|graph). */
  acrossModes?: boolean;
}

/** A Sync flow to compare: a flow JSON file, or the Sync flow of a solution folder or zip. */
export function loadOtherSync(path: string, cwd: string): { flow: unknown; displayName: string; file: string } {
  const full = resolve(cwd, path);
  if (!existsSync(full)) throw new UsageError(`--compare: '${path}' does not exist; give a solution folder, a solution zip or a flow JSON file`);
  if (statSync(full).isFile() && /\.json$/i.test(full)) {
    const f = readFlowFile(full);
    return { flow: f.flow, displayName: f.displayName, file: full };
  }
  const tree = readSolution(full);
  const flows = listSolutionFlows(tree, full);
  const hit = flows.find((f) => /sync audit logs/i.test(f.displayName)) ?? flows.find((f) => /sync/i.test(f.displayName));
  if (!hit) throw new UsageError(`--compare: '${path}' holds no Sync Audit Logs flow (flows: ${flows.map((f) => f.displayName).join(', ') || 'none'})`);
  const text = decodeUtf8(tree.get(hit.path)!, `${full}/${hit.path}`);
  let flow: unknown;
  try {
    flow = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${full}/${hit.path}: is not valid JSON: ${(e as Error).message}`);
  }
  return { flow, displayName: hit.displayName, file: `${full}/${hit.path}` };
}

/** Runs the generated Sync flow and another one on the same emulator seed, profile, faults and outages. */
export async function compareSyncFlows(req: Omit<SimulateRequest, 'flows'>, otherPath: string, cwd: string): Promise<Comparison> {
  const other = loadOtherSync(otherPath, cwd);
  const flows = defaultFlows();
  const generated = await simulateFlows({ ...req, flows });
  // The other flow runs under the generated flow's display name, so its last-run bookkeeping row exists.
  const theirs = await simulateFlows({ ...req, flows: { subscription: flows.subscription, sync: { flow: other.flow, displayName: flows.sync.displayName } } });
  return { generated, other: theirs, otherName: other.displayName, otherFile: other.file };
}

/** The generated Sync flow in the request's mode (--api) and in the other one, on the same seed and profile. */
export async function compareApiModes(req: Omit<SimulateRequest, 'flows'>, otherApi: 'management' | 'graph'): Promise<Comparison> {
  const flows = defaultFlows();
  const generated = await simulateFlows({ ...req, flows });
  const other = await simulateFlows({ ...req, flows, api: otherApi });
  return { acrossModes: true, generated, other, otherName: `generated Sync, --api ${otherApi}`, otherFile: `the generated flow with Audit Logs - Use Graph API ${otherApi === 'graph' ? 'yes' : 'no'}` };
}

/** The comparison as an aligned text table. */
export function formatComparison(c: Comparison): string {
  const rows: string[][] = [['', `generated Sync${c.acrossModes ? `, --api ${c.generated.api}` : ''}`, `compared (${c.otherName})`]];
  for (const k of COMPARED) rows.push([k, String(c.generated[k]), String(c.other[k])]);
  const ratio = c.generated.powerPlatformRequestsPerLaunch > 0 ? c.other.powerPlatformRequestsPerLaunch / c.generated.powerPlatformRequestsPerLaunch : 0;
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));
  lines.push('', `the compared flow uses ${ratio.toFixed(1)}x the Power Platform requests per launch of the generated one (${c.otherFile})`);
  return lines.join('\n') + '\n';
}
