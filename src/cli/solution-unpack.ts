import { resolve } from 'node:path';
import { InvalidArgumentError, Option } from 'commander';
import { PACKAGE_TYPES, unpackToFolder, type PackageTypeChoice } from '../solution/files.js';
import type { CommandModule } from './command-module.js';
import { choice } from './options.js';

/** pac's switches take an optional explicit value (`--clobber`, `--clobber true`, `--allowWrite false`). */
function pacSwitch(value: string): boolean {
  const v = value.toLowerCase();
  if (v === 'true' || v === 'yes') return true;
  if (v === 'false' || v === 'no') return false;
  throw new InvalidArgumentError('Allowed values: true, false (or yes, no).');
}

const command: CommandModule = {
  noun: 'solution',
  verb: 'unpack',
  example: 'coe-audit solution unpack --zipfile dist/commercial/coe/CoEAuditLogs_commercial.zip --folder CoEAuditLogs-src',
  register(parent, ctx) {
    parent
      .command('unpack')
      .description('unpack a solution zip into the pac solution unpack layout, refusing unsafe zips')
      .requiredOption('-z, --zipfile <zip>', 'the solution zip to read (Both also reads <name>_managed.zip)')
      .requiredOption('-f, --folder <dst>', 'the folder to write the source into')
      .addOption(new Option('-p, --packagetype <type>', `package type: ${PACKAGE_TYPES.join(', ')}`).argParser(choice(PACKAGE_TYPES)).default('Unmanaged'))
      .addOption(new Option('--allowWrite [bool]', 'write the files (false: check and plan only)').argParser(pacSwitch).default(true))
      .addOption(new Option('--allowDelete [bool]', 'delete files in --folder that the zip does not hold').argParser(pacSwitch).default(false))
      .addOption(new Option('--clobber [bool]', 'overwrite or delete files marked read-only').argParser(pacSwitch).default(false))
      .action((opts: { zipfile: string; folder: string; packagetype: PackageTypeChoice; allowWrite: boolean; allowDelete: boolean; clobber: boolean }) => {
        const result = unpackToFolder({
          zipfile: resolve(ctx.cwd, opts.zipfile),
          folder: resolve(ctx.cwd, opts.folder),
          packageType: opts.packagetype,
          allowWrite: opts.allowWrite,
          allowDelete: opts.allowDelete,
          clobber: opts.clobber,
        });
        const counts = `${result.written} to write, ${result.unchanged} unchanged, ${result.deleted} to delete`;
        ctx.info(result.dryRun ? `--allowWrite false: nothing written (${result.files} files: ${counts})` : `unpacked ${result.files} files (${counts.replace(/to write/, 'written').replace(/to delete/, 'deleted')})`);
        ctx.stdout(`${result.folder}\n`);
      });
  },
};
export default command;
