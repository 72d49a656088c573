import { Option } from 'commander';
import { parseUserTime, pullContent, recordFormatOf, recordSerializer, recordsHeader, systemClock } from '../api/index.js';
import { writeFileAtomic } from '../io/index.js';
import { addApiOptions, contentTypeOption, sessionFor, type ApiCommandOptions } from './api-options.js';
import type { CommandModule } from './command-module.js';
import { positiveInt } from './options.js';

interface PullCommandOptions extends ApiCommandOptions {
  start: string;
  end: string;
  operation?: string[];
  out?: string;
  concurrency: number;
  requestsPerMinute: number;
}

const command: CommandModule = {
  noun: 'content',
  nounDescription: 'audit content of the Office 365 Management Activity API',
  verb: 'pull',
  register(parent, ctx) {
    addApiOptions(
      parent
        .command('pull')
        .description('download the audit records of a time window (at most 7 days back), de-duplicated by Id')
        .requiredOption('--start <iso>', 'start of the window (inclusive, UTC, by when content became available)')
        .requiredOption('--end <iso>', 'end of the window (exclusive, UTC)')
        .addOption(contentTypeOption())
        .option('--operation <name...>', 'keep only these operations (e.g. LaunchPowerApp DeletePowerApp)')
        .option('--out <file>', 'write the records to a .ndjson or .csv file (Purview layout) instead of stdout')
        .addOption(new Option('--concurrency <n>', 'blob downloads in flight at most').argParser(positiveInt('--concurrency')).default(8))
        .addOption(
          new Option('--requests-per-minute <n>', 'request budget per minute (the tenant quota is 2,000)').argParser(positiveInt('--requests-per-minute')).default(1800),
        ),
    ).action(async (opts: PullCommandOptions) => {
      const start = parseUserTime(opts.start, '--start');
      const end = parseUserTime(opts.end, '--end');
      const format = opts.out ? recordFormatOf(opts.out) : 'ndjson';
      const session = sessionFor(ctx, opts, opts.requestsPerMinute);
      const clock = systemClock();
      let lastAt = -Infinity;
      let lastSlice = 0;
      try {
        const r = await pullContent(session, {
          start,
          end,
          contentType: opts.contentType!,
          operations: opts.operation,
          concurrency: opts.concurrency,
          now: clock.now(),
          serialize: recordSerializer(format),
          onWarning: (w) => ctx.info(`warning: ${w}`),
          onProgress: (p) => {
            if (p.slice === lastSlice && clock.now() - lastAt < 1000) return;
            lastSlice = p.slice;
            lastAt = clock.now();
            ctx.info(`slice ${p.slice}/${p.slices}: ${p.pages} pages, ${p.blobsFetched}/${p.blobsListed} blobs, ${p.records} records`);
          },
        });
        const text = recordsHeader(format) + r.lines.join('');
        if (opts.out) writeFileAtomic(opts.out, text);
        else ctx.stdout(text);
        const s = r.stats;
        const summary = `${r.lines.length} records from ${s.blobsFetched} blobs (${s.pages} pages, ${s.slices} slices; ${s.duplicateRecords} duplicate records and ${s.duplicateBlobs} duplicate listings dropped; ${s.requests} requests, ${s.retries} retries)${opts.out ? ` written to ${opts.out}` : ''}`;
        if (s.expiredBlobs.length > 0) ctx.info(`warning: ${s.expiredBlobs.length} blobs had expired (AF20051); their records are missing`);
        if (!opts.out) ctx.info(summary);
        else if (opts.output === 'json') ctx.stdout(JSON.stringify({ out: opts.out, format, ...s, records: r.lines.length }, null, 2) + '\n');
        else ctx.stdout(summary + '\n');
      } finally {
        session.http.close();
      }
    });
  },
};
export default command;
