import { describe, expect, it } from 'vitest';
import { CLOUDS, allCloudHosts, cloudOfGraphHost, cloudOfManagementHost, findCloud, resolveCloud, resolveClouds } from '../../src/clouds/index.js';
import { UsageError } from '../../src/errors.js';

describe('cloud table', () => {
  it.each([
    ['commercial', 'commercial'],
    ['Public', 'commercial'],
    ['PUBLIC', 'commercial'],
    ['gcc', 'gcc'],
    ['UsGov', 'gcc'],
    ['GccHigh', 'gcchigh'],
    ['usgovhigh', 'gcchigh'],
    ['DOD', 'dod'],
    ['UsGovDod', 'dod'],
  ])('resolves %s to %s', (given, want) => {
    expect(resolveCloud(given).id).toBe(want);
  });

  it('rejects an unknown cloud with the accepted names', () => {
    expect(findCloud('china')).toBeUndefined();
    expect(() => resolveCloud('china')).toThrow(UsageError);
    expect(() => resolveCloud('china')).toThrow(/commercial, Public, gcc, UsGov, gcchigh, UsGovHigh, dod, UsGovDod/);
  });

  it('resolves all, lists and comma lists in table order without repeats', () => {
    expect(resolveClouds('all').map((c) => c.id)).toEqual(['commercial', 'gcc', 'gcchigh', 'dod']);
    expect(resolveClouds(undefined)).toHaveLength(4);
    expect(resolveClouds('dod,Public,commercial').map((c) => c.id)).toEqual(['commercial', 'dod']);
    expect(resolveClouds(['UsGovHigh']).map((c) => c.id)).toEqual(['gcchigh']);
  });

  it('keeps every cloud internally consistent', () => {
    for (const c of CLOUDS) {
      expect(c.managementAudience).toBe(`https://${c.managementHost}`);
      expect(c.connector.loginUri).toBe(c.authorityUrl);
      expect(cloudOfManagementHost(c.managementAudience)?.id).toBe(c.id);
      expect(c.graphUrl).toBe(`https://${c.graphHost}`);
      expect(c.graphAuditQueriesBasis.startsWith(c.graphAuditQueriesAvailable ? 'offered: ' : 'not offered: ')).toBe(true);
      for (const u of [c.managementAudience, c.authorityUrl, c.graphUrl, c.connector.redirectUrl, c.powerAutomateUrl]) {
        expect(u).toMatch(/^https:\/\/[a-z0-9.-]+(\/[a-z]+)?$/);
      }
    }
    // Values from activity-api.md §2.1: US-government login for GCC High and DoD only.
    expect(CLOUDS.filter((c) => c.authorityUrl.endsWith('.us')).map((c) => c.id)).toEqual(['gcchigh', 'dod']);
    expect(new Set(CLOUDS.map((c) => c.managementHost)).size).toBe(4);
  });

  it('offers the Graph audit log query API where Graph is the global service only (docs/clouds.md)', () => {
    expect(CLOUDS.filter((c) => c.graphAuditQueriesAvailable).map((c) => c.id)).toEqual(['commercial', 'gcc']);
    expect(CLOUDS.filter((c) => c.graphAuditQueriesAvailable).every((c) => c.graphHost === CLOUDS[0]!.graphHost)).toBe(true);
    expect(cloudOfGraphHost(CLOUDS[0]!.graphUrl + '/v1.0/security')?.id).toBe('commercial');
    expect(cloudOfGraphHost(CLOUDS[3]!.graphHost)?.id).toBe('dod');
    expect(cloudOfGraphHost('example.org')).toBeUndefined();
  });

  it('lists each host once per cloud', () => {
    const hosts = allCloudHosts();
    expect(hosts.filter((h) => h.cloud === 'commercial').map((h) => h.host)).toEqual([
      'manage.office.com',
      'login.windows.net',
      'login.microsoftonline.com',
      'graph.microsoft.com',
      'global.consent.azure-apim.net',
      'make.powerautomate.com',
    ]);
  });
});
