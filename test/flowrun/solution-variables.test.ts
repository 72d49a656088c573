import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { solutionEnvironmentVariables } from '../../src/flowrun/locate.js';
import { readSourceTree } from '../../src/solution/index.js';
import { REPO_ROOT } from '../helpers/run-cli.js';

describe('the environment variable definitions a solution ships, as flow run seeds them', () => {
  const folder = join(REPO_ROOT, 'test', 'golden', 'solution', 'commercial', 'coe', 'solution');
  const vars = solutionEnvironmentVariables(readSourceTree(folder), folder);
  const byName = new Map(vars.map((v) => [v.schemaName, v]));

  it('reads every definition with its type and default value', () => {
    expect(byName.get('admin_AuditLogsWriteRowByRow')).toEqual({ schemaName: 'admin_AuditLogsWriteRowByRow', type: 'boolean', defaultValue: 'no' });
    // The coe edition ships only its own variables; the standalone edition ships the Secret one too.
    expect(byName.get('admin_AuditLogsClientAzureSecret')).toBeUndefined();
    const standalone = join(REPO_ROOT, 'test', 'golden', 'solution', 'commercial', 'standalone', 'solution');
    const own = solutionEnvironmentVariables(readSourceTree(standalone), standalone);
    expect(own.find((v) => v.schemaName === 'coeaudit_AuditLogsClientAzureSecret')?.type).toBe('secret');
  });

  it('keeps a definition the solution ships without a value (the Sync watermark), so the flow can write its first value', () => {
    const watermark = byName.get('admin_AuditLogsSyncWatermark');
    expect(watermark).toBeDefined();
    expect(watermark!.type).toBe('string');
    expect(watermark!.defaultValue).toBeUndefined();
  });
});
