import type { AuditRecord } from '../../csv/purview-row.js';
import { apiCreationTime, type ContentType } from '../content-types.js';
import { randomGuid, seededRandom } from '../rng.js';

/** One content blob as the emulator serves it. */
export interface SeededBlob {
  contentType: ContentType;
  contentId: string;
  /** When the blob became available (epoch ms): the listing filter applies to this, not to event times. */
  contentCreated: number;
  records: AuditRecord[];
}

export interface SeededData {
  /** The Audit.General blobs. */
  blobs: SeededBlob[];
  /** The blobs of the other four content types (Audit.AzureActiveDirectory, Audit.Exchange, Audit.SharePoint, DLP.All). */
  otherBlobs: SeededBlob[];
  /** Every distinct Audit.General record (by Id) the emulator generated, both formats (RecordType 256 and 45) plus noise. */
  events: AuditRecord[];
  /** The distinct records of each content type (Audit.General is `events`). */
  eventsByType: Record<ContentType, AuditRecord[]>;
  /** Record Ids that appear in more than one blob (the API does not de-duplicate, §1.12). */
  duplicatedIds: string[];
  /** Distinct records of the blobs whose contentCreated is in [startMs, endMs): what a pull of that window returns. */
  eventsListedBetween(startMs: number, endMs: number, contentType?: ContentType): AuditRecord[];
}

export interface GenerateOptions {
  seed: number;
  tenantId: string;
  /** End of the generated history (epoch ms); every blob's contentCreated is before it. */
  now: number;
  hours: number;
  eventsPerHour: number;
  eventsPerBlob: number;
  /** Share of records copied into a later blob as well (same Id, same content). */
  duplicateRate: number;
  /** Minutes between an event and the blob that carries it: uniformly in [min, max] (doc: typically 60–90). */
  latencyMinutes: [number, number];
  /** Shares of all records (tenant profiles); default: 45% / 10% launches, 5% / 2% deletions (256 / 45). */
  mix?: { launch256: number; launch45: number; delete256: number; delete45: number };
  /** Apps and users the records name (default 12 and 25, picked uniformly); with a profile, apps are picked skewed. */
  apps?: number;
  users?: number;
  skewedApps?: boolean;
  /** Extra bytes of every record of other workloads (default 0). */
  noiseRecordBytes?: number;
  /**
   * Whether to seed the four other content types too (default true). flow simulate leaves them out: the Sync flow
   * reads Audit.General only, and at a tenant profile's volume they would be most of the seeding time and memory.
   */
  otherContentTypes?: boolean;
}

const REGION = 'na0030';
const PP = 'powerplatform.analytics.resource';

/** Builders of the Power Apps records of activity-api.md §3.3, for fixtures. */
export interface AppRef {
  id: string;
  displayName: string;
  environmentId: string;
  environmentName: string;
}

interface Common {
  id: string;
  creationTime: string;
  tenantId: string;
  userId: string;
  userKey: string;
}

/** Current format: RecordType 256 (PowerPlatformAdministratorActivity) with a PropertyCollection. */
export function powerPlatformAppRecord(c: Common, operation: 'LaunchPowerApp' | 'DeletePowerApp', app: AppRef): AuditRecord {
  return {
    CreationTime: c.creationTime,
    Id: c.id,
    Operation: operation,
    OrganizationId: c.tenantId,
    RecordType: 256,
    ResultStatus: 'Succeeded',
    UserKey: c.userKey,
    UserType: 0,
    Version: 1,
    Workload: 'PowerPlatform',
    UserId: c.userId,
    PropertyCollection: [
      { Name: `${PP}.type`, Value: 'PowerApp' },
      { Name: `${PP}.power_app.id`, Value: app.id },
      { Name: `${PP}.power_app.display_name`, Value: app.displayName },
      { Name: `${PP}.environment.id`, Value: app.environmentId },
      { Name: `${PP}.environment.name`, Value: app.environmentName },
      { Name: 'powerplatform.analytics.activity.name', Value: operation },
      { Name: `${PP}.tenant.id`, Value: c.tenantId },
      { Name: 'enduser.principal_name', Value: c.userId },
      { Name: 'type', Value: 'PowerPlatformAdministratorActivityRecord' },
    ],
  };
}

