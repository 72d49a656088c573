import { resolve } from 'node:path';
import type { Format, Severity } from '../diagnostics/index.js';
import { readSolutionInput, validateSolution } from '../solution/index.js';
import type { CommandModule } from './command-module.js';
import { failSeverityOption, formatOption } from './options.js';
import { reportFindings } from './report-findings.js';

const command: CommandModule = {
  noun: 'solution',
  nounDescription: 'pack, unpack and validate Dataverse solutions (the pac solution layout)',
  verb: 'validate',
  register(parent, ctx) {
    parent
      .command('validate')
      .description('check a solution source folder or zip: root components, file references, connectors, connection references, flows, environment variables')
      .argument('<input>', 'a source folder (pac solution unpack layout) or a solution zip')
      .addOption(formatOption())
      .addOption(failSeverityOption())
      .action(async (input: string, opts: { format: Format; failSeverity: Severity }) => {
        await reportFindings(ctx, validateSolution(readSolutionInput(resolve(ctx.cwd, input))), opts);
      });
  },
};

export default command;
