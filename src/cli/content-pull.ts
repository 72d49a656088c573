import { Option } from 'commander';
import {
  openFileSink,
  parseUserTime,
  pullContent,
  recordFormatOf,
  recordSerializer,
  recordsHeader,
  streamSink,
  systemClock,
  type FileSink,
  type PullProgress,
} from '../api/index.js';
import { UsageError } from '../errors.js';
import { addApiOptions, contentTypeOption, sessionFor, type ApiCommandOptions } from './api-options.js';
import type { CommandModule } from './command-module.js';
import type { CliContext } from './context.js';
import { positiveInt } from './options.js';

interface PullCommandOptions extends ApiCommandOptions {
  start: string;
  end: string;
  operation?: string[];
  out?: string;
  resume?: boolean;
  concurrency: number;
  requestsPerMinute: number;
}

/** Seconds without progress before the pull says what it is waiting for (then again every as many seconds). */
const QUIET_SECONDS = 10;

const command: CommandModule = {
  noun: 'content',
  nounDescription: 'audit content of the Office 365 Management Activity API',
  verb: 'pull',
  register(parent, ctx) {
    addApiOptions(
      parent
        .command('pull')
        .description('download the audit records of a time window (at most 7 days back), de-duplicated by Id, streamed to the output')
        .requiredOption('--start <iso>', 'start of the window (inclusive, UTC, by when content became available)')
        .requiredOption('--end <iso>', 'end of the window (exclusive, UTC)')
        .addOption(contentTypeOption())
        .option('--operation <name...>', 'keep only these operations (e.g. LaunchPowerApp DeletePowerApp)')
        .option('--out <file>', 'write the records to a .ndjson or .csv file (Purview layout) instead of stdout')
        .option('--resume', 'continue the interrupted pull of --out (same --start, --end, --content-type and --operation)')
        .addOption(new Option('--concurrency <n>', 'blob downloads in flight at most').argParser(positiveInt('--concurrency')).default(8))
        .addOption(
          new Option('--requests-per-minute <n>', 'request budget per minute (the tenant quota is 2,000)').argParser(positiveInt('--requests-per-minute')).default(1800),
        ),
    ).action(async (opts: PullCommandOptions) => {
      const start = parseUserTime(opts.start, '--start');
      const end = parseUserTime(opts.end, '--end');
      if (opts.resume && !opts.out) throw new UsageError('--resume needs --out: only a pull into a file can be continued');
      const format = opts.out ? recordFormatOf(opts.out) : 'ndjson';
      const serialize = recordSerializer(format);
      const session = sessionFor(ctx, opts, opts.requestsPerMinute);
      const clock = systemClock();
      let file: FileSink | undefined;
      if (opts.out) {
        const params = { start: new Date(start).toISOString(), end: new Date(end).toISOString(), contentType: opts.contentType!, operations: (opts.operation ?? []).map((x) => x.toLowerCase()).sort(), format };
        file = openFileSink({ out: opts.out, params, header: recordsHeader(format), serialize, resume: opts.resume === true });
        if (file.resumed) ctx.info(`resuming: ${file.done.size} blobs and ${file.heldRecords} records already written`);
      } else {
        ctx.stdout(recordsHeader(format));
      }
      const sink = file ?? streamSink(serialize, (t) => ctx.stdout(t));
      const watch = watchProgress(ctx, session.http.stats, clock.now.bind(clock));
      try {
        const r = await pullContent(session, {
          start,
          end,
          contentType: opts.contentType!,
          operations: opts.operation,
          concurrency: opts.concurrency,
          now: clock.now(),
          sink,
          onWarning: (w) => ctx.info(`warning: ${w}`),
          onProgress: watch.progress,
        });
        file?.finish();
        const s = r.stats;
        const summary = `${s.records} records from ${s.blobsFetched + s.resumedBlobs} blobs (${s.pages} pages, ${s.slices} slices; ${s.duplicateRecords} duplicate records and ${s.duplicateBlobs} duplicate listings dropped; ${s.requests} requests, ${s.retries} retries${s.resumedBlobs ? `; ${s.resumedBlobs} blobs from the interrupted run` : ''})${opts.out ? ` written to ${opts.out}` : ''}`;
        if (s.expiredBlobs.length > 0) ctx.info(`warning: ${s.expiredBlobs.length} blobs had expired (AF20051); their records are missing`);
        if (!opts.out) ctx.info(summary);
        else if (opts.output === 'json') ctx.stdout(JSON.stringify({ out: opts.out, format, ...s }, null, 2) + '\n');
        else ctx.stdout(summary + '\n');
      } catch (e) {
        if (file) {
          file.close();
          ctx.info(`the records pulled so far are kept: rerun the same command with --resume to continue`);
        }
        throw e;
      } finally {
        watch.stop();
        session.http.close();
      }
    });
  },
};

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
