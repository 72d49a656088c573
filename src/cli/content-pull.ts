import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { ContentType } from '../api/content-types.js';
import type { FileSink, PullProgress, RecordFormat } from '../api/index.js';
import { UsageError } from '../errors.js';
import { addApiOptions, addGraphOptions, contentTypeOption, graphSessionFor, sessionFor, type ApiCommandOptions } from './api-options.js';
import type { CommandModule } from './command-module.js';
import type { CliContext } from './context.js';
import { CoeOption, operationOption, outputFileOption, positiveInt } from './options.js';

/** Seconds without progress before the pull says what it is waiting for (then again every as many seconds). */
const QUIET_SECONDS = 10;

interface PullCommandOptions extends ApiCommandOptions {
  start?: string;
  end?: string;
  operation?: string[];
  outputFile?: string;
  resume?: boolean;
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
        .description('download the audit records of a time window (at most 7 days, default the last 24 hours), de-duplicated by Id, streamed to the output')
        .addOption(new CoeOption('--start <iso>', 'start of the window (inclusive, UTC, by when content became available; default: 24 hours before --end)').alias('--startTime'))
        .addOption(new CoeOption('--end <iso>', 'end of the window (exclusive, UTC; default: now; a later time is capped to now)').alias('--endTime'))
        .addOption(contentTypeOption())
        .addOption(operationOption())
        .addOption(outputFileOption('write the records to a .ndjson or .csv file (Purview layout) instead of stdout'))
        .addOption(new Option('--resume', 'continue the interrupted pull of --output-file (same --start, --end, --content-type and --operation)'))
        .addOption(new Option('--concurrency <n>', 'blob downloads in flight at most').argParser(positiveInt('--concurrency')).default(8))
        .addOption(
          new Option('--requests-per-minute <n>', 'request budget per minute (the tenant quota is 2,000)').argParser(positiveInt('--requests-per-minute')).default(1800),
        )
        .addOption(new CoeOption('--poll-timeout <minutes>', 'with --api graph: give up a query not succeeded after this many minutes').argParser(positiveInt('--poll-timeout')).default(60)),
      ['json', 'text', 'csv'],
    );
    addGraphOptions(cmd).action(async (opts: PullCommandOptions, self: Command) => {
      const { openFileSink, parseUserTime, pullContent, recordFormatOf, recordSerializer, recordsHeader, resolveWindow, streamSink, systemClock } = await import('../api/index.js');
      const clock = systemClock();
      if (opts.resume && !opts.outputFile) throw new UsageError('--resume needs --output-file: only a pull into a file can be continued');
      if (opts.resume && opts.end === undefined) throw new UsageError('--resume needs the --start and --end of the interrupted pull (without --end the window would move)');
      if (opts.resume && opts.api === 'graph') throw new UsageError('--resume: only the management API pull (--api management) keeps a checkpoint');
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
      const serialize = recordSerializer(format);
      const types: ContentType[] = opts.contentType ?? ['Audit.General'];
      const session = await sessionFor(ctx, opts, opts.requestsPerMinute);
      let file: FileSink | undefined;
      const watch = watchProgress(ctx, session.http.stats, () => clock.now());
      try {
        if (opts.outputFile) {
          const params = {
            start: new Date(window.start).toISOString(),
            end: new Date(window.end).toISOString(),
            contentType: types.join(','),
            operations: (opts.operation ?? []).map((x) => x.toLowerCase()).sort(),
            format,
          };
          file = openFileSink({ out: resolve(ctx.cwd, opts.outputFile), params, header: recordsHeader(format), serialize, resume: opts.resume === true });
          if (file.resumed) ctx.info(`resuming: ${file.done.size} blobs and ${file.heldRecords} records already written`);
        } else {
          ctx.stdout(recordsHeader(format));
        }
        const sink = file ?? streamSink(serialize, (t) => ctx.stdout(t));
        for (const contentType of types) ctx.info(`${contentType}: ${new Date(window.start).toISOString()} .. ${new Date(window.end).toISOString()}`);
        const r = await pullContent(session, {
          start: window.start,
          end: window.end,
          contentType: types,
          operations: opts.operation,
          concurrency: opts.concurrency,
          now: clock.now(),
          sink,
          onWarning: (w) => ctx.info(`warning: ${w}`),
          onProgress: watch.progress,
        });
        file?.finish();
        const s = r.stats;
        const summary = `${s.records} records from ${s.blobsFetched + s.resumedBlobs} blobs (${s.pages} pages, ${s.slices} slices; ${s.duplicateRecords} duplicate records and ${s.duplicateBlobs} duplicate listings dropped; ${s.requests} requests, ${s.retries} retries${s.resumedBlobs ? `; ${s.resumedBlobs} blobs from the interrupted run` : ''})${opts.outputFile ? ` written to ${opts.outputFile}` : ''}`;
        if (s.expiredBlobs.length > 0) ctx.info(`warning: ${s.expiredBlobs.length} blobs had expired (AF20051); their records are missing`);
        if (!opts.outputFile) ctx.info(summary);
        else if (opts.output === 'json') {
          const only = r.perType.length === 1 ? { ...r.perType[0]!, ...s } : { ...s, contentTypes: r.perType };
          ctx.stdout(JSON.stringify({ out: opts.outputFile, format, ...only, records: s.records }, null, 2) + '\n');
        } else ctx.stdout(summary + '\n');
      } catch (e) {
        if (file) {
          file.close();
          ctx.info('the records pulled so far are kept: rerun the same command with --resume to continue');
        }
        throw e;
      } finally {
        watch.stop();
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
    if (opts.outputFile) writeFileAtomic(resolve(ctx.cwd, opts.outputFile), text);
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
/**
 * Progress lines on stderr: at most one a second while blobs arrive, and when nothing has moved for QUIET_SECONDS,
 * a line saying what the pull waits for (the request budget, retries, or the server).
 */
function watchProgress(ctx: CliContext, http: { inFlight: number; waitingForBudget: number; waitingToRetry: number }, now: () => number) {
  let lastLine = -Infinity;
  let lastSlice = 0;
  let lastMove = now();
  let last: PullProgress | undefined;
  const timer = setInterval(() => {
    const quiet = Math.floor((now() - lastMove) / 1000);
    if (quiet < QUIET_SECONDS) return;
    const why =
      http.waitingForBudget > 0 && http.inFlight === 0
        ? `waiting for the request budget (--requests-per-minute) for ${http.waitingForBudget} request(s)`
        : http.waitingToRetry > 0
          ? `waiting to retry ${http.waitingToRetry} request(s)`
          : `waiting for the server to answer ${http.inFlight} request(s)`;
    ctx.info(`still pulling after ${quiet} s without progress: ${why}${last ? ` (${last.blobsFetched}/${last.blobsListed} blobs, ${last.records} records so far)` : ''}`);
  }, QUIET_SECONDS * 1000);
  timer.unref();
  return {
    progress(p: PullProgress) {
      const moved = !last || p.blobsFetched !== last.blobsFetched || p.pages !== last.pages || p.records !== last.records;
      last = p;
      if (moved) lastMove = now();
      if (p.slice === lastSlice && now() - lastLine < 1000) return;
      lastSlice = p.slice;
      lastLine = now();
      ctx.info(`slice ${p.slice}/${p.slices}: ${p.pages} pages, ${p.blobsFetched}/${p.blobsListed} blobs, ${p.records} records`);
    },
    stop: () => clearInterval(timer),
  };
}

export default command;
