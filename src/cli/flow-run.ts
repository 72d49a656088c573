import { formatChainText, formatRunText, runFlowRequest } from '../flowrun/run.js';
import { stableJson } from '../io/stable-json.js';
import { Option } from 'commander';
import type { Edition } from '../audit-solution/index.js';
import type { CommandModule } from './command-module.js';
import { choice, outputOption } from './options.js';

interface Options {
  solution?: string;
  store?: string;
  input?: string;
  inputFile?: string;
  csv?: string;
  now?: string;
  emulator?: string;
  startEmulator?: boolean;
  edition: Edition;
  chain?: boolean;
  output: 'json' | 'text';
}

const command: CommandModule = {
  noun: 'flow',
  verb: 'run',
  example: `coe-audit flow run 'Subscription' --solution dist/commercial/coe/solution --start-emulator --input '{"text":"start"}'`,
  register(parent, ctx) {
    parent
      .command('run')
      .description('run one flow (a flow JSON file, or a display name in --solution) and print its run history')
      .argument('[flow]', 'flow JSON file, or the display name (or a unique part of it) of a flow in --solution; default with --csv: the CSV flow')
      .option('--solution <folder|zip>', 'solution holding the flow: an unpacked folder or a solution zip')
      .option('--store <file>', 'seed of the local Dataverse store (YAML or JSON: apps, environmentVariables, tables)')
      .option('--input <json>', 'trigger body for Request triggers (Button, PowerAppV2, Skills, …) or the row event of a Dataverse row trigger, as JSON text, or @<file> to read it from a file')
      .option('--input-file <file>', 'file holding the trigger body as JSON')
      .option('--csv <file>', 'a Purview CSV export, given to the CSV flow as its trigger file (the flow defaults to the CSV flow)')
      .option('--emulator <managementUrl>', 'send the flow\'s HTTP calls to a running emulator (coe-audit emulator start)')
      .option('--start-emulator', 'start the emulator in-process on the run\'s virtual clock, with its tenant, client and apps in the store')
      .option('--chain', 'with --solution: also run the solution\'s Dataverse row-triggered flows its writes fire (and theirs)')
      .option('--now <iso>', 'start of the run on the virtual clock (default: the current time)')
      .addOption(new Option('--edition <edition>', 'whose tables the local store holds: coe (CoE Core tables) or standalone (its own tables)').argParser(choice(['coe', 'standalone'] as const)).default('coe'))
      .addOption(outputOption())
      .action(async (flow: string | undefined, opts: Options) => {
        const report = await runFlowRequest({
          ...(flow !== undefined ? { flow } : {}),
          cwd: ctx.cwd,
          now: opts.now ?? new Date().toISOString(),
          ...(opts.solution ? { solution: opts.solution } : {}),
          ...(opts.store ? { store: opts.store } : {}),
          ...(opts.input !== undefined ? { input: opts.input } : {}),
          ...(opts.inputFile !== undefined ? { inputFile: opts.inputFile } : {}),
          ...(opts.csv !== undefined ? { csvFile: opts.csv } : {}),
          ...(opts.emulator ? { emulatorUrl: opts.emulator } : {}),
          ...(opts.startEmulator ? { startEmulator: true } : {}),
          edition: opts.edition,
          ...(opts.chain ? { chain: true } : {}),
          keyVault: () => ctx.env.COE_AUDIT_CLIENT_SECRET,
        });
        if (report.chain) {
          const { runs, truncated } = report.chain;
          ctx.stdout(opts.output === 'json' ? stableJson({ runs, truncated }) : formatChainText(report.chain));
          if (runs.some((r) => r.result.status === 'Failed') || truncated) ctx.exitCode = 1;
          return;
        }
        ctx.stdout(opts.output === 'json' ? stableJson(report.result) : formatRunText(report.result));
        if (report.result.status === 'Failed') ctx.exitCode = 1;
      });
  },
};
export default command;
