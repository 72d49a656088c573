import { isAbsolute, relative, resolve } from 'node:path';
import { InvalidArgumentError, Option } from 'commander';
import { DEFAULT_TIMESTAMP, runBuild, type BuildReport } from '../audit-solution/build.js';
import { resolveClouds } from '../clouds/resolve-cloud.js';
import { loadConfig } from '../config/load-config.js';
import { formatStylish } from '../diagnostics/formatters/index.js';
import { EDITIONS, type Edition } from '../audit-solution/index.js';
import { UsageError } from '../errors.js';
import type { CommandModule } from './command-module.js';
import { choice, cloudsOption, outputOption } from './options.js';

const command: CommandModule = {
  noun: '',
  verb: 'build',
  example: 'coe-audit build --cloud gcc,dod --packagetype Managed --output-directory dist',
  register(parent, ctx) {
    parent
      .command('build')
      .description('build every cloud: connector, unpacked solution, solution zips, deployment settings and a validation report, under dist/')
      .addOption(cloudsOption())
      .addOption(new Option('--edition <edition>', 'coe (beside CoE Core), standalone (no CoE) or all').argParser(choice(['coe', 'standalone', 'all'] as const)).default('all'))
      .addOption(new Option('--tenant-id <guid>', 'Entra tenant id written into the deployment settings (default COE_AUDIT_TENANT_ID, then the config file)').argParser(guid('--tenant-id')))
      .addOption(new Option('--client-id <guid>', 'app registration (client) id written into the deployment settings (default COE_AUDIT_CLIENT_ID, then the config file)').argParser(guid('--client-id')))
      .addOption(new Option('--packagetype <type>', 'zips to write: Unmanaged, Managed or Both').argParser(choice(['Unmanaged', 'Managed', 'Both'] as const)).default('Both'))
      .addOption(new Option('--timestamp <iso>', 'date and time stored in every zip entry (UTC)').argParser(parseTimestamp).default(DEFAULT_TIMESTAMP))
      .addOption(new Option('--output-directory <dir>', 'where each cloud folder is written (default: outputDirectory of the config, else dist)'))
      .addOption(new Option('--config <file>', 'coe-audit.config.yaml to read (default: the one in the working directory, if any)'))
      .addOption(new Option('--check', 'write nothing; exit 1 when the output directory differs from a fresh build'))
      .addOption(outputOption())
      .action(async (opts: Options) => {
        const { config } = loadConfig({ cwd: ctx.cwd, ...(opts.config !== undefined ? { explicitPath: opts.config } : {}) });
        const dir = opts.outputDirectory ?? config.outputDirectory ?? 'dist';
        const fromEnv = (name: string): string | undefined => {
          const v = ctx.env[name];
          if (v === undefined || v === '') return undefined;
          if (!GUID_RE.test(v)) throw new UsageError(`${name}: '${v}' is not a GUID`);
          return v;
        };
        const tenantId = opts.tenantId ?? fromEnv('COE_AUDIT_TENANT_ID');
        const clientId = opts.clientId ?? fromEnv('COE_AUDIT_CLIENT_ID');
        const report = await runBuild({
          clouds: resolveClouds(opts.cloud ?? config.clouds),
          editions: opts.edition === 'all' ? EDITIONS : [opts.edition],
          importValues: { ...(tenantId !== undefined ? { tenantId } : {}), ...(clientId !== undefined ? { clientId } : {}) },
          config,
          packageTypes: opts.packagetype === 'Both' ? ['Unmanaged', 'Managed'] : [opts.packagetype],
          timestamp: new Date(opts.timestamp),
          outputDirectory: isAbsolute(dir) ? dir : resolve(ctx.cwd, dir),
          check: opts.check === true,
          onProgress: (line) => ctx.info(line),
        });
        if (report.diagnostics.length > 0) ctx.stderr(formatStylish(report.diagnostics));
        ctx.info(summary(report));
        if (opts.output === 'json') ctx.stdout(JSON.stringify(report, null, 2) + '\n');
        else if (!opts.check && report.exitCode === 0) ctx.stdout(importSummary(report, ctx.cwd));
        ctx.exitCode = report.exitCode;
      });
  },
};

