import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../helpers/temp-dir.js';

export const CURRENT_HEADER = 'RecordId,CreationDate,RecordType,Operation,UserId,AuditData,AssociatedAdminUnits,AssociatedAdminUnitsNames';
export const LEGACY_HEADER = 'CreationDate,UserIds,Operations,AuditData';

export const tmp = (): string => makeTempDir('csv');

/** Writes `content` to a fresh temp folder and returns the file path. */
export function fixture(content: string | Buffer, name = 'AuditLog.csv'): string {
  const file = join(tmp(), name);
  writeFileSync(file, content);
  return file;
}

export const q = (v: string): string => '"' + v.replace(/"/g, '""') + '"';

/** A RecordType 256 launch record's AuditData. */
export function launch256(id: string, user: string, app: string, time = '2025-03-04T05:06:07', op = 'LaunchPowerApp'): Record<string, unknown> {
  return {
    CreationTime: time,
    Id: id,
    Operation: op,
    RecordType: 256,
    Workload: 'PowerPlatform',
    UserId: user,
    PropertyCollection: [
      { Name: 'powerplatform.analytics.resource.type', Value: 'PowerApp' },
      { Name: 'powerplatform.analytics.resource.power_app.id', Value: app },
    ],
  };
}

/** A legacy RecordType 45 record's AuditData: the app id is AppName. */
export function launch45(id: string, user: string, app: string, time = '2025-03-04T05:06:07', op = 'LaunchPowerApp'): Record<string, unknown> {
  return { CreationTime: time, Id: id, Operation: op, RecordType: 45, Workload: 'PowerApps', UserId: user, AppName: app };
}

/** A row of the current layout with CreationDate as given (already CSV-ready). */
export function currentRow(audit: Record<string, unknown>, date: string, eol = '\r\n', units = ''): string {
  return [audit['Id'], date, audit['RecordType'], audit['Operation'], audit['UserId'], q(JSON.stringify(audit)), units, ''].join(',') + eol;
}

export function legacyRow(audit: Record<string, unknown>, date: string, eol = '\r\n'): string {
  return [date, audit['UserId'], audit['Operation'], q(JSON.stringify(audit))].join(',') + eol;
}

/** The project's seeded PRNG (mulberry32), for property-style tests. */
export { seededRandom as prng } from '../../src/api/rng.js';
