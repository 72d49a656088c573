#!/usr/bin/env node
// Writes a synthetic Microsoft Purview audit-log export, deterministic for a given seed.
//
// usage: node scripts/gen-purview-csv.mjs [--rows N | --bytes N] [--seed S] [--layout current|legacy]
//                                         [--date us|iso] [--tricky] [--bom] [--lf] [--out FILE]
//
// --rows N     number of records (default 1000); --bytes N stops after the first record that reaches N bytes
// --layout     current 8-column export (default) or legacy CreationDate,UserIds,Operations,AuditData
// --date       CreationDate as `9/20/2023 4:05:03 AM` (us, default) or `"2023-09-20T04:05:03.0000000Z "` (iso)
// --tricky     about one record in five holds commas, doubled quotes, real line breaks inside quotes, non-ASCII
// --bom        start with a UTF-8 BOM;  --lf  LF line ends instead of CRLF
import { closeSync, openSync, writeSync } from 'node:fs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const flag = (name) => args.includes(`--${name}`);
const rows = Number(opt('rows', flag('bytes') ? Infinity : 1000));
const maxBytes = Number(opt('bytes', Infinity));
const layout = opt('layout', 'current');
const dateForm = opt('date', 'us');
const tricky = flag('tricky');
const eol = flag('lf') ? '\n' : '\r\n';
const out = opt('out', undefined);

// mulberry32: small, fast, good enough for test data.
let state = Number(opt('seed', 1)) >>> 0;
const rnd = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (arr) => arr[Math.floor(rnd() * arr.length)];
const hex = (n) => {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(rnd() * 16)];
  return s;
};
const guid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-8${hex(3)}-${hex(12)}`;
const q = (v) => '"' + String(v).replace(/"/g, '""') + '"';
const field = (v) => (/[",\r\n]/.test(v) ? q(v) : v);

const tenant = guid();
const apps = Array.from({ length: 200 }, () => ({ id: guid(), name: `App ${hex(4)}` }));
const users = Array.from({ length: 2000 }, (_, i) => `user${i}@contoso.onmicrosoft.com`);
const operations = ['LaunchPowerApp', 'LaunchPowerApp', 'LaunchPowerApp', 'LaunchPowerApp', 'DeletePowerApp', 'PowerAppPermissionEdited'];
const trickyNames = ['Sales, "Q4" board', 'Zürich — Ops', 'line one\r\nline two', 'a "" b', ',,,'];
const base = Date.UTC(2025, 0, 1);

function usDate(t) {
  const h = t.getUTCHours();
  const two = (n) => String(n).padStart(2, '0');
  return `${t.getUTCMonth() + 1}/${t.getUTCDate()}/${t.getUTCFullYear()} ${h % 12 || 12}:${two(t.getUTCMinutes())}:${two(t.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

function record() {
  const id = guid();
  const t = new Date(base + Math.floor(rnd() * 365 * 864e5 / 1000) * 1000);
  const iso = t.toISOString().slice(0, 19);
  const op = pick(operations);
  const user = pick(users);
  const app = pick(apps);
  const odd = tricky && rnd() < 0.2;
  const legacyRecord = layout === 'legacy' || rnd() < 0.1;
  const audit = legacyRecord
    ? {
        CreationTime: iso, Id: id, Operation: op, OrganizationId: tenant, RecordType: 45, ResultStatus: 'Succeeded',
        UserKey: hex(16), UserType: 0, Version: 1, Workload: 'PowerApps', ClientIP: '203.0.113.7', ObjectId: app.id,
        UserId: user, AppName: app.id, AppDisplayName: odd ? pick(trickyNames) : app.name,
        AdditionalInfo: JSON.stringify({ environmentName: `Default-${tenant}`, note: odd ? 'x,"y"\r\nz' : '' }),
      }
    : {
        CreationTime: iso, Id: id, Operation: op, OrganizationId: tenant, RecordType: 256, ResultStatus: 'Succeeded',
        UserKey: hex(16), UserType: 0, Version: 1, Workload: 'PowerPlatform', UserId: user,
        PropertyCollection: [
          { Name: 'powerplatform.analytics.resource.type', Value: 'PowerApp' },
          { Name: 'powerplatform.analytics.resource.power_app.id', Value: app.id },
          { Name: 'powerplatform.analytics.resource.power_app.display_name', Value: odd ? pick(trickyNames) : app.name },
          { Name: 'powerplatform.analytics.resource.environment.id', Value: `Default-${tenant}` },
          { Name: 'powerplatform.analytics.resource.environment.name', Value: 'Contoso (default)' },
          { Name: 'enduser.principal_name', Value: user },
          { Name: 'user_agent.original', Value: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Edg/128.0.0.0' },
        ],
      };
  let json = JSON.stringify(audit);
  // Real line breaks inside the quoted AuditData (valid JSON whitespace), as hand-edited exports can hold.
  if (odd && rnd() < 0.5) json = json.replace(',"OrganizationId"', ',\r\n"OrganizationId"');
  const date = dateForm === 'iso' ? q(`${iso}.0000000Z `) : usDate(t);
  if (layout === 'legacy') return [date, field(user), field(op), q(json)].join(',') + eol;
  const units = odd && rnd() < 0.3 ? q('North, "Main"\r\nSouth') : '';
  return [id, date, String(audit.RecordType), field(op), field(user), q(json), units, ''].join(',') + eol;
}

const fd = out ? openSync(out, 'w') : 1;
const header =
  layout === 'legacy'
    ? 'CreationDate,UserIds,Operations,AuditData'
    : 'RecordId,CreationDate,RecordType,Operation,UserId,AuditData,AssociatedAdminUnits,AssociatedAdminUnitsNames';
let batch = (flag('bom') ? '\ufeff' : '') + header + eol;
let written = 0;
for (let i = 0; i < rows && written < maxBytes; i++) {
  const r = record();
  batch += r;
  written += Buffer.byteLength(r);
  if (batch.length > 1 << 20) {
    writeSync(fd, batch);
    batch = '';
  }
}
writeSync(fd, batch);
if (out) closeSync(fd);
