import { resolve } from 'node:path';
import type { Format } from '../diagnostics/formatters/index.js';
import type { Severity } from '../diagnostics/diagnostic.js';
import { UsageError } from '../errors.js';
import type { CommandModule } from './command-module.js';
import { failSeverityOption, findingsOutputOption } from './options.js';
import { reportFindings } from './report-findings.js';

const command: CommandModule = {
  noun: 'solution',
  verb: 'validate',
  example: 'coe-audit solution validate --zipfile dist/commercial/coe/CoEAuditLogs_commercial.zip --output json',
  register(parent, ctx) {
    parent
      .command('validate')
      .description('check a solution source folder or zip: root components, file references, connectors, connection references, flows, environment variables')
      .argument('[input]', 'a source folder (pac solution unpack layout) or a solution zip')
      .option('-z, --zipfile <zip>', 'the solution zip to check (pac\'s name; instead of <input>)')
      .option('-f, --folder <src>', 'the source folder to check (pac\'s name; instead of <input>)')
      .addOption(findingsOutputOption())
      .addOption(failSeverityOption())
      .action(async (input: string | undefined, opts: { zipfile?: string; folder?: string; output: Format; failSeverity: Severity }) => {
        const given = [input, opts.zipfile, opts.folder].filter((x): x is string => x !== undefined);
        if (given.length !== 1) throw new UsageError('give the solution to check once: a folder or zip as <input>, or --zipfile <zip>, or --folder <src>');
        const { readSolutionInput, validateSolution } = await import('../solution/index.js');
        await reportFindings(ctx, validateSolution(readSolutionInput(resolve(ctx.cwd, given[0]!))), { format: opts.output, failSeverity: opts.failSeverity });
      });
  },
};

export default command;
