import { Option, type Command } from 'commander';
import { parseUserTime, pullContent, pullGraph, recordFormatOf, recordSerializer, recordsHeader, systemClock, type RecordFormat } from '../api/index.js';
import { UsageError } from '../errors.js';
import { writeFileAtomic } from '../io/index.js';
import { addApiOptions, addGraphOptions, contentTypeOption, graphSessionFor, sessionFor, type ApiCommandOptions } from './api-options.js';
import type { CommandModule } from './command-module.js';
import type { CliContext } from './context.js';
import { positiveInt } from './options.js';

interface PullCommandOptions extends ApiCommandOptions {
  start: string;
  end: string;
  operation?: string[];
  out?: string;
  concurrency: number;
  requestsPerMinute: number;
  pollTimeout: number;
}

const command: CommandModule = {
  noun: 'content',
  nounDescription: 'audit content of the Office 365 Management Activity API',
  verb: 'pull',
  register(parent, ctx) {
    const cmd = addApiOptions(
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
        )
        .addOption(new Option('--poll-timeout <minutes>', 'with --api graph: give up a query not succeeded after this many minutes').argParser(positiveInt('--poll-timeout')).default(60)),
    );
    addGraphOptions(cmd).action(async (opts: PullCommandOptions, self: Command) => {
      const start = parseUserTime(opts.start, '--start');
      const end = parseUserTime(opts.end, '--end');
      const format = opts.out ? recordFormatOf(opts.out) : 'ndjson';
      if (opts.api === 'graph') {
        if (self.getOptionValueSource('contentType') === 'cli') {
          throw new UsageError('--content-type: the Graph audit log query API has no content types (it searches every workload); drop --content-type, or use --api management');
        }
        return pullWithGraph(ctx, opts, start, end, format);
      }
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

/** `--api graph`: the same records and output through the Graph audit log query API; windows not loaded exit 1. */
async function pullWithGraph(ctx: CliContext, opts: PullCommandOptions, start: number, end: number, format: RecordFormat): Promise<void> {
  const session = graphSessionFor(ctx, opts, opts.requestsPerMinute);
  const clock = systemClock();
  let lastAt = -Infinity;
  let lastKey = '';
  try {
    const r = await pullGraph(session, {
      start,
      end,
      operations: opts.operation,
      now: clock.now(),
      pollTimeoutMs: opts.pollTimeout * 60_000,
      serialize: recordSerializer(format),
      onWarning: (w) => ctx.info(`warning: ${w}`),
      onProgress: (p) => {
        const key = `${p.slice} ${p.status}`;
        if (key === lastKey && clock.now() - lastAt < 1000) return;
        lastKey = key;
        lastAt = clock.now();
        ctx.info(`slice ${p.slice}/${p.slices}: query ${p.status}, ${p.pages} pages, ${p.records} records`);
      },
    });
    const text = recordsHeader(format) + r.lines.join('');
    if (opts.out) writeFileAtomic(opts.out, text);
    else ctx.stdout(text);
    const s = r.stats;
    const summary = `${r.lines.length} records from ${s.queries} Graph audit log queries (${s.pages} pages, ${s.slices} slices; ${s.duplicateRecords} duplicate records dropped; ${s.requests} requests, ${s.retries} retries)${opts.out ? ` written to ${opts.out}` : ''}`;
    if (!opts.out) ctx.info(summary);
    else if (opts.output === 'json') ctx.stdout(JSON.stringify({ out: opts.out, format, api: 'graph', ...s, records: r.lines.length }, null, 2) + '\n');
    else ctx.stdout(summary + '\n');
    for (const n of s.notLoaded) ctx.stderr(`not loaded: window ${n.start} to ${n.end}: ${n.reason}\n`);
    if (s.notLoaded.length > 0) ctx.exitCode = 1;
  } finally {
    session.http.close();
  }
}
export default command;
