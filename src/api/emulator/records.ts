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
  blobs: SeededBlob[];
  /** Every distinct record (by Id) the emulator generated, both formats (RecordType 256 and 45) plus noise. */
  events: AuditRecord[];
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

/** Noise in Audit.General: records the CoE flows must ignore. */
export function noiseRecord(c: Common, kind: number): AuditRecord {
  const n = NOISE[kind % NOISE.length]!;
  return {
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
}

/** `{yyyyMMddHHmmssfff}{6 digits}${same}$audit_general$Audit_General$na0030` (§8 item 15). */
export function contentIdFor(contentType: ContentType, created: number, serial: number): string {
  const stamp = new Date(created).toISOString().replace(/[-:TZ.]/g, '') + String(serial % 1_000_000).padStart(6, '0');
  return `${stamp}$${stamp}$${contentType.toLowerCase().replace('.', '_')}$${contentType.replace('.', '_')}$${REGION}`;
}

/** Deterministic synthetic audit data for a seed: Audit.General blobs over `hours` hours before `now`. */
export function generateSeededData(o: GenerateOptions): SeededData {
  const rnd = seededRandom(o.seed);
  const apps: AppRef[] = Array.from({ length: 12 }, (_, i) => ({
    id: randomGuid(rnd),
    displayName: `Seeded app ${i + 1}`,
    environmentId: `Default-${o.tenantId}`,
    environmentName: 'Contoso (default)',
  }));
  const users = Array.from({ length: 25 }, (_, i) => ({ upn: `user${i + 1}@contoso.example`, key: `1003BFFD${(0x9a000000 + i).toString(16).toUpperCase()}` }));
  const hourMs = 3_600_000;
  const historyStart = Math.floor(o.now / 60_000) * 60_000 - o.hours * hourMs;
  const total = Math.round(o.eventsPerHour * o.hours);
  const blobs: SeededBlob[] = [];
  let serial = 0;
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
        const app = apps[Math.floor(rnd() * apps.length)]!;
        const c: Common = { id: randomGuid(rnd), creationTime: apiCreationTime(at), tenantId: o.tenantId, userId: user.upn, userKey: user.key };
        const r = rnd();
        if (r < 0.45) records.push(powerPlatformAppRecord(c, 'LaunchPowerApp', app));
        else if (r < 0.55) records.push(legacyPowerAppsRecord(c, 'LaunchPowerApp', app));
        else if (r < 0.6) records.push(powerPlatformAppRecord(c, 'DeletePowerApp', app));
        else if (r < 0.62) records.push(legacyPowerAppsRecord(c, 'DeletePowerApp', app));
        else records.push(noiseRecord(c, Math.floor(rnd() * NOISE.length)));
      }
      blobs.push({ contentType: 'Audit.General', contentId: contentIdFor('Audit.General', created, serial++), contentCreated: created, records });
    }
  }
  const duplicatedIds: string[] = [];
  if (o.duplicateRate > 0) {
    for (let b = 0; b < blobs.length - 1; b++) {
      for (const rec of blobs[b]!.records) {
        if (rnd() >= o.duplicateRate) continue;
        const target = blobs[Math.min(blobs.length - 1, b + 1 + Math.floor(rnd() * 3))]!;
        target.records.push(rec);
        duplicatedIds.push(String(rec['Id']));
      }
    }
  }
  const seen = new Set<string>();
  const events: AuditRecord[] = [];
  for (const b of blobs) {
    for (const r of b.records) {
      if (seen.has(String(r['Id']))) continue;
      seen.add(String(r['Id']));
      events.push(r);
    }
  }
  return {
    blobs,
    events,
    duplicatedIds: [...new Set(duplicatedIds)],
    eventsListedBetween(startMs, endMs, contentType = 'Audit.General') {
      const ids = new Set<string>();
      const out: AuditRecord[] = [];
      for (const b of blobs) {
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
