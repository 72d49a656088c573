import { CLOUDS } from '../clouds/cloud-table.js';
import type { CommandModule } from './command-module.js';
import { outputOption, type OutputMode } from './options.js';
import { csvTable, textTable } from './table.js';

const command: CommandModule = {
  noun: 'cloud',
  verb: 'list',
  example: 'coe-audit cloud list --output csv',
  register(parent, ctx) {
    parent
      .command('list')
      .description('print the cloud table: names, Management API hosts, audiences, authorities, Graph hosts and whether Graph offers the audit log query API')
      .addOption(outputOption(['json', 'text', 'csv'], 'text'))
      .action((opts: { output: OutputMode }) => {
        if (opts.output === 'json') {
          ctx.stdout(JSON.stringify(CLOUDS, null, 2) + '\n');
          return;
        }
        const rows = [['cloud', 'pac name', 'management API', 'authority', 'graph', 'graph audit queries']];
        for (const c of CLOUDS) rows.push([c.id, c.pacName, c.managementAudience, c.authorityUrl, c.graphUrl, c.graphAuditQueriesAvailable ? 'yes' : 'no']);
        ctx.stdout(opts.output === 'csv' ? csvTable(rows) : textTable(rows));
      });
  },
};
export default command;
