import { Option } from 'commander';
import { PROFILE_NAMES, startEmulator, tenantProfile } from '../api/index.js';
import type { CommandModule } from './command-module.js';
import { cloudOption, positiveInt } from './options.js';

interface EmulatorStartOptions {
  port: number;
  https?: boolean;
  seed: number;
  tenantId?: string;
  eventsPerHour?: number;
  profile: string;
  days: number;
  faults?: string;
  cloud: string;
  pageSize?: number;
}

const nonNegativeInt = (name: string) => (v: string) => (v === '0' ? 0 : positiveInt(name)(v));

const command: CommandModule = {
  noun: 'emulator',
  nounDescription: 'the local Office 365 Management Activity API emulator',
  verb: 'start',
  register(parent, ctx) {
    parent
      .command('start')
      .description('run the Activity API emulator (with its token service) on 127.0.0.1 until SIGINT/SIGTERM')
      .addOption(new Option('--port <n>', 'port on 127.0.0.1 (0 = any free port)').argParser(nonNegativeInt('--port')).default(0))
      .option('--https', 'serve HTTPS with a generated CA (printed as caFile; trust it with NODE_EXTRA_CA_CERTS)')
      .addOption(new Option('--seed <n>', 'seed of the synthetic records and of the faults').argParser(nonNegativeInt('--seed')).default(1))
      .option('--tenant-id <guid>', 'tenant id it serves (default: derived from the seed)')
      .option('--profile <name>', `tenant profile: ${PROFILE_NAMES.join(', ')} (records a day, launch share, record size, records per blob, page size)`, 'default')
      .addOption(new Option('--events-per-hour <n>', 'synthetic audit records per hour (default: the profile\'s; 20 for default)').argParser(positiveInt('--events-per-hour')))
      .addOption(new Option('--days <n>', 'days of history before now').argParser(positiveInt('--days')).default(7))
      .option('--faults <spec>', 'faults per request: kind=rate,… with kinds throttle, server-error, af50005, af50006, drop, slow, duplicate-blob, expired, unauthorized, unavailable, timeout, repeat-page')
      .addOption(cloudOption({ allowAll: false, defaultValue: 'commercial' }))
      .addOption(new Option('--page-size <n>', 'content items per listing page (default: the profile\'s; 3 for default)').argParser(positiveInt('--page-size')))
      .action(async (opts: EmulatorStartOptions) => {
        const p = tenantProfile(opts.profile);
        const emu = await startEmulator({
          eventsPerBlob: p.eventsPerBlob,
          latencyMinutes: p.latencyMinutes,
          duplicateRate: p.duplicateRate,
          ...(p.name !== 'default' ? { recordMix: p.mix, apps: p.apps, users: p.users, noiseRecordBytes: p.noiseRecordBytes } : {}),
          port: opts.port,
          https: opts.https === true,
          seed: opts.seed,
          tenantId: opts.tenantId,
          eventsPerHour: opts.eventsPerHour ?? (p.eventsPerDay !== undefined ? p.eventsPerDay / 24 : 20),
          days: opts.days,
          faults: opts.faults,
          cloud: opts.cloud,
          pageSize: opts.pageSize ?? p.pageSize,
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
