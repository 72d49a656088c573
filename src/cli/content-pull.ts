import { Option, type Command } from 'commander';
import type { ContentType } from '../api/content-types.js';
import type { RecordFormat } from '../api/index.js';
import { UsageError } from '../errors.js';
import { addApiOptions, addGraphOptions, contentTypeOption, graphSessionFor, sessionFor, type ApiCommandOptions } from './api-options.js';
import type { CommandModule } from './command-module.js';
import type { CliContext } from './context.js';
import { CoeOption, operationOption, outputFileOption, positiveInt } from './options.js';

interface PullCommandOptions extends ApiCommandOptions {
  start?: string;
  end?: string;
  operation?: string[];
  outputFile?: string;
  concurrency: number;
  requestsPerMinute: number;
  pollTimeout: number;
}

const command: CommandModule = {
  noun: 'content',
  verb: 'pull',
  example: 'coe-audit content pull --content-type General --operation LaunchPowerApp --output-file launches.ndjson',
  register(parent, ctx) {
    const cmd = addApiOptions(
      parent
        .command('pull')
        .description('download the audit records of a time window (at most 7 days, default the last 24 hours), de-duplicated by Id')
        .addOption(new CoeOption('--start <iso>', 'start of the window (inclusive, UTC, by when content became available; default: 24 hours before --end)').alias('--startTime'))
        .addOption(new CoeOption('--end <iso>', 'end of the window (exclusive, UTC; default: now; a later time is capped to now)').alias('--endTime'))
        .addOption(contentTypeOption())
        .addOption(operationOption())
        .addOption(outputFileOption('write the records to a .ndjson or .csv file (Purview layout) instead of stdout'))
        .addOption(new Option('--concurrency <n>', 'blob downloads in flight at most').argParser(positiveInt('--concurrency')).default(8))
        .addOption(
          new Option('--requests-per-minute <n>', 'request budget per minute (the tenant quota is 2,000)').argParser(positiveInt('--requests-per-minute')).default(1800),
        )
        .addOption(new CoeOption('--poll-timeout <minutes>', 'with --api graph: give up a query not succeeded after this many minutes').argParser(positiveInt('--poll-timeout')).default(60)),
      ['json', 'text', 'csv'],
    );
    addGraphOptions(cmd).action(async (opts: PullCommandOptions, self: Command) => {
      const { parseUserTime, pullContent, recordFormatOf, recordSerializer, recordsHeader, resolveWindow, systemClock } = await import('../api/index.js');
      const { writeFileAtomic } = await import('../io/atomic-write.js');
      const clock = systemClock();
      const window = resolveWindow({
        ...(opts.start !== undefined ? { start: parseUserTime(opts.start, '--start') } : {}),
        ...(opts.end !== undefined ? { end: parseUserTime(opts.end, '--end') } : {}),
        now: clock.now(),
      });
      for (const w of window.warnings) ctx.info(`warning: ${w}`);
      const format = opts.outputFile ? recordFormatOf(opts.outputFile) : opts.output === 'csv' ? 'csv' : 'ndjson';
      if (opts.api === 'graph') {
        if (self.getOptionValueSource('contentType') === 'cli') {
          throw new UsageError('--content-type: the Graph audit log query API has no content types (it searches every workload); drop --content-type, or use --api management');
        }
        return pullWithGraph(ctx, opts, window.start, window.end, format);
      }
      const session = await sessionFor(ctx, opts, opts.requestsPerMinute);
      const types: ContentType[] = opts.contentType ?? ['Audit.General'];
      let lastAt = -Infinity;
      let lastSlice = 0;
      try {
        const lines: string[] = [];
        const total = { blobsFetched: 0, pages: 0, slices: 0, duplicateRecords: 0, duplicateBlobs: 0, requests: 0, retries: 0, filteredOut: 0, expired: 0 };
        const perType: Record<string, unknown>[] = [];
        for (const contentType of types) {
          ctx.info(`${contentType}: ${new Date(window.start).toISOString()} .. ${new Date(window.end).toISOString()}`);
          const r = await pullContent(session, {
            start: window.start,
            end: window.end,
            contentType,
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
          lines.push(...r.lines);
          const s = r.stats;
          for (const k of ['blobsFetched', 'pages', 'slices', 'duplicateRecords', 'duplicateBlobs', 'requests', 'retries', 'filteredOut'] as const) total[k] += s[k];
          total.expired += s.expiredBlobs.length;
          perType.push({ contentType, ...s, records: r.lines.length });
        }
        const text = recordsHeader(format) + lines.join('');
        if (opts.outputFile) writeFileAtomic(opts.outputFile, text);
        else ctx.stdout(text);
        const s = total;
        const summary = `${lines.length} records from ${s.blobsFetched} blobs (${s.pages} pages, ${s.slices} slices; ${s.duplicateRecords} duplicate records and ${s.duplicateBlobs} duplicate listings dropped; ${s.requests} requests, ${s.retries} retries)${opts.outputFile ? ` written to ${opts.outputFile}` : ''}`;
        if (s.expired > 0) ctx.info(`warning: ${s.expired} blobs had expired (AF20051); their records are missing`);
        if (!opts.outputFile) ctx.info(summary);
        else if (opts.output === 'json') {
          const only = perType.length === 1 ? perType[0]! : { contentTypes: perType };
          ctx.stdout(JSON.stringify({ out: opts.outputFile, format, ...only, records: lines.length }, null, 2) + '\n');
        } else ctx.stdout(summary + '\n');
      } finally {
        session.http.close();
      }
    });
  },
};

/** `--api graph`: the same records and output through the Graph audit log query API; windows not loaded exit 1. */
async function pullWithGraph(ctx: CliContext, opts: PullCommandOptions, start: number, end: number, format: RecordFormat): Promise<void> {
  const { pullGraph, recordSerializer, recordsHeader, systemClock } = await import('../api/index.js');
  const { writeFileAtomic } = await import('../io/atomic-write.js');
  const session = await graphSessionFor(ctx, opts, opts.requestsPerMinute);
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
    if (opts.outputFile) writeFileAtomic(opts.outputFile, text);
    else ctx.stdout(text);
    const s = r.stats;
    const summary = `${r.lines.length} records from ${s.queries} Graph audit log queries (${s.pages} pages, ${s.slices} slices; ${s.duplicateRecords} duplicate records dropped; ${s.requests} requests, ${s.retries} retries)${opts.outputFile ? ` written to ${opts.outputFile}` : ''}`;
    if (!opts.outputFile) ctx.info(summary);
    else if (opts.output === 'json') ctx.stdout(JSON.stringify({ out: opts.outputFile, format, api: 'graph', ...s, records: r.lines.length }, null, 2) + '\n');
    else ctx.stdout(summary + '\n');
    for (const n of s.notLoaded) ctx.stderr(`not loaded: window ${n.start} to ${n.end}: ${n.reason}\n`);
    if (s.notLoaded.length > 0) ctx.exitCode = 1;
  } finally {
    session.http.close();
  }
}
export default command;
