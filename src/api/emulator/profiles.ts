import { UsageError } from '../../errors.js';

/**
 * A tenant as the emulator seeds it: how much Audit.General content a day, what share of it the Sync flow keeps,
 * and how the API packs and pages it. The justification of every figure is in docs/emulator.md ("Tenant
 * profiles"); where no public figure exists the value is the one worse for the flows' cost.
 */
export interface TenantProfile {
  name: string;
  /** Audit.General records a day; undefined = given by the caller (--events, --events-per-hour). */
  eventsPerDay?: number;
  /** Shares of all records: launches and deletions, current format (RecordType 256) and legacy (45). */
  mix: { launch256: number; launch45: number; delete256: number; delete45: number };
  /** Records per content blob. */
  eventsPerBlob: number;
  /** Content items per listing page. */
  pageSize: number;
  /** Minutes between an event and the blob that carries it (uniform). */
  latencyMinutes: [number, number];
  /** Share of records the API repeats in a later blob. */
  duplicateRate: number;
  /** Apps in the inventory; launches favour a few (skewed), as in real tenants. */
  apps: number;
  users: number;
  /** Extra bytes carried by each record of other workloads (their size in the blob), 0 = the small test records. */
  noiseRecordBytes: number;
  /** Minutes a blob is listed after its contentCreated (late content), default 0. */
  lateContentMinutes: number;
}

const BASE = { latencyMinutes: [60, 90] as [number, number], duplicateRate: 0.02, lateContentMinutes: 0 };

/** The profiles by name; `default` is what the emulator did before profiles existed (the tests' data). */
export const TENANT_PROFILES: Record<string, TenantProfile> = {
  default: {
    ...BASE,
    name: 'default',
    mix: { launch256: 0.45, launch45: 0.1, delete256: 0.05, delete45: 0.02 },
    eventsPerBlob: 10,
    pageSize: 3,
    apps: 12,
    users: 25,
    noiseRecordBytes: 0,
  },
  small: {
    ...BASE,
    name: 'small',
    eventsPerDay: 20_000,
    mix: { launch256: 0.045, launch45: 0.005, delete256: 0.0008, delete45: 0.0002 },
    eventsPerBlob: 250,
    pageSize: 100,
    apps: 150,
    users: 500,
    noiseRecordBytes: 1200,
  },
  medium: {
    ...BASE,
    name: 'medium',
    eventsPerDay: 200_000,
    mix: { launch256: 0.027, launch45: 0.003, delete256: 0.0004, delete45: 0.0001 },
    eventsPerBlob: 1000,
    pageSize: 100,
    apps: 600,
    users: 3000,
    noiseRecordBytes: 1200,
  },
  large: {
    ...BASE,
    name: 'large',
    eventsPerDay: 1_000_000,
    mix: { launch256: 0.018, launch45: 0.002, delete256: 0.0002, delete45: 0.00005 },
    eventsPerBlob: 2000,
    pageSize: 100,
    apps: 2000,
    users: 20000,
    noiseRecordBytes: 1200,
  },
  huge: {
    ...BASE,
    name: 'huge',
    eventsPerDay: 5_000_000,
    mix: { launch256: 0.009, launch45: 0.001, delete256: 0.0001, delete45: 0.00002 },
    eventsPerBlob: 4000,
    pageSize: 100,
    apps: 5000,
    users: 60000,
    noiseRecordBytes: 1200,
  },
};

export const PROFILE_NAMES = Object.keys(TENANT_PROFILES);

export function tenantProfile(name: string): TenantProfile {
  const p = TENANT_PROFILES[name];
  if (!p) throw new UsageError(`--profile: unknown profile '${name}'; use one of ${PROFILE_NAMES.join(', ')}`);
  return p;
}
