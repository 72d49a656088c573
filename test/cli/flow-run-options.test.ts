import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { variablesNeeded } from '../../src/flowrun/run.js';
import { REPO_ROOT, runCliInProcess } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';

/** flow run: partial names, --input-file / @file, --csv, and the variables check before an --emulator run. */
const EXAMPLES = join(REPO_ROOT, 'examples');
const NOW = '2026-03-01T08:00:00Z';
let solution: string;
let work: string;

beforeAll(async () => {
  work = makeTempDir('flow-run');
  const r = await runCliInProcess(['build', '--cloud', 'commercial', '--packagetype', 'Unmanaged', '--output-directory', join(work, 'dist'), '--quiet']);
  expect(r.status, r.stderr).toBe(0);
  solution = join(work, 'dist', 'commercial', 'coe', 'solution');
});

describe('flow run options', () => {
  it('accepts a unique part of a display name', async () => {
    const r = await runCliInProcess(['flow', 'run', 'subscription', '--solution', solution, '--start-emulator', '--input', '{"text":"start"}', '--now', NOW, '-o', 'json']);
    expect(r.status, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { flow: string }).flow).toBe('coe-audit | Office 365 Management API Subscription');
  });

  it('refuses an ambiguous part with exit 2, listing the candidates', async () => {
    const r = await runCliInProcess(['flow', 'run', 'coe-audit', '--solution', solution]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/'coe-audit' matches 3 flows: 'coe-audit \| Load events.*', 'coe-audit \| Office 365 .*', 'coe-audit \| Sync Audit Logs'; give more of the name/);
  });

  it('reads the trigger body from --input-file and from --input @file, the same as inline', async () => {
    const body = join(work, 'body.json');
    writeFileSync(body, '{"text":"start"}');
    const base = ['flow', 'run', 'Subscription', '--solution', solution, '--start-emulator', '--now', NOW, '-o', 'json'];
    const inline = await runCliInProcess([...base, '--input', '{"text":"start"}']);
    const file = await runCliInProcess([...base, '--input-file', body]);
    const at = await runCliInProcess([...base, '--input', `@${body}`]);
    expect(inline.status, inline.stderr).toBe(0);
    expect(file.stdout).toBe(inline.stdout);
    expect(at.stdout).toBe(inline.stdout);
    const bad = join(work, 'bad.json');
    writeFileSync(bad, '{');
    const r = await runCliInProcess([...base, '--input-file', bad]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${bad}: is not valid JSON`);
  });

  it('--csv runs the CSV flow on a file of any size, without naming the flow', async () => {
    const r = await runCliInProcess(['flow', 'run', '--csv', join(EXAMPLES, 'purview-export.csv'), '--solution', solution, '--store', join(EXAMPLES, 'store.yaml'), '--now', NOW, '-o', 'json']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { flow: string; status: string };
    expect(out.flow).toBe('coe-audit | Load events from exported Audit Log CSV file');
    expect(out.status).toBe('Succeeded');
  });

  it('--emulator: names every missing variable before the run starts', async () => {
    const r = await runCliInProcess(['flow', 'run', 'Sync', '--solution', solution, '--emulator', 'http://127.0.0.1:9', '--now', NOW]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    // The coe edition ships none of CoE Core's variables (Core owns them), so the solution seeds no definition or
    // default for them and every one the flow reads is named.
    expect(r.stderr).toMatch(/needs environment variables admin_TenantID, admin_AuditLogsAudience, admin_AuditLogsAuthority, admin_AuditLogsClientID, admin_PowerAutomateEnvironmentVariable, admin_GraphURLEnvironmentVariable, admin_AuditLogsClientAzureSecret, which the run does not set/);
    expect(r.stderr).toMatch(/--start-emulator, which seeds them/);
  });

  it('lists the variables a flow needs from its definition', () => {
    const flow = {
      properties: {
        definition: {
          parameters: { a: { defaultValue: '', metadata: { schemaName: 'admin_A' } }, b: { defaultValue: 5, metadata: { schemaName: 'admin_B' } } },
          actions: { s: { inputs: { parameters: { actionName: 'RetrieveEnvironmentVariableSecretValue', 'item/EnvironmentVariableName': 'admin_S' } } } },
        },
      },
    };
    expect(variablesNeeded(flow)).toEqual(['admin_A', 'admin_S']);
  });
});
