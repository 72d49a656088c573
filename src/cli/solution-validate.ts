import { resolve } from 'node:path';
import { exitCodeFor, formatDiagnostics, type Format, type Severity } from '../diagnostics/index.js';
import { readSolutionInput, validateSolution } from '../solution/index.js';
import type { CommandModule } from './command-module.js';
import { failSeverityOption, formatOption } from './options.js';

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
        // The catalogue pulls in every validator (ajv, swagger-parser): load it only when a command needs it.
        const { ALL_RULES } = await import('./rule-catalog.js');
        const diagnostics = validateSolution(readSolutionInput(resolve(ctx.cwd, input)));
        ctx.stdout(formatDiagnostics(diagnostics, opts.format, { toolVersion: ctx.version, rules: ALL_RULES, docsBaseUrl: DOCS_BASE_URL }));
        ctx.exitCode = exitCodeFor(diagnostics, opts.failSeverity);
      });
  },
};

/** Where SARIF helpUri links point: the docs/ folder of the repository. */
const DOCS_BASE_URL = 'https://github.com/coe-audit/coe-audit/blob/main';

export default command;
