import { stopSubscription } from '../api/index.js';
import { addApiOptions, contentTypeOption, sessionFor, type ApiCommandOptions } from './api-options.js';
import type { CommandModule } from './command-module.js';

const command: CommandModule = {
  noun: 'subscription',
  nounDescription: 'Office 365 Management Activity API subscriptions',
  verb: 'stop',
  register(parent, ctx) {
    addApiOptions(
      parent
        .command('stop')
        .description('stop the subscription for a content type (content of the stopped period is lost)')
        .addOption(contentTypeOption()),
    ).action(async (opts: ApiCommandOptions) => {
      const session = sessionFor(ctx, opts);
      try {
        const r = await stopSubscription(session, opts.contentType!);
        if (opts.output === 'json') ctx.stdout(JSON.stringify(r, null, 2) + '\n');
        else ctx.stdout(`${r.contentType}: disabled` + '\n');
      } finally {
        session.http.close();
      }
    });
  },
};
export default command;