/** Legacy format: RecordType 45 (PowerAppsApp), the app GUID in AppName, AdditionalInfo as JSON text. */
export function legacyPowerAppsRecord(c: Common, operation: 'LaunchPowerApp' | 'DeletePowerApp', app: AppRef): AuditRecord {
  return {
    CreationTime: c.creationTime,
    Id: c.id,
    Operation: operation,
    OrganizationId: c.tenantId,
    RecordType: 45,
    ResultStatus: 'Succeeded',
    UserKey: c.userKey,
    UserType: 0,
    Version: 1,
    Workload: 'PowerApps',
    ObjectId: app.id,
    UserId: c.userId,
    AppName: app.id,
    AdditionalInfo: JSON.stringify({ environmentName: app.environmentId, appDisplayName: app.displayName }),
  };
}

const NOISE = [
  { RecordType: 30, Workload: 'MicrosoftFlow', Operation: 'CreateFlow' },
  { RecordType: 25, Workload: 'MicrosoftTeams', Operation: 'MemberAdded' },
  { RecordType: 256, Workload: 'PowerPlatform', Operation: 'EnvironmentPropertyChange' },
] as const;

/** Noise in Audit.General: records the CoE flows must ignore (`padding` stands for the rest of a real record). */
export function noiseRecord(c: Common, kind: number, padding?: string): AuditRecord {
  const n = NOISE[kind % NOISE.length]!;
  const r: AuditRecord = {
    CreationTime: c.creationTime,
    Id: c.id,
    Operation: n.Operation,
    OrganizationId: c.tenantId,
    RecordType: n.RecordType,
    ResultStatus: 'Succeeded',
    UserKey: c.userKey,
    UserType: 0,
    Version: 1,
    Workload: n.Workload,
    UserId: c.userId,
  };
  if (padding) r.ObjectId = padding;
  return r;
}

const SITE = 'https://contoso.sharepoint.example/sites/Finance';

/** The common schema's fields (activity-api.md §3.1) of a record of the other content types. */
function commonFields(c: Common, operation: string, recordType: number, workload: string): AuditRecord {
  return { CreationTime: c.creationTime, Id: c.id, Operation: operation, OrganizationId: c.tenantId, RecordType: recordType, UserKey: c.userKey, UserType: 0, Version: 1, Workload: workload, UserId: c.userId };
}

/** Audit.AzureActiveDirectory: a user sign-in (RecordType 15, AzureActiveDirectoryStsLogon), as the schema's AAD records. */
export function azureActiveDirectoryRecord(c: Common, ok: boolean, clientIp: string): AuditRecord {
  return {
    ...commonFields(c, 'UserLoggedIn', 15, 'AzureActiveDirectory'),
    ResultStatus: ok ? 'Success' : 'Failed',
    ClientIP: clientIp,
    ObjectId: '00000003-0000-0000-c000-000000000000',
    AzureActiveDirectoryEventType: 1,
    ExtendedProperties: [
      { Name: 'ResultStatusDetail', Value: ok ? 'Success' : 'Redirect' },
      { Name: 'UserAgent', Value: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)' },
      { Name: 'RequestType', Value: 'OAuth2:Authorize' },
    ],
    ModifiedProperties: [],
    Actor: [
      { ID: c.userKey, Type: 0 },
      { ID: c.userId, Type: 5 },
    ],
    ActorContextId: c.tenantId,
    ApplicationId: '00000003-0000-0ff1-ce00-000000000000',
    InterSystemsId: c.id,
    IntraSystemId: c.id,
    SupportTicketId: '',
    Target: [{ ID: '00000003-0000-0000-c000-000000000000', Type: 0 }],
    TargetContextId: c.tenantId,
    ...(ok ? {} : { LogonError: 'InvalidUserNameOrPassword', ErrorNumber: '50126' }),
  };
}

