import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Cloud, CloudId } from '../clouds/cloud-table.js';
import { settingsForCloud } from '../config/load-config.js';
import type { CoeAuditConfig } from '../config/config-schema.js';
import { buildConnectorVariant } from '../connector/build.js';
import { loadConnectorSource, type ConnectorSource } from '../connector/source.js';
import { validateConnectorFiles } from '../connector/validate.js';
import { countBySeverity, sortDiagnostics, type Diagnostic, type Severity } from '../diagnostics/diagnostic.js';
import { packSolution, type PackageType } from '../solution/pack.js';
import { validateSolution, validateSolutionZip } from '../solution/validate.js';
import { connectorComponent } from './connector-component.js';
import { stableJson } from '../io/stable-json.js';
import { writeTreeAtomic } from '../io/atomic-write.js';
import { deploymentSettings } from './deployment-settings.js';
import { applySolutionConfig, loadSolutionSource, type SolutionSource } from './source.js';
import { buildSolutionTree } from './tree.js';

export type { PackageType };

/** The timestamp of every zip entry unless --timestamp says otherwise: the DOS epoch, as the packer's default. */
export const DEFAULT_TIMESTAMP = '1980-01-01T00:00:00Z';

export interface BuildOptions {
  clouds: readonly Cloud[];
  config: CoeAuditConfig;
  /** Zips to write (default both). */
  packageTypes?: readonly PackageType[];
  /** DOS timestamp of the zip entries (default DEFAULT_TIMESTAMP). */
  timestamp?: Date;
  /** The solution source (default: solution/solution.yaml of the package). */
  source?: SolutionSource;
  /** The connector source (default: connector/ of the package). */
  connectorSource?: ConnectorSource;
  /** Told before each cloud is built (`building gcc (2 of 4)`), for progress on stderr. */
  onProgress?: (line: string) => void;
}

export interface BuiltFile {
  /** Path relative to the output directory, `/`-separated: `<cloud>/…`. */
  path: string;
  bytes: number;
  sha256: string;
}

export interface BuiltCloud {
  cloud: CloudId;
  /** Files of this cloud's folder, relative to the folder (`solution/Other/Solution.xml`, …). */
  files: Map<string, Uint8Array>;
  /** Solution components: flows, environment variable definitions, connection reference, connector. */
  components: number;
  diagnostics: Diagnostic[];
}

/** `CoEAuditLogs_<cloud>.zip` (Unmanaged) or `CoEAuditLogs_<cloud>_managed.zip`. */
export function zipName(uniqueName: string, cloud: CloudId, packageType: PackageType): string {
  return `${uniqueName}_${cloud}${packageType === 'Managed' ? '_managed' : ''}.zip`;
}

/**
 * Builds every artefact of every requested cloud, in memory: the connector folder, the unpacked solution (with
 * the connector as a component), the zips, the deployment settings and the validation report (connector and
 * solution checks). Pure apart from reading the sources; never writes.
 */
export async function buildArtefacts(options: BuildOptions): Promise<BuiltCloud[]> {
  const source = applySolutionConfig(options.source ?? loadSolutionSource(), options.config);
  const connectorSource = options.connectorSource ?? loadConnectorSource();
  const packageTypes = options.packageTypes ?? (['Unmanaged', 'Managed'] as const);
  const timestamp = options.timestamp ?? new Date(DEFAULT_TIMESTAMP);
  const out: BuiltCloud[] = [];
  for (const [n, cloud] of options.clouds.entries()) {
    options.onProgress?.(`building ${cloud.id} (${n + 1} of ${options.clouds.length})`);
    const settings = settingsForCloud(options.config, cloud.id);
    const clientId = options.config.cloudSettings?.[cloud.id]?.clientId ?? options.config.connector?.clientId ?? settings.clientId;
    const variant = buildConnectorVariant(connectorSource, cloud, {
      ...(clientId !== undefined ? { clientId } : {}),
      ...(settings.redirectUrl !== undefined ? { redirectUrl: settings.redirectUrl } : {}),
    });
    const connector = connectorComponent(source, variant);
    const tree = buildSolutionTree(source, cloud, { connector });
    const files = new Map<string, Uint8Array>();
    for (const [path, bytes] of variant.files) files.set(`connector/${path}`, bytes);
    for (const [path, bytes] of tree) files.set(`solution/${path}`, bytes);
    const diagnostics = [
      ...(await validateConnectorFiles(variant.files, { folder: `${cloud.id}/connector` })),
      ...validateSolution(tree).map((d) => ({ ...d, file: `${cloud.id}/solution/${d.file}` })),
    ];
    for (const [i, packageType] of packageTypes.entries()) {
      const name = zipName(source.manifest.uniqueName, cloud.id, packageType);
      const zip = packSolution(tree, { packageType, timestamp, origin: `${cloud.id}/solution` });
      // The first zip is validated too (what pack wrote must unpack and pass the same rules); the second one
      // differs from it only in <Managed>, so validating it again would cost time and find nothing new.
      if (i === 0) diagnostics.push(...validateSolutionZip(zip).map((d) => ({ ...d, file: `${cloud.id}/${name}:${d.file}` })));
      files.set(name, zip);
    }
    files.set('deployment-settings.json', new TextEncoder().encode(stableJson(deploymentSettings(source, cloud, settings))));
    const components =
      [...tree.keys()].filter((p) => /^Workflows\/[^/]+\.json$/.test(p) || p.endsWith('/environmentvariabledefinition.xml')).length + 2;
    files.set('validation.json', new TextEncoder().encode(stableJson({ cloud: cloud.id, findings: countBySeverity(diagnostics), diagnostics: sortDiagnostics(diagnostics) })));
    out.push({ cloud: cloud.id, files, components, diagnostics });
  }
  return out;
}

