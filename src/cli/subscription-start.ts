import { startSubscription } from '../api/index.js';
import { addApiOptions, contentTypeOption, sessionFor, type ApiCommandOptions } from './api-options.js';
import type { CommandModule } from './command-module.js';

const command: CommandModule = {
  noun: 'subscription',
  nounDescription: 'Office 365 Management Activity API subscriptions',
  verb: 'start',
  register(parent, ctx) {
    addApiOptions(
      parent
        .command('start')
        .description('start the subscription for a content type; an already enabled one (AF20024) is success')
        .addOption(contentTypeOption()),
    ).action(async (opts: ApiCommandOptions) => {
      const session = sessionFor(ctx, opts);
      try {
        const r = await startSubscription(session, opts.contentType!);
        if (opts.output === 'json') ctx.stdout(JSON.stringify(r, null, 2) + '\n');
        else ctx.stdout((r.alreadyEnabled ? `${r.contentType}: already enabled (AF20024), nothing to do` : `${r.contentType}: enabled`) + '\n');
      } finally {
        session.http.close();
      }
    });
  },
};
export default command;