/** Audit.Exchange: a mailbox item access (RecordType 50, ExchangeItemAggregated / MailItemsAccessed). */
export function exchangeRecord(c: Common, clientIp: string, mailboxGuid: string): AuditRecord {
  return {
    ...commonFields(c, 'MailItemsAccessed', 50, 'Exchange'),
    ResultStatus: 'Succeeded',
    ClientIP: clientIp,
    AppId: '00000002-0000-0ff1-ce00-000000000000',
    ClientAppId: '',
    ClientIPAddress: clientIp,
    ClientInfoString: 'Client=REST;Client=RESTSystem;',
    ExternalAccess: false,
    InternalLogonType: 0,
    LogonType: 0,
    LogonUserSid: `S-1-5-21-${c.userKey.slice(-8)}`,
    MailboxGuid: mailboxGuid,
    MailboxOwnerSid: `S-1-5-21-${c.userKey.slice(-8)}`,
    MailboxOwnerUPN: c.userId,
    OperationProperties: [
      { Name: 'MailAccessType', Value: 'Bind' },
      { Name: 'IsThrottled', Value: 'False' },
    ],
    OrganizationName: 'contoso.onmicrosoft.com',
    OriginatingServer: 'BN8PR11MB3700 (15.20.7000.000)',
    Folders: [{ FolderItems: [{ InternetMessageId: `<${c.id}@contoso.example>`, SizeInBytes: 18211 }], Id: 'LgAAAAB', Path: '\\Inbox' }],
    OperationCount: 1,
  };
}

/** Audit.SharePoint: a file access (RecordType 6, SharePointFileOperation). */
export function sharePointRecord(c: Common, clientIp: string, file: string): AuditRecord {
  return {
    ...commonFields(c, 'FileAccessed', 6, 'SharePoint'),
    UserKey: `i:0h.f|membership|${c.userKey.toLowerCase()}@live.com`,
    ClientIP: clientIp,
    ObjectId: `${SITE}/Shared Documents/${file}`,
    CorrelationId: c.id,
    EventSource: 'SharePoint',
    ItemType: 'File',
    ListId: '2f6b4a6e-8f4a-4c5e-9f0e-1b2c3d4e5f60',
    ListItemUniqueId: c.id,
    Site: '6b8d1a2e-3c4f-4a5b-8c7d-9e0f1a2b3c4d',
    UserAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)',
    WebId: '7c9e2b3f-4d5a-4b6c-9d8e-0f1a2b3c4d5e',
    SourceFileExtension: file.split('.').pop() ?? '',
    SiteUrl: `${SITE}/`,
    SourceFileName: file,
    SourceRelativeUrl: 'Shared Documents',
  };
}

/** DLP.All: a DLP rule match on a SharePoint file (RecordType 11, ComplianceDLPSharePoint); needs ActivityFeed.ReadDlp. */
export function dlpRecord(c: Common, file: string): AuditRecord {
  return {
    ...commonFields(c, 'DLPRuleMatch', 11, 'SharePoint'),
    ObjectId: `${SITE}/Shared Documents/${file}`,
    IncidentId: c.id,
    PolicyDetails: [
      {
        PolicyId: '4b2a1c3d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
        PolicyName: 'U.S. Financial Data',
        Rules: [
          {
            Actions: ['NotifyUser'],
            ConditionsMatched: {
              ConditionMatchedInNewScheme: true,
              SensitiveInformation: [
                { Count: 3, Location: null, SensitiveInformationTypeName: 'Credit Card Number', SensitiveType: '50842eb7-edc8-4019-85dd-5a5c1f2bb085', Confidence: 85, ClassifierType: 'Content' },
              ],
            },
            ManagementRuleId: '6d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a',
            RuleId: '8f6a7b8c-9d0e-4f1a-8b2c-3d4e5f6a7b8c',
            RuleMode: 'Enable',
            RuleName: 'Low volume of content detected U.S. Financial',
            Severity: 'Low',
          },
        ],
      },
    ],
    SensitiveInfoDetectionIsIncluded: true,
    SharePointMetaData: {
      From: c.userId,
      itemCreationTime: c.creationTime,
      SiteCollectionGuid: '6b8d1a2e-3c4f-4a5b-8c7d-9e0f1a2b3c4d',
      SiteCollectionUrl: SITE,
      FileID: c.id,
      FileName: file,
      FilePathUrl: `${SITE}/Shared Documents/${file}`,
      FileOwner: c.userId,
      IsViewableByExternalUsers: false,
      IsVisibleOnlyToOdbOwner: false,
      UniqueID: c.id,
    },
  };
}

