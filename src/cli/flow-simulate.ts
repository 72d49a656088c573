import { performance } from 'node:perf_hooks';
import { InvalidArgumentError, Option } from 'commander';
import { PROFILE_NAMES } from '../api/emulator/profiles.js';
import { UsageError } from '../errors.js';
import { compareApiModes, compareSyncFlows, formatComparison } from '../flowrun/compare.js';
import { MAX_HOURS, parseDurationText, parsePeriod, simulateFlows, type SimulatedPeriod, type SimulationSummary } from '../flowrun/simulate.js';
import { stableJson } from '../io/stable-json.js';
import type { Edition } from '../audit-solution/index.js';
import type { CommandModule } from './command-module.js';
import { choice, listOption, outputOption, positiveInt } from './options.js';

interface Options {
  profile: string;
  events?: number;
  hours: number;
  faults?: string;
  seed: number;
  edition: Edition;
  api: 'management' | 'graph';
  outage?: string[];
  flowOff?: string[];
  lateContent?: string;
  rowByRow?: boolean;
  compare?: string;
  output: 'json' | 'text';
}

function textSummary(s: Omit<SimulationSummary, 'timing'>): string {
  return Object.entries(s)
    .map(([k, v]) => `${k.padEnd(31)} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}\n`)
    .join('');
}

function failed(s: SimulationSummary): boolean {
  return s.failedRuns > s.failedRunsDuringOutages || s.missingLaunches > 0 || s.wrongLastLaunch > 0;
}

const command: CommandModule = {
  noun: 'flow',
  verb: 'simulate',
  example: 'coe-audit flow simulate --events 100 --hours 3 --faults throttle=0.05',
  register(parent, ctx) {
    parent
      .command('simulate')
      .description('seed the emulator with a tenant profile, run Subscription start then Sync hour by hour on a virtual clock, check every launch was written once, and count what the platform charges')
      .option('--profile <name>', `tenant profile of the emulator: ${PROFILE_NAMES.join(', ')}`, 'default')
      .option('--events <n>', 'audit records the emulator seeds over the period (required with the default profile)', positiveInt('--events'))
      .option('--hours <h>', `length of the period in hours (1-${MAX_HOURS}); Sync runs once per hour`, positiveInt('--hours'), 24)
      .option('--faults <spec>', 'emulator faults, kind=rate,... (throttle, server-error, drop, slow, duplicate-blob, expired, unauthorized)')
      .option('--seed <n>', 'seed of the emulator data and faults (integer >= 0)', (v: string) => {
        if (!/^\d+$/.test(v)) throw new InvalidArgumentError('--seed must be a non-negative integer.');
        return Number(v);
      }, 1)
      .addOption(new Option('--edition <edition>', 'whose flows and tables: coe (CoE Core tables) or standalone (its own tables)').argParser(choice(['coe', 'standalone'] as const)).default('coe'))
      .addOption(
        new Option('--api <mode>', "the Sync flow's mode (Audit Logs - Use Graph API): management (Office 365 Management Activity API) or graph (Graph audit log queries)")
          .argParser(choice(['management', 'graph'] as const))
          .default('management'),
      )
      .addOption(listOption('--outage <dur@offset>', 'every Activity API request answers 503 for <dur> from <offset> after the start, e.g. 6h@24h', (v) => v))
      .addOption(listOption('--flow-off <dur@offset>', 'the Sync flow does not run for <dur> from <offset>, e.g. 48h@40h', (v) => v))
      .option('--late-content <dur>', 'blobs are listed <dur> after their contentCreated, e.g. 30m')
      .option('--row-by-row', 'set Audit Logs - Write Rows One by One to yes (the per-row fallback instead of bulk requests)')
      .option('--compare <path>', 'also run another Sync flow (solution folder, solution zip or flow JSON), or the generated one in the other mode (management or graph), on the same seed and profile and print both')
      .addOption(outputOption(['json', 'text'], 'text'))
      .action(async (opts: Options) => {
        const outages: SimulatedPeriod[] = (opts.outage ?? []).map((t) => parsePeriod('--outage', t));
        const flowOff: SimulatedPeriod[] = (opts.flowOff ?? []).map((t) => parsePeriod('--flow-off', t));
        let lateContentMs: number | undefined;
        if (opts.lateContent !== undefined) {
          lateContentMs = parseDurationText(opts.lateContent);
          if (lateContentMs === undefined) throw new UsageError(`--late-content '${opts.lateContent}': expected a positive duration such as 30m or 2h`);
        }
        const req = {
          profile: opts.profile,
          hours: opts.hours,
          seed: opts.seed,
          edition: opts.edition,
          api: opts.api,
          outages,
          flowOff,
          ...(opts.events !== undefined ? { events: opts.events } : {}),
          ...(lateContentMs !== undefined ? { lateContentMs } : {}),
          ...(opts.faults ? { faults: opts.faults } : {}),
          ...(opts.rowByRow ? { variables: { admin_AuditLogsWriteRowByRow: 'yes' } } : {}),
          progress: (line: string) => ctx.info(line),
          timer: () => performance.now(),
        };
        if (opts.compare !== undefined) {
          const otherApi = opts.compare === 'management' || opts.compare === 'graph' ? opts.compare : undefined;
          const c = otherApi ? await compareApiModes(req, otherApi) : await compareSyncFlows(req, opts.compare, ctx.cwd);
          const strip = ({ timing: _t, ...s }: SimulationSummary) => s;
          if (opts.output === 'json') ctx.stdout(stableJson({ generated: strip(c.generated), compared: { name: c.otherName, file: c.otherFile, ...strip(c.other) } }));
          else ctx.stdout(formatComparison(c));
          if (failed(c.generated)) ctx.exitCode = 1;
          return;
        }
        const s = await simulateFlows(req);
        const { timing, ...summary } = s;
        if (timing) ctx.info(`wall ${timing.wallMs} ms: emulator start ${timing.setupMs} ms, runs ${timing.runsMs} ms (HTTP wait ${timing.httpWaitMs} ms, interpreter ${timing.interpreterMs} ms)`);
        if (opts.output === 'json') ctx.stdout(stableJson(summary));
        else {
          ctx.stdout(textSummary(summary));
          // The verdict last, so a reader (or `tail -1`) sees it without reading the table.
          ctx.stdout(
            failed(s)
              ? `FAIL: ${summary.failedRuns - summary.failedRunsDuringOutages} failed run(s) outside outages, ${summary.missingLaunches} missing launch(es), ${summary.wrongLastLaunch} wrong last launch(es)\n`
              : 'PASS: every run outside outages succeeded and every launch was written once\n',
          );
        }
        if (failed(s)) ctx.exitCode = 1;
      });
  },
};
export default command;
