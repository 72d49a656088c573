/**
 * The cloud table: every host name that differs between Microsoft's clouds lives here and nowhere else.
 * A test (test/clouds/host-literals.test.ts) fails when one of these hosts appears in any other source file.
 *
 * Sources: ../shared/reference/activity-api.md §2.1 (Management API host = token audience, Entra authority,
 * Graph host) and connector.md §4.3 (connector login and resource URIs). The US-government connector redirect
 * URL is unverified (connector.md §4.3): it is configurable (`connector.redirectUrl` in coe-audit.config.yaml)
 * and flagged in docs/clouds.md.
 */

export type CloudId = 'commercial' | 'gcc' | 'gcchigh' | 'dod';

export interface Cloud {
  /** Our canonical, lower-case name, used in file and folder names. */
  readonly id: CloudId;
  /** pac's name for the cloud (`pac auth create --cloud`), also accepted as input. */
  readonly pacName: 'Public' | 'UsGov' | 'UsGovHigh' | 'UsGovDod';
  /** Human name, as admins say it. */
  readonly displayName: string;
  /** Short suffix appended to display names of per-cloud artefacts; empty for the commercial cloud. */
  readonly displaySuffix: string;
  /** Office 365 Management Activity API host (no scheme). */
  readonly managementHost: string;
  /** Token audience / resource URI of the Management Activity API (`https://` + managementHost). */
  readonly managementAudience: string;
  /** Entra authority host URL, as the CoE "Audit Logs - Authority" variable and MSAL use it. */
  readonly authorityUrl: string;
  /** Other host URLs of the same authority (activity-api.md §2.1: login.windows.net is an alias of login.microsoftonline.com). */
  readonly authorityAliases: readonly string[];
  /** Microsoft Graph host (no scheme). */
  readonly graphHost: string;
  /** Microsoft Graph root URL and token audience / resource URI (`https://` + graphHost; scope `<this>/.default`). */
  readonly graphUrl: string;
  /**
   * Power Automate maker portal URL (no trailing slash). The flows' run links in error rows are
   * `{this}/environments/{environment}/flows/{flow}/runs/{run}` (CoE variable admin_PowerAutomateEnvironmentVariable).
   * Source: Microsoft Learn "Power Automate US Government" (maker portal per plan: GCC make.gov.powerautomate.us,
   * GCC High make.high.powerautomate.us, DoD make.powerautomate.appsplatform.us).
   */
  readonly powerAutomateUrl: string;
  /**
   * Whether Graph's audit log query API (`/security/auditLog/queries`) is offered in this cloud, and why we say so
   * (docs/clouds.md cites the sources). Where it is not, Graph answers 400 "Resource not found for the segment 'auditLog'."
   */
  readonly graphAuditQueriesAvailable: boolean;
  readonly graphAuditQueriesBasis: string;
  /** Custom connector OAuth settings (apiProperties `token.oAuthSettings`). */
  readonly connector: {
    readonly loginUri: string;
    readonly redirectUrl: string;
    /** false where the value comes from a third-party source only and must be confirmed by the admin. */
    readonly redirectUrlVerified: boolean;
  };
}

/** Why each cloud has or lacks the Graph audit log query API (sources in docs/clouds.md). */
const GRAPH_AUDIT_BASIS = {
  global: 'offered: the global Graph service has it (auditLogQuery pages: "Global service" only)',
  gcc: 'offered: GCC tenants use the global Graph service ("If you\'re working in a Microsoft 365 GCC environment, continue using the worldwide endpoints", Graph national cloud deployments), which has it',
  l4: 'not offered: US Government L4 is marked unsupported on every auditLogQuery page; observed "Resource not found for the segment \'auditLog\'." (coe-starter-kit #10118)',
  l5: 'not offered: US Government L5 (DOD) is marked unsupported on every auditLogQuery page',
} as const;

const GLOBAL_REDIRECT = 'https://global.consent.azure-apim.net/redirect';
const US_GOV_REDIRECT = 'https://global.consent.azure-apim.us/redirect';

export const CLOUDS: readonly Cloud[] = [
  {
    id: 'commercial',
    pacName: 'Public',
    displayName: 'Commercial',
    displaySuffix: '',
    managementHost: 'manage.office.com',
    managementAudience: 'https://manage.office.com',
    authorityUrl: 'https://login.windows.net',
    authorityAliases: ['https://login.microsoftonline.com'],
    graphHost: 'graph.microsoft.com',
    graphUrl: 'https://graph.microsoft.com',
    powerAutomateUrl: 'https://make.powerautomate.com',
    graphAuditQueriesAvailable: true,
    graphAuditQueriesBasis: GRAPH_AUDIT_BASIS.global,
    connector: { loginUri: 'https://login.windows.net', redirectUrl: GLOBAL_REDIRECT, redirectUrlVerified: true },
  },
  {
    id: 'gcc',
    pacName: 'UsGov',
    displayName: 'GCC',
    displaySuffix: 'GCC',
    managementHost: 'manage-gcc.office.com',
    managementAudience: 'https://manage-gcc.office.com',
    authorityUrl: 'https://login.windows.net',
    authorityAliases: ['https://login.microsoftonline.com'],
    graphHost: 'graph.microsoft.com',
    graphUrl: 'https://graph.microsoft.com',
    powerAutomateUrl: 'https://make.gov.powerautomate.us',
    graphAuditQueriesAvailable: true,
    graphAuditQueriesBasis: GRAPH_AUDIT_BASIS.gcc,
    connector: { loginUri: 'https://login.windows.net', redirectUrl: GLOBAL_REDIRECT, redirectUrlVerified: true },
  },
  {
    id: 'gcchigh',
    pacName: 'UsGovHigh',
    displayName: 'GCC High',
    displaySuffix: 'GCC High',
    managementHost: 'manage.office365.us',
    managementAudience: 'https://manage.office365.us',
    authorityUrl: 'https://login.microsoftonline.us',
    authorityAliases: [],
    graphHost: 'graph.microsoft.us',
    graphUrl: 'https://graph.microsoft.us',
    powerAutomateUrl: 'https://make.high.powerautomate.us',
    graphAuditQueriesAvailable: false,
    graphAuditQueriesBasis: GRAPH_AUDIT_BASIS.l4,
    connector: { loginUri: 'https://login.microsoftonline.us', redirectUrl: US_GOV_REDIRECT, redirectUrlVerified: false },
  },
  {
    id: 'dod',
    pacName: 'UsGovDod',
    displayName: 'DoD',
    displaySuffix: 'DoD',
    managementHost: 'manage.protection.apps.mil',
    managementAudience: 'https://manage.protection.apps.mil',
    authorityUrl: 'https://login.microsoftonline.us',
    authorityAliases: [],
    graphHost: 'dod-graph.microsoft.us',
    graphUrl: 'https://dod-graph.microsoft.us',
    powerAutomateUrl: 'https://make.powerautomate.appsplatform.us',
    graphAuditQueriesAvailable: false,
    graphAuditQueriesBasis: GRAPH_AUDIT_BASIS.l5,
    connector: { loginUri: 'https://login.microsoftonline.us', redirectUrl: US_GOV_REDIRECT, redirectUrlVerified: false },
  },
];
