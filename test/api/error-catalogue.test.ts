import { describe, expect, it } from 'vitest';
import { AF_CODES, afMessage, explainApiError, HTTP_STATUSES, isRetryable } from '../../src/api/index.js';

/** Every AF code and HTTP status of activity-api.md §1.10. */
const DOC_CODES = [
  'AF10001', 'AF20001', 'AF20002', 'AF20003', 'AF20010', 'AF20011', 'AF20012', 'AF20013', 'AF20020', 'AF20021', 'AF20022', 'AF20023',
  'AF20024', 'AF20030', 'AF20031', 'AF20050', 'AF20051', 'AF20052', 'AF20053', 'AF20054', 'AF20055', 'AF429', 'AF50000', 'AF50005', 'AF50006',
];
const DOC_STATUSES = [400, 401, 403, 404, 408, 429, 500, 503];

describe('error catalogue', () => {
  it('covers exactly the documented AF codes and the HTTP statuses', () => {
    expect(Object.keys(AF_CODES).sort()).toEqual([...DOC_CODES].sort());
    for (const s of DOC_STATUSES) expect(HTTP_STATUSES[s], `HTTP ${s}`).toBeDefined();
  });

  it.each(DOC_CODES)('%s has one message saying what it means and what to do', (code) => {
    const line = explainApiError(400, code, 'service text');
    expect(line.startsWith(`${code} (HTTP 400): ${AF_CODES[code]!.meaning}. ${AF_CODES[code]!.fix}`)).toBe(true);
    expect(line).toContain('The service said: "service text"');
    expect(line).not.toContain('\n');
    expect(AF_CODES[code]!.fix.length).toBeGreaterThan(10);
  });

  it.each(DOC_STATUSES)('HTTP %i alone is explained', (status) => {
    expect(explainApiError(status)).toBe(`HTTP ${status}: ${HTTP_STATUSES[status]!.meaning}. ${HTTP_STATUSES[status]!.fix}`);
  });

  it('fills the service messages as the API words them', () => {
    expect(afMessage('AF20010', 'a', 'b')).toBe('The tenant ID passed in the URL (a) does not match the tenant ID passed in the access token (b).');
    expect(afMessage('AF429', 'GetBlob', '00000000-0000-0000-0000-000000000000')).toBe('Too many requests. Method=GetBlob, PublisherId=00000000-0000-0000-0000-000000000000');
    expect(afMessage('AF20031', 'x')).toBe('Invalid nextPage Input: x.');
    expect(afMessage('AF20021', 'https://h', 'The address must begin with HTTPS.')).toBe('The webhook endpoint https://h could not be validated. The address must begin with HTTPS.');
  });

  it('names what to do for the codes admins hit most', () => {
    expect(explainApiError(403, 'AF10001')).toMatch(/Application permission ActivityFeed\.Read.*admin consent/);
    expect(explainApiError(400, 'AF20024')).toMatch(/already enabled.*success/);
    expect(explainApiError(400, 'AF20023')).toMatch(/subscription start/);
    expect(explainApiError(401)).toMatch(/audience/);
  });

  it('classifies retries as Elastic does', () => {
    for (const c of ['AF429', 'AF50000', 'AF50005', 'AF50006', 'AF20031']) expect(isRetryable(500, c)).toBe(true);
    for (const c of ['AF10001', 'AF20010', 'AF20022', 'AF20030', 'AF20051']) expect(isRetryable(400, c)).toBe(false);
    expect(isRetryable(503)).toBe(true);
    expect(isRetryable(404)).toBe(false);
  });
});
