import { addApiOptions, addGraphOptions, apiFlags, type ApiCommandOptions } from './api-options.js';
import type { CommandModule } from './command-module.js';

const MARK = { pass: 'ok  ', fail: 'FAIL', skipped: 'skip' } as const;

const command: CommandModule = {
  noun: '',
  verb: 'doctor',
  example: 'coe-audit doctor --cloud gcc --output json',
  register(parent, ctx) {
    addGraphOptions(
      addApiOptions(
        parent
          .command('doctor')
          .description(
            'check, in order, configuration, token, permission, subscription and content (with --api graph: cloud availability, Graph token, AuditLogsQuery.Read.All, queries endpoint); stop at the first failure with what to fix',
          ),
      ),
    ).action(async (opts: ApiCommandOptions) => {
      const { openGraphSession, openSession, runDoctor, systemClock } = await import('../api/index.js');
      const clock = systemClock();
      const log = ctx.debugEnabled ? (l: string) => ctx.debug(l) : undefined;
      const r = await runDoctor({
        flags: apiFlags(opts),
        env: ctx.env,
        cwd: ctx.cwd,
        now: clock.now,
        api: opts.api,
        openSession: (s) => openSession(s, { clock, log }),
        openGraphSession: (s) => openGraphSession(s, { clock, log, version: opts.graphVersion }),
      });
      if (opts.output === 'json') ctx.stdout(JSON.stringify(r, null, 2) + '\n');
      else {
        for (const c of r.checks) {
          ctx.stdout(`${MARK[c.status]}  ${c.title}: ${c.detail}\n`);
          if (c.fix) ctx.stdout(`      fix: ${c.fix}\n`);
        }
      }
      ctx.exitCode = r.ok ? 0 : 1;
    });
  },
};
export default command;
