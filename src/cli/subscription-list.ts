import { addApiOptions, sessionFor, type ApiCommandOptions } from './api-options.js';
import type { CommandModule } from './command-module.js';
import { csvTable } from './table.js';

const command: CommandModule = {
  noun: 'subscription',
  verb: 'list',
  example: 'coe-audit subscription list --output json',
  register(parent, ctx) {
    addApiOptions(parent.command('list').description('list every content type with its subscription status'), ['json', 'text', 'csv']).action(async (opts: ApiCommandOptions) => {
      const { listSubscriptions } = await import('../api/activity.js');
      const session = await sessionFor(ctx, opts);
      try {
        const list = await listSubscriptions(session);
        if (opts.output === 'json') return ctx.stdout(JSON.stringify(list, null, 2) + '\n');
        if (opts.output === 'csv') return ctx.stdout(csvTable([['contentType', 'status', 'webhook'], ...list.map((s) => [s.contentType, s.status, s.webhook ? JSON.stringify(s.webhook) : ''])]));
        const width = Math.max(...list.map((s) => s.contentType.length));
        for (const s of list) ctx.stdout(`${s.contentType.padEnd(width)}  ${s.status}${s.webhook ? '  (webhook)' : ''}\n`);
      } finally {
        session.http.close();
      }
    });
  },
};
export default command;
