import { Option } from 'commander';
import type { CommandModule } from './command-module.js';
import { cloudOption, nonNegativeInt, positiveInt } from './options.js';

interface EmulatorStartOptions {
  port: number;
  https?: boolean;
  seed: number;
  tenantId?: string;
  eventsPerHour: number;
  days: number;
  faults?: string;
  cloud: string;
  pageSize: number;
}

const command: CommandModule = {
  noun: 'emulator',
  verb: 'start',
  example: 'coe-audit emulator start --port 0 --events-per-hour 20 --days 1',
  register(parent, ctx) {
    parent
      .command('start')
      .description('run the Activity API emulator (with its token service) on 127.0.0.1 until SIGINT/SIGTERM')
      .addOption(new Option('--port <n>', 'port on 127.0.0.1 (0 = any free port)').argParser(nonNegativeInt('--port')).default(0))
      .option('--https', 'serve HTTPS with a generated CA (printed as caFile; trust it with NODE_EXTRA_CA_CERTS)')
      .addOption(new Option('--seed <n>', 'seed of the synthetic records and of the faults').argParser(nonNegativeInt('--seed')).default(1))
      .option('--tenant-id <guid>', 'tenant id it serves (default: derived from the seed)')
      .addOption(new Option('--events-per-hour <n>', 'synthetic audit records per hour').argParser(positiveInt('--events-per-hour')).default(20))
      .addOption(new Option('--days <n>', 'days of history before now').argParser(positiveInt('--days')).default(7))
      .option('--faults <spec>', 'faults per request: kind=rate,… with kinds throttle, server-error, af50005, af50006, drop, slow, duplicate-blob, expired, unauthorized, unavailable, timeout, repeat-page')
      .addOption(cloudOption({ defaultValue: 'commercial' }))
      .addOption(new Option('--page-size <n>', 'content items per listing page').argParser(positiveInt('--page-size')).default(3))
      .action(async (opts: EmulatorStartOptions) => {
        const { startEmulator } = await import('../api/index.js');
        const emu = await startEmulator({
          port: opts.port,
          https: opts.https === true,
          seed: opts.seed,
          tenantId: opts.tenantId,
          eventsPerHour: opts.eventsPerHour,
          days: opts.days,
          faults: opts.faults,
          cloud: opts.cloud,
          pageSize: opts.pageSize,
        });
        const { managementUrl, authorityUrl, tenantId, clientId, clientSecret, caFile } = emu;
        ctx.stdout(JSON.stringify({ managementUrl, authorityUrl, tenantId, clientId, clientSecret, caFile: caFile ?? null }) + '\n');
        ctx.info(`emulator serving ${emu.cloud.displayName} on ${managementUrl} (${emu.seeded.events.length} records in ${emu.seeded.blobs.length} blobs); report at ${managementUrl}/_emulator/report; stop with Ctrl+C`);
        await new Promise<void>((resolve) => {
          if (ctx.onInterrupt) ctx.onInterrupt(resolve);
        });
        await emu.close();
        ctx.stderr(`emulator report: ${JSON.stringify(emu.report())}\n`);
      });
  },
};
export default command;
