import { describe, expect, it } from 'vitest';
import { PURVIEW_CSV_HEADER, toPurviewCsvRow } from '../../src/csv/index.js';

describe('toPurviewCsvRow', () => {
  it('writes the header of the current layout with CRLF', () => {
    expect(PURVIEW_CSV_HEADER).toBe(
      'RecordId,CreationDate,RecordType,Operation,UserId,AuditData,AssociatedAdminUnits,AssociatedAdminUnitsNames\r\n',
    );
  });

  it('writes one record as an RFC 4180 row with the quoted ISO CreationDate', () => {
    const rec = { CreationTime: '2025-01-15T09:12:44', Id: 'id-1', Operation: 'LaunchPowerApp', RecordType: 256, UserId: 'a@b.com', X: 'say "hi", then\r\nbye' };
    expect(toPurviewCsvRow(rec)).toBe(
      'id-1,"2025-01-15T09:12:44.0000000Z ",256,LaunchPowerApp,a@b.com,' +
        '"{""CreationTime"":""2025-01-15T09:12:44"",""Id"":""id-1"",""Operation"":""LaunchPowerApp"",""RecordType"":256,""UserId"":""a@b.com"",""X"":""say \\""hi\\"", then\\r\\nbye""}",,\r\n',
    );
  });

  it('quotes scalar columns only when needed and keeps a fraction', () => {
    const row = toPurviewCsvRow({ Id: 'x', CreationTime: '2025-01-15T09:12:44.123Z', Operation: 'Op, with comma', UserId: 'u"q' }, { associatedAdminUnits: 'a,b' });
    expect(row.startsWith('x,"2025-01-15T09:12:44.1230000Z ",,"Op, with comma","u""q",')).toBe(true);
    expect(row.endsWith(',"a,b",\r\n')).toBe(true);
  });

  it('leaves a CreationTime that is not ISO as it is, and empty columns for absent fields', () => {
    expect(toPurviewCsvRow({ CreationTime: 'yesterday' })).toBe(',"yesterday",,,,"{""CreationTime"":""yesterday""}",,\r\n');
  });
});
