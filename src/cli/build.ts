import { isAbsolute, resolve } from 'node:path';
import { InvalidArgumentError, Option } from 'commander';
import { DEFAULT_TIMESTAMP, runBuild, type BuildReport } from '../audit-solution/index.js';
import { resolveClouds } from '../clouds/index.js';
import { loadConfig } from '../config/index.js';
import { formatStylish } from '../diagnostics/index.js';
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
      .addOption(new Option('--packagetype <type>', 'zips to write: Unmanaged, Managed or Both').argParser(choice(['Unmanaged', 'Managed', 'Both'] as const)).default('Both'))
      .addOption(new Option('--timestamp <iso>', 'date and time stored in every zip entry (UTC)').argParser(parseTimestamp).default(DEFAULT_TIMESTAMP))
      .addOption(new Option('--output-directory <dir>', 'where each cloud folder is written (default: outputDirectory of the config, else dist)'))
      .addOption(new Option('--config <file>', 'coe-audit.config.yaml to read (default: the one in the working directory, if any)'))
      .addOption(new Option('--check', 'write nothing; exit 1 when the output directory differs from a fresh build'))
      .addOption(outputOption())
      .action(async (opts: { cloud?: string[]; packagetype: 'Unmanaged' | 'Managed' | 'Both'; timestamp: string; outputDirectory?: string; config?: string; check?: boolean; output: 'json' | 'text' }) => {
        const { config } = loadConfig({ cwd: ctx.cwd, ...(opts.config !== undefined ? { explicitPath: opts.config } : {}) });
        const dir = opts.outputDirectory ?? config.outputDirectory ?? 'dist';
        const report = await runBuild({
          clouds: resolveClouds(opts.cloud ?? config.clouds),
          config,
          packageTypes: opts.packagetype === 'Both' ? ['Unmanaged', 'Managed'] : [opts.packagetype],
          timestamp: new Date(opts.timestamp),
          outputDirectory: isAbsolute(dir) ? dir : resolve(ctx.cwd, dir),
          check: opts.check === true,
        });
        if (report.diagnostics.length > 0) ctx.stderr(formatStylish(report.diagnostics));
        ctx.info(summary(report));
        if (opts.output === 'json') ctx.stdout(JSON.stringify(report, null, 2) + '\n');
        ctx.exitCode = report.exitCode;
      });
  },
};

function parseTimestamp(value: string): string {
  const d = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/.test(value) || Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1980 || d.getUTCFullYear() > 2107) {
    throw new InvalidArgumentError('expected an ISO 8601 date and time between 1980 and 2107, such as 2026-01-01T00:00:00Z.');
  }
  return value;
}

/** The summary table on stderr: cloud, file, size, components, findings. */
function summary(r: BuildReport): string {
  const rows = [['cloud', 'file', 'size', 'components', 'findings']];
  for (const c of r.clouds) {
    const findings = `${c.findings.error} error(s), ${c.findings.warn} warning(s)`;
    for (const folder of ['connector', 'solution']) {
      const inside = c.files.filter((x) => x.path.startsWith(`${c.cloud}/${folder}/`));
      rows.push([c.cloud, `${c.cloud}/${folder}/ (${inside.length} files)`, String(inside.reduce((n, f) => n + f.bytes, 0)), String(c.components), findings]);
    }
    for (const f of c.files.filter((x) => !/^[^/]+\/(connector|solution)\//.test(x.path))) rows.push([c.cloud, f.path, String(f.bytes), String(c.components), findings]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const lines = rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
  const errors = r.diagnostics.filter((d) => d.severity === 'error').length;
  if (r.check) {
    lines.push(r.differences.length === 0 ? `${r.outputDirectory} is current.` : `${r.outputDirectory} differs from a fresh build:`);
    for (const d of r.differences) lines.push(`  ${d}`);
  } else {
    lines.push(errors > 0 ? `validation failed with ${errors} error(s): nothing written.` : `built ${r.clouds.length} cloud(s) into ${r.outputDirectory}.`);
  }
  return lines.join('\n');
}

export default command;