interface Options {
  cloud?: string[];
  edition: Edition | 'all';
  tenantId?: string;
  clientId?: string;
  packagetype: 'Unmanaged' | 'Managed' | 'Both';
  timestamp: string;
  outputDirectory?: string;
  config?: string;
  check?: boolean;
  output: 'json' | 'text';
}

const GUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

function guid(flag: string): (value: string) => string {
  return (value) => {
    if (!GUID_RE.test(value)) throw new InvalidArgumentError(`${flag} must be a GUID (the directory or application id, not a name).`);
    return value;
  };
}

/** A path as the admin types it: relative to the working directory when inside it. */
function shown(path: string, cwd: string): string {
  const r = relative(cwd, path);
  return r !== '' && !r.startsWith('..') && !isAbsolute(r) ? r.split('\\').join('/') : path;
}

/** stdout: per cloud and edition, the zip to import, the pac commands and what is still to set. */
function importSummary(r: BuildReport, cwd: string): string {
  const out: string[] = [];
  for (const c of r.clouds) {
    out.push(`${c.cloud} ${c.edition}: ${shown(c.import.zip, cwd)}`);
    out.push(`  pac auth create --cloud ${c.import.pacCloud} --environment <environment URL>`);
    out.push(`  pac solution import --path ${shown(c.import.zip, cwd)} --settings-file ${shown(c.import.settingsFile, cwd)} --publish-changes`);
    if (c.import.toSet.length > 0) out.push('  still to set:', ...c.import.toSet.map((t) => `    - ${t}`));
  }
  return out.join('\n') + '\n';
}

function parseTimestamp(value: string): string {
  const d = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/.test(value) || Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1980 || d.getUTCFullYear() > 2107) {
    throw new InvalidArgumentError('expected an ISO 8601 date and time between 1980 and 2107, such as 2026-01-01T00:00:00Z.');
  }
  return value;
}

/** The summary table on stderr: cloud, file, size, components, findings. */
function summary(r: BuildReport): string {
  const rows = [['cloud', 'edition', 'file', 'size', 'components', 'findings']];
  for (const c of r.clouds) {
    const findings = `${c.findings.error} error(s), ${c.findings.warn} warning(s)`;
    const base = `${c.cloud}/${c.edition}`;
    for (const folder of ['connector', 'solution']) {
      const inside = c.files.filter((x) => x.path.startsWith(`${base}/${folder}/`));
      rows.push([c.cloud, c.edition, `${base}/${folder}/ (${inside.length} files)`, String(inside.reduce((n, f) => n + f.bytes, 0)), String(c.components), findings]);
    }
    for (const f of c.files.filter((x) => !/^[^/]+\/[^/]+\/(connector|solution)\//.test(x.path))) rows.push([c.cloud, c.edition, f.path, String(f.bytes), String(c.components), findings]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const lines = rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
  const errors = r.diagnostics.filter((d) => d.severity === 'error').length;
  if (r.check) {
    lines.push(r.differences.length === 0 ? `${r.outputDirectory} is current.` : `${r.outputDirectory} differs from a fresh build:`);
    for (const d of r.differences) lines.push(`  ${d}`);
  } else {
    const clouds = new Set(r.clouds.map((c) => c.cloud)).size;
    const editions = [...new Set(r.clouds.map((c) => c.edition))].join(' and ');
    lines.push(errors > 0 ? `validation failed with ${errors} error(s): nothing written.` : `built ${clouds} cloud(s), edition ${editions}, into ${r.outputDirectory}.`);
  }
  return lines.join('\n');
}

export default command;
