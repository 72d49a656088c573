import { resolve } from 'node:path';
import { unpackToFolder } from '../solution/files.js';
import type { CommandModule } from './command-module.js';

const command: CommandModule = {
  noun: 'solution',
  verb: 'unpack',
  example: 'coe-audit solution unpack --zipfile dist/commercial/CoEAuditLogs_commercial.zip --folder CoEAuditLogs-src',
  register(parent, ctx) {
    parent
      .command('unpack')
      .description('unpack a solution zip into the pac solution unpack layout, refusing unsafe zips')
      .requiredOption('-z, --zipfile <zip>', 'the solution zip to read')
      .requiredOption('-f, --folder <dst>', 'a new or empty folder to write the source into')
      .action((opts: { zipfile: string; folder: string }) => {
        const result = unpackToFolder({ zipfile: resolve(ctx.cwd, opts.zipfile), folder: resolve(ctx.cwd, opts.folder) });
        ctx.info(`unpacked ${result.files} files`);
        ctx.stdout(`${result.folder}\n`);
      });
  },
};
export default command;
