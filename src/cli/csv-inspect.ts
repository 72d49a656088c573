import { Option } from 'commander';
import { DEFAULT_MAX_RECORD_BYTES, inspectCsv, type InspectResult } from '../csv/index.js';
import type { CommandModule } from './command-module.js';
import { outputOption, positiveInt } from './options.js';
import { byteProgress } from './progress.js';

const command: CommandModule = {
  noun: 'csv',
  verb: 'inspect',
  example: 'coe-audit csv inspect examples/purview-export.csv --output json',
  register(parent, ctx) {
    parent
      .command('inspect')
      .description('report the layout, record counts, malformed records, date range, operations, users and apps of a Purview export')
      .argument('<file>', 'the Purview audit-log export (.csv)')
      .addOption(new Option('--max-record-bytes <n>', 'refuse a record longer than this').argParser(positiveInt('--max-record-bytes')).default(DEFAULT_MAX_RECORD_BYTES))
      .addOption(outputOption(['json', 'text'], 'text'))
      .action(async (file: string, opts: { maxRecordBytes: number; output: 'json' | 'text' }) => {
        const result = await inspectCsv({ file, maxRecordBytes: opts.maxRecordBytes, onProgress: byteProgress(ctx, file) });
        ctx.stdout(opts.output === 'json' ? JSON.stringify(result, null, 2) + '\n' : text(result));
        if (result.malformedRecords > 0) ctx.exitCode = 1;
      });
  },
};

function text(r: InspectResult): string {
  const byCount = (o: Record<string, number>): string[] =>
    Object.entries(o)
      .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, n]) => `  ${k || '(empty)'}: ${n}`);
  const out = [
    `file: ${r.file}`,
    `layout: ${r.layout} (${r.lineEnd === 'none' ? 'no line end' : r.lineEnd.toUpperCase()}${r.bom ? ', BOM' : ''})`,
    `records: ${r.records} (${r.validRecords} valid, ${r.malformedRecords} malformed)`,
    `date range: ${r.dateRange ? `${r.dateRange.first} .. ${r.dateRange.last}` : '(none)'}`,
    `LaunchPowerApp: ${r.launchPowerApp}`,
    `unique users: ${r.uniqueUsers}`,
    `unique apps: ${r.uniqueApps}`,
    'operations:',
    ...byCount(r.operations),
    'record types:',
    ...byCount(r.recordTypes),
  ];
  if (r.malformedRecords > 0) {
    out.push('malformed records:');
    for (const m of r.malformed) out.push(`  ${r.file}:${m.line}: ${m.reason}`);
    if (r.malformedTruncated) out.push(`  … and ${r.malformedRecords - r.malformed.length} more`);
  }
  return out.join('\n') + '\n';
}

export default command;
