import { Option } from 'commander';
import type { ContentType } from '../api/content-types.js';
import { addApiOptions, contentTypeOption, sessionFor, type ApiCommandOptions } from './api-options.js';
import type { CommandModule } from './command-module.js';
import { CoeOption, operationOption, outputFileOption, positiveInt } from './options.js';

interface PullCommandOptions extends ApiCommandOptions {
  start?: string;
  end?: string;
  operation?: string[];
  outputFile?: string;
  concurrency: number;
  requestsPerMinute: number;
}

const command: CommandModule = {
  noun: 'content',
  verb: 'pull',
  example: 'coe-audit content pull --content-type General --operation LaunchPowerApp --output-file launches.ndjson',
  register(parent, ctx) {
    addApiOptions(
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
        ),
      ['json', 'text', 'csv'],
    ).action(async (opts: PullCommandOptions) => {
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
export default command;
