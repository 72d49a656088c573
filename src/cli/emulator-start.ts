import { resolve } from 'node:path';
import { Option } from 'commander';
import type { CommandModule } from './command-module.js';
import { choice, cloudOption, nonNegativeInt, positiveInt } from './options.js';

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
  hostnames?: string[];
  publicUrl?: string;
  strictCloud: boolean;
  quota?: number;
  anonymousQuota?: number;
  throttleStatus?: '403' | '429';
  retryAfter?: number;
  roles?: string[];
  subscriptions?: string[];
  initialDelay?: number;
  windowRule?: 'strict' | 'lenient';
  envFile?: string;
}

const list = (v: string): string[] => v.split(',').map((x) => x.trim()).filter(Boolean);

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
      .option('--faults <spec>', 'faults per request: kind=rate,… with kinds throttle, server-error, af50005, af50006, drop, slow, duplicate-blob, expired, unauthorized, unavailable, timeout, repeat-page, graph-throttle, query-failed, query-slow')
      .addOption(cloudOption({ defaultValue: 'commercial' }))
      .addOption(new Option('--page-size <n>', 'content items per listing page').argParser(positiveInt('--page-size')).default(3))
      .addOption(new Option('--hostnames <h1,h2,...>', 'with --https: host names the certificate also covers (e.g. the Microsoft hosts a client has fixed)').argParser(list))
      .option('--public-url <url>', 'public origin clients reach it at (links and authority metadata use it); else X-Forwarded-Proto/Host, else Host')
      .option('--no-strict-cloud', "serve every cloud's hosts and audiences (default: refuse another cloud's, as the real service does)")
      .addOption(new Option('--quota <n>', 'requests per minute per PublisherIdentifier').argParser(positiveInt('--quota')))
      .addOption(new Option('--anonymous-quota <n>', 'requests per minute shared by all requests without PublisherIdentifier').argParser(positiveInt('--anonymous-quota')))
      .addOption(new Option('--throttle-status <code>', 'HTTP status of AF429 throttling answers').argParser(choice(['403', '429'] as const)))
      .addOption(new Option('--retry-after <seconds>', 'add Retry-After to AF429 answers').argParser(positiveInt('--retry-after')))
      .addOption(new Option('--roles <r1,r2,...>', 'application roles in its tokens (e.g. ActivityFeed.Read,ActivityFeed.ReadDlp); empty = none').argParser((v) => list(v)))
      .addOption(new Option('--subscriptions <ct1,ct2,...>', 'content types already subscribed at start (empty = none)').argParser((v) => list(v)))
      .addOption(new Option('--initial-delay <minutes>', 'minutes after a start before its first content is listable').argParser(nonNegativeInt('--initial-delay')))
      .addOption(new Option('--window-rule <rule>', 'windows over 24 h: strict (AF20030) or lenient (first 24 h)').argParser(choice(['strict', 'lenient'] as const)))
      .option('--env-file <path>', 'write export lines (cloud, tenant, client id, URLs, CA, secret file reference) to this file')
      .action(async (opts: EmulatorStartOptions) => {
        const { emulatorEnvLines, startEmulator } = await import('../api/index.js');
        const { writeFileAtomic } = await import('../io/index.js');
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
          strictCloud: opts.strictCloud,
          secretFile: opts.envFile !== undefined,
          ...(opts.hostnames ? { hostnames: opts.hostnames } : {}),
          ...(opts.publicUrl ? { publicUrl: opts.publicUrl } : {}),
          ...(opts.quota ? { quotaPerMinute: opts.quota } : {}),
          ...(opts.anonymousQuota ? { anonymousQuotaPerMinute: opts.anonymousQuota } : {}),
          ...(opts.throttleStatus ? { throttleStatus: Number(opts.throttleStatus) as 403 | 429 } : {}),
          ...(opts.retryAfter ? { retryAfterSeconds: opts.retryAfter } : {}),
          ...(opts.roles ? { roles: opts.roles } : {}),
          ...(opts.subscriptions ? { subscriptions: opts.subscriptions } : {}),
          ...(opts.initialDelay !== undefined ? { initialDelayMinutes: opts.initialDelay } : {}),
          ...(opts.windowRule ? { windowRule: opts.windowRule } : {}),
        });
        const { managementUrl, authorityUrl, tenantId, clientId, clientSecret, caFile } = emu;
        const publicUrl = opts.publicUrl ? new URL(opts.publicUrl).origin : undefined;
        if (opts.envFile) writeFileAtomic(resolve(ctx.cwd, opts.envFile), emulatorEnvLines(emu, publicUrl));
        ctx.stdout(
          JSON.stringify({ cloud: emu.cloud.id, managementUrl, authorityUrl, ...(publicUrl ? { publicUrl } : {}), tenantId, clientId, clientSecret, caFile: caFile ?? null, ...(opts.envFile ? { envFile: resolve(ctx.cwd, opts.envFile) } : {}) }) + '\n',
        );
        ctx.info(`emulator serving ${emu.cloud.displayName}${opts.strictCloud ? ' (strict cloud)' : ' (every cloud)'} on ${managementUrl} (${emu.seeded.events.length} records in ${emu.seeded.blobs.length} blobs); report at ${managementUrl}/_emulator/report; stop with Ctrl+C`);
        await new Promise<void>((resolveStop) => {
          if (ctx.onInterrupt) ctx.onInterrupt(resolveStop);
        });
        await emu.close();
        ctx.stderr(`emulator report: ${JSON.stringify(emu.report())}\n`);
      });
  },
};
export default command;
