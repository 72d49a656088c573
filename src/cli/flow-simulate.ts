import { performance } from 'node:perf_hooks';
import { simulateFlows } from '../flowrun/index.js';
import { InvalidArgumentError, Option } from 'commander';
import type { Edition } from '../audit-solution/index.js';
import { stableJson } from '../io/index.js';
import type { CommandModule } from './command-module.js';
import { choice, outputOption, positiveInt } from './options.js';

interface Options {
  events: number;
  hours: number;
  faults?: string;
  seed: number;
  edition: Edition;
  api: 'management' | 'graph';
  output: 'json' | 'text';
}

const command: CommandModule = {
  noun: 'flow',
  verb: 'simulate',
  example: 'coe-audit flow simulate --events 200 --hours 6 --faults throttle=0.05',
  register(parent, ctx) {
    parent
      .command('simulate')
      .description('seed the emulator, run Subscription start then Sync hour by hour on a virtual clock, and check every launch was written once')
      .requiredOption('--events <n>', 'audit records the emulator seeds over the period', positiveInt('--events'))
      .option('--hours <h>', 'length of the period in hours (1-168); Sync runs once per hour', positiveInt('--hours'), 24)
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
      .addOption(outputOption(['json', 'text'], 'text'))
      .action(async (opts: Options) => {
        const s = await simulateFlows({
          events: opts.events,
          hours: opts.hours,
          seed: opts.seed,
          edition: opts.edition,
          api: opts.api,
          ...(opts.faults ? { faults: opts.faults } : {}),
          progress: (line) => ctx.info(line),
          timer: () => performance.now(),
        });
        const { timing, ...summary } = s;
        if (timing) ctx.info(`wall ${timing.wallMs} ms: emulator start ${timing.setupMs} ms, runs ${timing.runsMs} ms (HTTP wait ${timing.httpWaitMs} ms, interpreter ${timing.interpreterMs} ms)`);
        const failed = summary.failedRuns > 0 || summary.missingLaunches > 0 || summary.wrongLastLaunch > 0;
        if (opts.output === 'json') ctx.stdout(stableJson(summary));
        else {
          for (const [k, v] of Object.entries(summary)) ctx.stdout(`${k.padEnd(18)} ${String(v)}\n`);
          // The verdict last, so a reader (or `tail -1`) sees it without reading the table.
          ctx.stdout(
            failed
              ? `FAIL: ${summary.failedRuns} failed run(s), ${summary.missingLaunches} missing launch(es), ${summary.wrongLastLaunch} wrong last launch(es)\n`
              : 'PASS: every run succeeded and every launch was written once\n',
          );
        }
        if (failed) ctx.exitCode = 1;
      });
  },
};
export default command;
