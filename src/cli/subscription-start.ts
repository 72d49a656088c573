import { addApiOptions, contentTypeOption, sessionFor, type ApiCommandOptions } from './api-options.js';
import type { CommandModule } from './command-module.js';

const command: CommandModule = {
  noun: 'subscription',
  verb: 'start',
  example: 'coe-audit subscription start --content-type General,SharePoint',
  register(parent, ctx) {
    addApiOptions(
      parent
        .command('start')
        .description('start the subscription for each content type given; an already enabled one (AF20024) is success')
        .addOption(contentTypeOption()),
    ).action(async (opts: ApiCommandOptions) => {
      const { startSubscription } = await import('../api/activity.js');
      const session = await sessionFor(ctx, opts);
      try {
        const results = [];
        for (const type of opts.contentType!) {
          const r = await startSubscription(session, type);
          results.push(r);
          if (opts.output !== 'json') ctx.stdout((r.alreadyEnabled ? `${r.contentType}: already enabled (AF20024), nothing to do` : `${r.contentType}: enabled`) + '\n');
        }
        // One content type prints its object, several an array of them.
        if (opts.output === 'json') ctx.stdout(JSON.stringify(results.length === 1 ? results[0] : results, null, 2) + '\n');
      } finally {
        session.http.close();
      }
    });
  },
};
export default command;