export function errorCount(clouds: readonly BuiltCloud[], threshold: Severity = 'error'): number {
  return clouds.reduce((n, c) => n + c.diagnostics.filter((d) => d.severity === threshold).length, 0);
}

export function describeFiles(clouds: readonly BuiltCloud[]): BuiltFile[] {
  const out: BuiltFile[] = [];
  for (const c of clouds) {
    for (const [path, bytes] of c.files) out.push({ path: `${c.cloud}/${path}`, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
  }
  return out;
}

/**
 * Differences between a fresh build and what is on disk under `outputDirectory` for the built clouds: files
 * missing, changed, or present on disk but not produced. Empty when the committed output is current.
 */
export function compareWithDisk(clouds: readonly BuiltCloud[], outputDirectory: string): string[] {
  const out: string[] = [];
  for (const c of clouds) {
    const root = join(outputDirectory, c.cloud);
    const onDisk = new Set(existsSync(root) ? listFiles(root).map((f) => relative(root, f).split('\\').join('/')) : []);
    for (const [path, bytes] of c.files) {
      if (!onDisk.has(path)) out.push(`missing: ${c.cloud}/${path}`);
      else if (!Buffer.from(readFileSync(join(root, path))).equals(Buffer.from(bytes))) out.push(`differs: ${c.cloud}/${path}`);
      onDisk.delete(path);
    }
    for (const extra of [...onDisk].sort()) out.push(`not produced by this build: ${c.cloud}/${extra}`);
  }
  return out;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}

export interface BuildReport {
  outputDirectory: string;
  check: boolean;
  /** Per cloud: files written (or compared), components and findings. */
  clouds: { cloud: CloudId; directory: string; components: number; findings: Record<Severity, number>; files: BuiltFile[] }[];
  diagnostics: (Diagnostic & { cloud: CloudId })[];
  /** With check: the differences between the committed output and a fresh build. */
  differences: string[];
  /** 0 built (or current), 1 validation errors or (with check) differences. */
  exitCode: 0 | 1;
}

/**
 * `coe-audit build`: builds every requested cloud, validates, and writes each cloud's folder
 * `<outputDirectory>/<cloud>/` atomically (the folder is replaced whole). With `check`, writes nothing and
 * compares with the folder instead. Validation errors fail the build and nothing is written.
 */
export async function runBuild(options: BuildOptions & { outputDirectory: string; check: boolean }): Promise<BuildReport> {
  const built = await buildArtefacts(options);
  const errors = errorCount(built);
  const differences = options.check ? compareWithDisk(built, options.outputDirectory) : [];
  if (!options.check && errors === 0) {
    for (const c of built) writeTreeAtomic(join(options.outputDirectory, c.cloud), c.files);
  }
  const files = describeFiles(built);
  return {
    outputDirectory: options.outputDirectory,
    check: options.check,
    clouds: built.map((c) => ({
      cloud: c.cloud,
      directory: join(options.outputDirectory, c.cloud),
      components: c.components,
      findings: countBySeverity(c.diagnostics),
      files: files.filter((f) => f.path.startsWith(`${c.cloud}/`)),
    })),
    diagnostics: built.flatMap((c) => c.diagnostics.map((d) => ({ ...d, cloud: c.cloud }))),
    differences,
    exitCode: errors > 0 || differences.length > 0 ? 1 : 0,
  };
}
