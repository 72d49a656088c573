import { describe, expect, it } from 'vitest';
import { generateSeededData } from '../../src/api/emulator/records.js';

const base = { seed: 4, tenantId: '0c4f7e7a-2f3b-4b8e-9f59-2d0f7d1b8a11', now: Date.parse('2026-01-05T00:00:00Z'), hours: 6, eventsPerHour: 100, eventsPerBlob: 20, duplicateRate: 0.02, latencyMinutes: [60, 90] as [number, number] };

describe('generateSeededData', () => {
  it('seeds the four other content types unless told not to; Audit.General is the same either way', () => {
    const all = generateSeededData(base);
    const generalOnly = generateSeededData({ ...base, otherContentTypes: false });
    expect(new Set(all.otherBlobs.map((b) => b.contentType))).toEqual(new Set(['Audit.AzureActiveDirectory', 'Audit.Exchange', 'Audit.SharePoint', 'DLP.All']));
    expect(generalOnly.otherBlobs).toEqual([]);
    expect(generalOnly.blobs).toEqual(all.blobs);
    expect(generalOnly.events).toEqual(all.events);
  });
});