/** `{yyyyMMddHHmmssfff}{6 digits}${same}$audit_general$Audit_General$na0030` (§8 item 15). */
export function contentIdFor(contentType: ContentType, created: number, serial: number): string {
  const stamp = new Date(created).toISOString().replace(/[-:TZ.]/g, '') + String(serial % 1_000_000).padStart(6, '0');
  return `${stamp}$${stamp}$${contentType.toLowerCase().replace('.', '_')}$${contentType.replace('.', '_')}$${REGION}`;
}

/** Deterministic synthetic audit data for a seed: Audit.General blobs over `hours` hours before `now`. */
export function generateSeededData(o: GenerateOptions): SeededData {
  const rnd = seededRandom(o.seed);
  const apps: AppRef[] = Array.from({ length: o.apps ?? 12 }, (_, i) => ({
    id: randomGuid(rnd),
    displayName: `Seeded app ${i + 1}`,
    environmentId: `Default-${o.tenantId}`,
    environmentName: 'Contoso (default)',
  }));
  const users = Array.from({ length: o.users ?? 25 }, (_, i) => ({ upn: `user${i + 1}@contoso.example`, key: `1003BFFD${(0x9a000000 + i).toString(16).toUpperCase()}` }));
  const hourMs = 3_600_000;
  const historyStart = Math.floor(o.now / 60_000) * 60_000 - o.hours * hourMs;
  const total = Math.round(o.eventsPerHour * o.hours);
  const blobs: SeededBlob[] = [];
  let serial = 0;
  const mix = o.mix ?? { launch256: 0.45, launch45: 0.1, delete256: 0.05, delete45: 0.02 };
  const t1 = mix.launch256;
  const t2 = t1 + mix.launch45;
  const t3 = t2 + mix.delete256;
  const t4 = t3 + mix.delete45;
  // One shared string: a record's size in the blob without its memory.
  const padding = o.noiseRecordBytes ? 'x'.repeat(o.noiseRecordBytes) : undefined;
  for (let h = 0; h < o.hours; h++) {
    const inHour = Math.floor(((h + 1) * total) / o.hours) - Math.floor((h * total) / o.hours);
    const count = Math.ceil(inHour / o.eventsPerBlob);
    const slotStart = historyStart + h * hourMs;
    const times = Array.from({ length: count }, () => slotStart + Math.floor(rnd() * hourMs)).sort((a, b) => a - b);
    let left = inHour;
    for (let b = 0; b < count; b++) {
      const created = times[b]!;
      const n = Math.min(o.eventsPerBlob, left);
      left -= n;
      const records: AuditRecord[] = [];
      for (let i = 0; i < n; i++) {
        const [lo, hi] = o.latencyMinutes;
        const at = created - Math.round((lo + rnd() * (hi - lo)) * 60_000);
        const user = users[Math.floor(rnd() * users.length)]!;
        const app = apps[o.skewedApps ? Math.floor(apps.length * rnd() ** 3) : Math.floor(rnd() * apps.length)]!;
        const c: Common = { id: randomGuid(rnd), creationTime: apiCreationTime(at), tenantId: o.tenantId, userId: user.upn, userKey: user.key };
        const r = rnd();
        if (r < t1) records.push(powerPlatformAppRecord(c, 'LaunchPowerApp', app));
        else if (r < t2) records.push(legacyPowerAppsRecord(c, 'LaunchPowerApp', app));
        else if (r < t3) records.push(powerPlatformAppRecord(c, 'DeletePowerApp', app));
        else if (r < t4) records.push(legacyPowerAppsRecord(c, 'DeletePowerApp', app));
        else records.push(noiseRecord(c, Math.floor(rnd() * NOISE.length), padding));
      }
      blobs.push({ contentType: 'Audit.General', contentId: contentIdFor('Audit.General', created, serial++), contentCreated: created, records });
    }
  }
  const general = blobs;
  const otherBlobs: SeededBlob[] = [];
  // The other four content types, from their own random stream (Audit.General stays as it was for a seed).
  const other = seededRandom(o.seed ^ 0x0c7e);
  const perHour = Math.max(1, Math.round(o.eventsPerHour / 5));
  const files = ['Budget 2026.xlsx', 'Payroll.csv', 'Board deck.pptx', 'Contract.docx'];
  const eventsByType = { 'Audit.General': [] } as unknown as Record<ContentType, AuditRecord[]>;
  for (const type of ['Audit.AzureActiveDirectory', 'Audit.Exchange', 'Audit.SharePoint', 'DLP.All'] as const) {
    eventsByType[type] = [];
    if (o.otherContentTypes === false) continue;
    for (let h = 0; h < o.hours; h++) {
      const created = historyStart + h * hourMs + Math.floor(other() * hourMs);
      const records: AuditRecord[] = [];
      for (let i = 0; i < perHour; i++) {
        const at = created - Math.round((o.latencyMinutes[0] + other() * (o.latencyMinutes[1] - o.latencyMinutes[0])) * 60_000);
        const user = users[Math.floor(other() * users.length)]!;
        const c: Common = { id: randomGuid(other), creationTime: apiCreationTime(at), tenantId: o.tenantId, userId: user.upn, userKey: user.key };
        const ip = `203.0.113.${1 + Math.floor(other() * 250)}`;
        const file = files[Math.floor(other() * files.length)]!;
        if (type === 'Audit.AzureActiveDirectory') records.push(azureActiveDirectoryRecord(c, other() < 0.9, ip));
        else if (type === 'Audit.Exchange') records.push(exchangeRecord(c, ip, randomGuid(other)));
        else if (type === 'Audit.SharePoint') records.push(sharePointRecord(c, ip, file));
        else records.push(dlpRecord(c, file));
      }
      eventsByType[type].push(...records);
      otherBlobs.push({ contentType: type, contentId: contentIdFor(type, created, serial++), contentCreated: created, records });
    }
  }
  const duplicatedIds: string[] = [];
  if (o.duplicateRate > 0) {
    for (let b = 0; b < general.length - 1; b++) {
      for (const rec of general[b]!.records) {
        if (rnd() >= o.duplicateRate) continue;
        const target = general[Math.min(general.length - 1, b + 1 + Math.floor(rnd() * 3))]!;
        target.records.push(rec);
        duplicatedIds.push(String(rec['Id']));
      }
    }
  }
  const seen = new Set<string>();
  const events: AuditRecord[] = [];
  for (const b of blobs) {
    if (b.contentType !== 'Audit.General') continue;
    for (const r of b.records) {
      if (seen.has(String(r['Id']))) continue;
      seen.add(String(r['Id']));
      events.push(r);
    }
  }
  eventsByType['Audit.General'] = events;
  return {
    blobs,
    otherBlobs,
    events,
    eventsByType,
    duplicatedIds: [...new Set(duplicatedIds)],
    eventsListedBetween(startMs, endMs, contentType = 'Audit.General') {
      const ids = new Set<string>();
      const out: AuditRecord[] = [];
      for (const b of [...blobs, ...otherBlobs]) {
        if (b.contentType !== contentType || b.contentCreated < startMs || b.contentCreated >= endMs) continue;
        for (const r of b.records) {
          if (ids.has(String(r['Id']))) continue;
          ids.add(String(r['Id']));
          out.push(r);
        }
      }
      return out;
    },
  };
}
