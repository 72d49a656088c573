import { isAbsolute, join, relative, resolve } from 'node:path';
import { Option } from 'commander';
import type { CommandModule } from './command-module.js';
import { cloudsOption } from './options.js';

const command: CommandModule = {
  noun: 'connector',
  verb: 'build',
  example: 'coe-audit connector build --cloud gcc --output-directory dist/connector',
  register(parent, ctx) {
    parent
      .command('build')
      .description('build the connector for one cloud or all, as paconn / pac connector create folders')
      .addOption(cloudsOption())
      .addOption(new Option('--output-directory <dir>', 'folder that receives one sub-folder per cloud').default('dist/connector'))
      .addOption(new Option('--config <file>', 'coe-audit.config.yaml to read (default: the one in the working directory, if any)'))
      .addOption(new Option('--source-directory <dir>', "connector source to build (default: the package's connector/ folder)"))
      .action(async (opts: { cloud?: string[]; outputDirectory: string; config?: string; sourceDirectory?: string }) => {
        // Imported on use: other commands do not pay for the connector core.
        const { buildConnectors } = await import('../connector/build-all.js');
        const { writeTreeAtomic } = await import('../io/index.js');
        const variants = buildConnectors({
          cwd: ctx.cwd,
          cloud: opts.cloud,
          configPath: opts.config,
          sourceRoot: opts.sourceDirectory === undefined ? undefined : resolve(ctx.cwd, opts.sourceDirectory),
        });
        const outDir = isAbsolute(opts.outputDirectory) ? opts.outputDirectory : resolve(ctx.cwd, opts.outputDirectory);
        for (const v of variants) {
          const target = join(outDir, v.cloud.id);
          writeTreeAtomic(target, v.files);
          ctx.info(`built ${v.cloud.id}: ${v.title}`);
          const shown = relative(ctx.cwd, target);
          ctx.stdout(`${shown.startsWith('..') || isAbsolute(shown) ? target : shown}\n`);
        }
      });
  },
};
export default command;
