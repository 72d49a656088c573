import { Option } from 'commander';
import { convertCsv, DEFAULT_MAX_RECORD_BYTES, type ConvertTarget } from '../csv/index.js';
import type { CommandModule } from './command-module.js';
import { choice, operationOption, outputFileOption, positiveInt } from './options.js';
import { byteProgress } from './progress.js';

const command: CommandModule = {
  noun: 'csv',
  verb: 'convert',
  example: 'coe-audit csv convert examples/purview-export.csv --to ndjson --operation LaunchPowerApp',
  register(parent, ctx) {
    parent
      .command('convert')
      .description('convert a Purview export (either layout) to NDJSON of AuditData records or to the current CSV layout')
      .argument('<file>', 'the Purview audit-log export (.csv)')
      .addOption(new Option('--to <format>', 'output format: ndjson or csv').argParser(choice(['ndjson', 'csv'] as const)).makeOptionMandatory())
      .addOption(operationOption())
      .addOption(new Option('--dedupe', 'drop records whose Id was already written (keeps every Id in memory)'))
      .addOption(outputFileOption('write to this file (atomically) instead of stdout'))
      .addOption(new Option('--max-record-bytes <n>', 'refuse a record longer than this').argParser(positiveInt('--max-record-bytes')).default(DEFAULT_MAX_RECORD_BYTES))
      .action(
        async (
          file: string,
          opts: { to: ConvertTarget; operation?: string[]; dedupe?: boolean; outputFile?: string; maxRecordBytes: number },
        ) => {
          const result = await convertCsv(
            {
              file,
              to: opts.to,
              operations: opts.operation ?? [],
              dedupe: opts.dedupe === true,
              maxRecordBytes: opts.maxRecordBytes,
              onProgress: byteProgress(ctx, file),
              ...(opts.outputFile !== undefined ? { out: opts.outputFile } : {}),
            },
            (t) => ctx.stdout(t),
          );
          for (const m of result.malformed) ctx.stderr(`${file}:${m.line}: skipped malformed record: ${m.reason}\n`);
          if (result.malformedTruncated) ctx.stderr(`${file}: … and ${result.malformedRecords - result.malformed.length} more malformed records\n`);
          ctx.info(
            `${file}: ${result.written} of ${result.records} records written as ${result.to}${result.out ? ` to ${result.out}` : ''}` +
              ` (${result.malformedRecords} malformed, ${result.skippedByOperation} other operations, ${result.skippedDuplicates} duplicates skipped)`,
          );
          if (result.malformedRecords > 0) ctx.exitCode = 1;
        },
      );
  },
};

export default command;
