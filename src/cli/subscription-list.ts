import { listSubscriptions } from '../api/index.js';
import { addApiOptions, sessionFor, type ApiCommandOptions } from './api-options.js';
import type { CommandModule } from './command-module.js';

const command: CommandModule = {
  noun: 'subscription',
  nounDescription: 'Office 365 Management Activity API subscriptions',
  verb: 'list',
  register(parent, ctx) {
    addApiOptions(parent.command('list').description('list every content type with its subscription status')).action(async (opts: ApiCommandOptions) => {
      const session = sessionFor(ctx, opts);
      try {
        const list = await listSubscriptions(session);
        if (opts.output === 'json') return ctx.stdout(JSON.stringify(list, null, 2) + '\n');
        const width = Math.max(...list.map((s) => s.contentType.length));
        for (const s of list) ctx.stdout(`${s.contentType.padEnd(width)}  ${s.status}${s.webhook ? '  (webhook)' : ''}\n`);
      } finally {
        session.http.close();
      }
    });
  },
};
export default command;
