// The baseline for `flow simulate`: the same seeded content (same generator, same profile), each blob serialized
// and parsed as if downloaded, filtered to app launches and deletions of both formats, upserted by event Id into a
// Map, and each app's newest launch kept: what the Sync flow does, as a plain JavaScript loop.
// usage: _plain-sync.mjs PROFILE HOURS
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { tenantProfile } = await import(join(root, 'build', 'api', 'index.js'));
const { generateSeededData } = await import(join(root, 'build', 'api', 'emulator', 'records.js'));
const [profileName = 'medium', hoursArg = '24'] = process.argv.slice(2);
const p = tenantProfile(profileName);
const hours = Number(hoursArg);
const data = generateSeededData({
  seed: 1,
  tenantId: '00000000-0000-4000-8000-000000000001',
  now: Date.parse('2026-01-05T00:00:00Z'),
  hours,
  eventsPerHour: p.eventsPerDay / 24,
  eventsPerBlob: p.eventsPerBlob,
  duplicateRate: p.duplicateRate,
  latencyMinutes: p.latencyMinutes,
  mix: p.mix,
  apps: p.apps,
  users: p.users,
  skewedApps: true,
  noiseRecordBytes: p.noiseRecordBytes,
  // As flow simulate seeds it: Audit.General only.
  otherContentTypes: false,
});
const KEY = 'powerplatform.analytics.resource.power_app.id';
const rows = new Map();
const newest = new Map();
const deleted = new Map();
for (const blob of data.blobs) {
  const records = JSON.parse(JSON.stringify(blob.records));
  for (const r of records) {
    if ((r.Operation !== 'LaunchPowerApp' && r.Operation !== 'DeletePowerApp') || (r.RecordType !== 256 && r.RecordType !== 45)) continue;
    const app = String(r.RecordType === 256 ? (r.PropertyCollection ?? []).find((x) => x.Name === KEY)?.Value ?? '' : r.AppName ?? '').toLowerCase();
    const time = `${r.CreationTime}Z`;
    if (r.Operation === 'DeletePowerApp') {
      if (!deleted.has(app)) deleted.set(app, time);
      continue;
    }
    rows.set(String(r.Id).toLowerCase(), { admin_creationtime: time, admin_appid: app, admin_operation: r.Operation, admin_userupn: r.UserId ?? '', admin_workload: r.Workload ?? '' });
    if (!newest.has(app) || newest.get(app) < time) newest.set(app, time);
  }
}
console.log(JSON.stringify({ events: data.events.length, rows: rows.size, apps: newest.size, deleted: deleted.size }));
