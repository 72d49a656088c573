import type { CommandModule } from './command-module.js';
import { failSeverityOption, findingsOutputOption } from './options.js';
import { reportFindings } from './report-findings.js';
import type { Format } from '../diagnostics/formatters/index.js';
import type { Severity } from '../diagnostics/diagnostic.js';

const command: CommandModule = {
  noun: 'connector',
  verb: 'validate',
  example: 'coe-audit connector validate dist/commercial/coe/connector --output json',
  register(parent, ctx) {
    parent
      .command('validate')
      .description('check connector folders: swagger-parser, JSON Schemas, certification, Activity API and cloud rules')
      .argument('<folder...>', 'connector folders (apiDefinition.swagger.json, apiProperties.json, README.md, ...)')
      .addOption(findingsOutputOption())
      .addOption(failSeverityOption())
      .action(async (folders: string[], opts: { output: Format; failSeverity: Severity }) => {
        const { validateConnectorFolders } = await import('../connector/validate-folders.js');
        await reportFindings(ctx, await validateConnectorFolders(folders, ctx.cwd), { format: opts.output, failSeverity: opts.failSeverity });
      });
  },
};

export default command;
