import { Option, type Command } from 'commander';
import { CONTENT_TYPES, openSession, requireApiSettings, systemClock, type ApiFlags, type ApiSession, type ContentType } from '../api/index.js';
import type { CliContext } from './context.js';
import { choice, cloudOption, outputOption } from './options.js';

/** Options every Activity API client command takes (docs: docs/commands/subscription-start.md and siblings). */
export function addApiOptions(cmd: Command): Command {
  return cmd
    .addOption(cloudOption({ allowAll: false }))
    .option('--tenant-id <guid>', 'Entra tenant (directory) id; default COE_AUDIT_TENANT_ID or the config file')
    .option('--client-id <guid>', 'application (client) id; default COE_AUDIT_CLIENT_ID or the config file')
    .option('--client-secret-file <file>', 'file holding the client secret (default: environment variable COE_AUDIT_CLIENT_SECRET)')
    .option('--certificate-file <file>', 'PEM file with the certificate and its private key, instead of a secret')
    .option('--authority-url <url>', "Entra authority host (https), overriding the cloud's; default COE_AUDIT_AUTHORITY_URL")
    .option('--management-url <url>', "Management API root, overriding the cloud's (private endpoint, emulator); default COE_AUDIT_MANAGEMENT_URL")
    .option('--config <file>', 'coe-audit.config.yaml to read (default: found in the working directory)')
    .addOption(outputOption('text'));
}

export function contentTypeOption(): Option {
  return new Option('--content-type <type>', `content type: ${CONTENT_TYPES.join(', ')}`).argParser(choice(CONTENT_TYPES)).default('Audit.General');
}

export type ApiCommandOptions = ApiFlags & { output: 'json' | 'text'; contentType?: ContentType };

export function apiFlags(o: ApiCommandOptions): ApiFlags {
  const { cloud, tenantId, clientId, clientSecretFile, certificateFile, authorityUrl, managementUrl, config } = o;
  return { cloud, tenantId, clientId, clientSecretFile, certificateFile, authorityUrl, managementUrl, config };
}

/** Resolves settings (UsageError on problems) and opens a session whose traces go to --debug. */
export function sessionFor(ctx: CliContext, o: ApiCommandOptions, budgetPerMinute?: number): ApiSession {
  const settings = requireApiSettings(apiFlags(o), ctx.env, ctx.cwd);
  return openSession(settings, { clock: systemClock(), log: ctx.debugEnabled ? (l) => ctx.debug(l) : undefined, budgetPerMinute });
}
