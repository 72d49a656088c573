import { addApiOptions, contentTypeOption, sessionFor, type ApiCommandOptions } from './api-options.js';
import type { CommandModule } from './command-module.js';

const command: CommandModule = {
  noun: 'subscription',
  verb: 'stop',
  example: 'coe-audit subscription stop --content-type Audit.General',
  register(parent, ctx) {
    addApiOptions(
      parent
        .command('stop')
        .description('stop the subscription for each content type given (content of the stopped period is lost)')
        .addOption(contentTypeOption()),
    ).action(async (opts: ApiCommandOptions) => {
      const { stopSubscription } = await import('../api/activity.js');
      const session = await sessionFor(ctx, opts);
      try {
        const results = [];
        for (const type of opts.contentType!) {
          const r = await stopSubscription(session, type);
          results.push(r);
          if (opts.output !== 'json') ctx.stdout(`${r.contentType}: disabled\n`);
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
