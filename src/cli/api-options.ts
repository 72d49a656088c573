import { InvalidArgumentError, type Command } from 'commander';
import { CONTENT_TYPES, type ContentType } from '../api/content-types.js';
import type { ApiFlags, ApiSession, GraphSession } from '../api/index.js';
import { GRAPH_VERSIONS, type GraphVersion } from '../api/graph-schema.js';
import { UsageError } from '../errors.js';
import type { CliContext } from './context.js';
import type { CoeOption} from './options.js';
import { choice, cloudOption, CoeOption as Opt, listOption, outputOption, type OutputMode } from './options.js';

/** Options every Activity API client command takes (docs: docs/commands/subscription-start.md and siblings). */
export function addApiOptions(cmd: Command, modes: readonly OutputMode[] = ['json', 'text']): Command {
  return cmd
    .addOption(cloudOption())
    .option('--tenant-id <guid>', 'Entra tenant (directory) id; default COE_AUDIT_TENANT_ID or the config file')
    .option('--client-id <guid>', 'application (client) id; default COE_AUDIT_CLIENT_ID or the config file')
    .option('--client-secret-file <file>', 'file holding the client secret (default: environment variable COE_AUDIT_CLIENT_SECRET)')
    .option('--certificate-file <file>', 'PEM file with the certificate and its private key, instead of a secret')
    .option('--authority-url <url>', "Entra authority host (https), overriding the cloud's; default COE_AUDIT_AUTHORITY_URL")
    .option('--management-url <url>', "Management API root, overriding the cloud's (private endpoint, emulator); default COE_AUDIT_MANAGEMENT_URL")
    .option('--config <file>', 'coe-audit.config.yaml to read (default: found in the working directory)')
    .addOption(outputOption(modes, 'text'));
}

/** A content type as m365 spells it (`General`) or as the API does (`Audit.General`), any case; `DLP` is `DLP.All`. */
export function parseContentType(value: string): ContentType {
  const v = value.trim().toLowerCase();
  const hit = CONTENT_TYPES.find((c) => c.toLowerCase() === v || c.toLowerCase() === `audit.${v}` || (v === 'dlp' && c === 'DLP.All'));
  if (!hit) throw new InvalidArgumentError(`unknown content type '${value}'. Allowed values: ${CONTENT_TYPES.join(', ')} (or without 'Audit.', e.g. General).`);
  return hit;
}

/** `--content-type <types>`: a list, default Audit.General. */
export function contentTypeOption(): CoeOption {
  return listOption('--content-type <types>', `content types: ${CONTENT_TYPES.join(', ')}; 'General' = 'Audit.General'`, parseContentType).default(['Audit.General']);
}

export const API_MODES = ['management', 'graph'] as const;
export type ApiMode = (typeof API_MODES)[number];

/** `--api`, `--graph-url` and `--graph-version`: the commands that can read audit records through Graph too. */
export function addGraphOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Opt('--api <mode>', 'management (Office 365 Management Activity API) or graph (Microsoft Graph audit log query API, commercial and GCC only)')
        .argParser(choice(API_MODES))
        .default('management'),
    )
    .addOption(new Opt('--graph-url <url>', "Microsoft Graph root, overriding the cloud's (emulator, proxy); the token audience stays the cloud's Graph resource"))
    .addOption(new Opt('--graph-version <version>', 'Graph version of the audit log query API').argParser(choice(GRAPH_VERSIONS)).default('v1.0'));
}

export type ApiCommandOptions = ApiFlags & { output: OutputMode; contentType?: ContentType[]; api?: ApiMode; graphVersion?: GraphVersion };

export function apiFlags(o: ApiCommandOptions): ApiFlags {
  const { cloud, tenantId, clientId, clientSecretFile, certificateFile, authorityUrl, managementUrl, graphUrl, config } = o;
  return { cloud, tenantId, clientId, clientSecretFile, certificateFile, authorityUrl, managementUrl, graphUrl, config };
}

/** Like sessionFor, for Graph; refused before any call where the cloud has no audit log query API. */
export async function graphSessionFor(ctx: CliContext, o: ApiCommandOptions, budgetPerMinute?: number): Promise<GraphSession> {
  const { openGraphSession, requireApiSettings, systemClock } = await import('../api/index.js');
  const settings = requireApiSettings(apiFlags(o), ctx.env, ctx.cwd);
  if (!settings.cloud.graphAuditQueriesAvailable) {
    throw new UsageError(
      `--api graph: the Microsoft Graph audit log query API is not offered in ${settings.cloud.displayName} (${settings.cloud.graphAuditQueriesBasis}); use --api management (the default), the Office 365 Management Activity API, which ${settings.cloud.displayName} has`,
    );
  }
  return openGraphSession(settings, { clock: systemClock(), log: ctx.debugEnabled ? (l) => ctx.debug(l) : undefined, budgetPerMinute, version: o.graphVersion });
}

/** Resolves settings (UsageError on problems) and opens a session whose traces go to --debug. */
export async function sessionFor(ctx: CliContext, o: ApiCommandOptions, budgetPerMinute?: number): Promise<ApiSession> {
  const { openSession, requireApiSettings, systemClock } = await import('../api/index.js');
  const settings = requireApiSettings(apiFlags(o), ctx.env, ctx.cwd);
  return openSession(settings, { clock: systemClock(), log: ctx.debugEnabled ? (l) => ctx.debug(l) : undefined, budgetPerMinute });
}
