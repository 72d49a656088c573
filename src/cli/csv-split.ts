import { Option } from 'commander';
import { DEFAULT_MAX_RECORD_BYTES, splitCsv, type SplitResult } from '../csv/index.js';
import type { CommandModule } from './command-module.js';
import { outputOption, positiveInt } from './options.js';
import { byteProgress } from './progress.js';

const command: CommandModule = {
  noun: 'csv',
  verb: 'split',
  example: 'coe-audit csv split examples/purview-export.csv --rows 2 --output-directory parts',
  register(parent, ctx) {
    parent
      .command('split')
      .description('cut a Purview export into parts of at most N records (and bytes), each with the header, records copied byte for byte')
      .argument('<file>', 'the Purview audit-log export (.csv)')
      .addOption(new Option('--rows <n>', 'records per part').argParser(positiveInt('--rows')).default(50000))
      .addOption(new Option('--max-bytes <n>', 'bytes per part, header included').argParser(positiveInt('--max-bytes')))
      .addOption(new Option('--output-directory <dir>', "folder for the parts (default: the file's folder)"))
      .addOption(new Option('--max-record-bytes <n>', 'refuse a record longer than this').argParser(positiveInt('--max-record-bytes')).default(DEFAULT_MAX_RECORD_BYTES))
      .addOption(outputOption(['json', 'text'], 'text'))
      .action(async (file: string, opts: { rows: number; maxBytes?: number; outputDirectory?: string; maxRecordBytes: number; output: 'json' | 'text' }) => {
        const result = await splitCsv({
          file,
          rows: opts.rows,
          maxRecordBytes: opts.maxRecordBytes,
          onProgress: byteProgress(ctx, file),
          ...(opts.maxBytes !== undefined ? { maxBytes: opts.maxBytes } : {}),
          ...(opts.outputDirectory !== undefined ? { outputDirectory: opts.outputDirectory } : {}),
        });
        ctx.stdout(opts.output === 'json' ? JSON.stringify(result, null, 2) + '\n' : text(result));
      });
  },
};

function text(r: SplitResult): string {
  const out = [`${r.file}: ${r.records} records (${r.layout} layout${r.bom ? ', BOM kept on every part' : ''}) in ${r.parts.length} part(s) in ${r.outputDirectory}`];
  for (const p of r.parts) out.push(`  ${p.file}  ${p.records} records  ${p.bytes} bytes`);
  for (const f of r.removedStaleParts) out.push(`  removed stale ${f}`);
  return out.join('\n') + '\n';
}

export default command;
