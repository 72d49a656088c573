import { CLOUDS } from '../clouds/index.js';
import type { CommandModule } from './command-module.js';
import { outputOption } from './options.js';

const command: CommandModule = {
  noun: 'cloud',
  nounDescription: 'the Microsoft clouds coe-audit builds for',
  verb: 'list',
  register(parent, ctx) {
    parent
      .command('list')
      .description('print the cloud table: names, Management API hosts, audiences, authorities, Graph hosts and whether Graph offers the audit log query API')
      .addOption(outputOption('text'))
      .action((opts: { output: 'json' | 'text' }) => {
        if (opts.output === 'json') {
          ctx.stdout(JSON.stringify(CLOUDS, null, 2) + '\n');
          return;
        }
        const rows = [['cloud', 'pac name', 'management API', 'authority', 'graph', 'graph audit queries']];
        for (const c of CLOUDS) rows.push([c.id, c.pacName, c.managementAudience, c.authorityUrl, c.graphUrl, c.graphAuditQueriesAvailable ? 'yes' : 'no']);
        const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
        for (const r of rows) ctx.stdout(r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd() + '\n');
      });
  },
};
export default command;
