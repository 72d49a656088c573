import { resolve } from 'node:path';
import { Option } from 'commander';
import { nodeSpawner } from '../solution/pac.js';
import { PACKAGE_TYPES, PACKERS, packFolder, type PackageTypeChoice, type PackerChoice } from '../solution/files.js';
import type { CommandModule } from './command-module.js';
import { choice } from './options.js';
import { isoTimestamp } from './timestamp-option.js';

const command: CommandModule = {
  noun: 'solution',
  verb: 'pack',
  example: 'coe-audit solution pack --folder dist/commercial/coe/solution --zipfile CoEAuditLogs.zip --packagetype Unmanaged',
  register(parent, ctx) {
    parent
      .command('pack')
      .description('pack a solution source folder (pac solution unpack layout) into an importable zip, as pac solution pack does')
      .requiredOption('-z, --zipfile <zip>', 'the zip to write (Both also writes <name>_managed.zip)')
      .requiredOption('-f, --folder <src>', 'the source folder, holding Other/Solution.xml')
      .addOption(new Option('-p, --packagetype <type>', `package type: ${PACKAGE_TYPES.join(', ')}`).argParser(choice(PACKAGE_TYPES)).default('Unmanaged'))
      .addOption(new Option('--timestamp <iso>', 'timestamp of every zip entry, for reproducible zips (default: now)').argParser(isoTimestamp))
      .addOption(new Option('--packer <packer>', `who packs: ${PACKERS.join(', ')} (auto: pac when found)`).argParser(choice(PACKERS)).default('native'))
      .action(async (opts: { zipfile: string; folder: string; packagetype: PackageTypeChoice; timestamp?: Date; packer: PackerChoice }) => {
        const result = await packFolder({
          folder: resolve(ctx.cwd, opts.folder),
          zipfile: resolve(ctx.cwd, opts.zipfile),
          packageType: opts.packagetype,
          packer: opts.packer,
          timestamp: opts.timestamp ?? new Date(),
          pac: { locator: { env: ctx.env }, spawn: nodeSpawner, cwd: ctx.cwd, onOutput: (t) => ctx.stderr(t) },
        });
        ctx.info(result.packer === 'pac' ? `packed with pac (${result.pacPath})` : 'packed with the native packer');
        if (result.packer === 'pac' && opts.timestamp) ctx.info('note: --timestamp applies to the native packer only; pac stamps the time of packing');
        for (const file of result.written) ctx.stdout(`${file}\n`);
      });
  },
};
export default command;
