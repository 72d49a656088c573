import type { AuditRecord } from '../csv/index.js';

/**
 * The Microsoft Graph audit log query API's shapes (activity-api.md §5.1), shared by the client (src/api/graph.ts)
 * and the emulator (src/api/emulator/graph.ts): the role, the status values, and the auditLogRecord built around
 * the original Management-API record (`auditData`).
 */

/** The Application permission of Microsoft Graph the audit log query API needs (§5.2). */
export const AUDIT_LOGS_QUERY_READ_ALL = 'AuditLogsQuery.Read.All';

/** `auditLogQuery.status` values (§5.1). */
export const QUERY_STATUSES = ['notStarted', 'running', 'succeeded', 'failed', 'cancelled', 'unknownFutureValue'] as const;
export type QueryStatus = (typeof QUERY_STATUSES)[number];

/** The Graph API versions that serve the audit log query API: v1.0 and beta (the CoE kit uses beta). */
export const GRAPH_VERSIONS = ['v1.0', 'beta'] as const;
export type GraphVersion = (typeof GRAPH_VERSIONS)[number];

/** `auditLogQuery` as the create and get calls return it (the properties coe-audit reads or sends). */
export interface AuditLogQuery {
  id: string;
  displayName?: string | null;
  filterStartDateTime?: string | null;
  filterEndDateTime?: string | null;
  operationFilters?: string[];
  recordTypeFilters?: string[];
  serviceFilters?: string[];
  userPrincipalNameFilters?: string[];
  status: QueryStatus;
  recordCountLimit?: number | null;
  isRecordCountLimitExceeded?: boolean | null;
  approximateReturnedRecordCount?: number | null;
}

/** userType values in the order of the Management API's UserType enum (0 regular … 10 guest). */
const USER_TYPES = ['regular', 'reserved', 'admin', 'dcAdmin', 'system', 'application', 'servicePrincipal', 'customPolicy', 'systemPolicy', 'partnerTechnician', 'guest'];

/**
 * RecordType → auditLogRecordType for the record types the emulator seeds. 256 has no documented member (§5.1: the
 * list has no powerPlatformAdministratorActivity); Graph returns members it does not document as
 * `unknownFutureValue` unless the client opts in, so that is what the emulator sends (choice).
 */
const RECORD_TYPES: Record<number, string> = { 25: 'microsoftTeams', 30: 'microsoftFlow', 45: 'powerAppsApp' };

export function auditLogRecordTypeOf(recordType: unknown): string {
  return RECORD_TYPES[Number(recordType)] ?? 'unknownFutureValue';
}

/** The `@odata.type` of `auditData` (choice: Graph's generic audit data type). */
export const AUDIT_DATA_TYPE = '#microsoft.graph.security.defaultAuditData';

/** An auditLogRecord with the original record as `auditData` (PascalCase keys plus `@odata.type`). */
export function toGraphRecord(r: AuditRecord): Record<string, unknown> {
  const creation = String(r['CreationTime'] ?? '');
  return {
    '@odata.type': '#microsoft.graph.security.auditLogRecord',
    id: String(r['Id'] ?? ''),
    createdDateTime: /[zZ]$/.test(creation) ? creation : `${creation}Z`,
    auditLogRecordType: auditLogRecordTypeOf(r['RecordType']),
    operation: r['Operation'] ?? null,
    organizationId: r['OrganizationId'] ?? null,
    userType: USER_TYPES[Number(r['UserType'])] ?? 'regular',
    userId: r['UserId'] ?? null,
    service: r['Workload'] ?? null,
    objectId: r['ObjectId'] ?? null,
    userPrincipalName: r['UserId'] ?? null,
    clientIp: r['ClientIP'] ?? null,
    administrativeUnits: [],
    auditData: { '@odata.type': AUDIT_DATA_TYPE, ...r },
  };
}

/** The original record of an auditLogRecord: `auditData` without its `@odata.type`; undefined when absent. */
export function fromGraphRecord(g: unknown): AuditRecord | undefined {
  if (!g || typeof g !== 'object') return undefined;
  const data = (g as { auditData?: unknown }).auditData;
  if (!data || typeof data !== 'object' || Array.isArray(data)) return undefined;
  const { ['@odata.type']: _type, ...original } = data as Record<string, unknown>;
  void _type;
  return original;
}
