import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runBuiltCli, runCliInProcess } from '../helpers/run-cli.js';

const FIX = join(REPO_ROOT, 'test', 'wdl', 'fixtures');
const SOLUTION = join(FIX, 'solution');
const STORE = join(FIX, 'store.yaml');

describe('coe-audit flow run', () => {
  it('runs a flow by display name from a solution folder and prints the history as JSON (built CLI)', async () => {
    const r = await runBuiltCli(['flow', 'run', 'admin | mark last run', '--solution', SOLUTION, '--store', STORE, '--input', '{"text":"pass"}', '--now', '2026-03-01T08:00:00Z', '--output', 'json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { status: string; flow: string; response: { body: unknown }; actions: { name: string; status: string }[] };
    expect(out.flow).toBe('Admin | Mark Last Run');
    expect(out.status).toBe('Succeeded');
    expect(out.response.body).toEqual({ operation: 'pass', response: '200' });
    expect(out.actions.map((a) => `${a.name}:${a.status}`)).toEqual(['Get_ID:Succeeded', 'Update_Last_Run:Succeeded', 'Respond:Succeeded', 'Fail_if_not_updated:Succeeded']);
  });

  it('is deterministic: the same run twice gives the same bytes', async () => {
    const args = ['flow', 'run', join(SOLUTION, 'Workflows', 'AdminMarkLastRun-0D5C1E52-5B53-4C59-9F0B-2B1E7C4A0001.json'), '--store', STORE, '--input', '{"text":"x"}', '--now', '2026-03-01T08:00:00Z', '--output', 'json'];
    const a = await runCliInProcess(args);
    const b = await runCliInProcess(args);
    expect(a.stdout).toBe(b.stdout);
  });

  it('exits 1 when the run fails, with the history as text', async () => {
    // Without the metadata row the update has no record id: the flow records it and terminates Failed.
    const r = await runCliInProcess(['flow', 'run', 'Admin | Mark Last Run', '--solution', SOLUTION, '--input', '{"text":"pass"}', '--now', '2026-03-01T08:00:00Z']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/Failed\s+Update_Last_Run/);
    expect(r.stdout).toMatch(/Admin \| Mark Last Run: Failed/);
    expect(r.stdout).toMatch(/error: 500: Last run not recorded/);
  });

  it.each([
    [['flow', 'run', 'nope', '--solution', SOLUTION], /has no flow 'nope'; its flows are: 'Admin \| Mark Last Run'/],
    [['flow', 'run', 'nope'], /flow 'nope' is not a file/],
    [['flow', 'run', 'Admin | Mark Last Run', '--solution', SOLUTION, '--input', '{'], /--input is not valid JSON/],
    [['flow', 'run', 'Admin | Mark Last Run', '--solution', SOLUTION, '--input', '{}'], /must have required property 'text'/],
    [['flow', 'run', 'Admin | Mark Last Run', '--solution', SOLUTION, '--now', 'yesterday'], /--now 'yesterday' is not an ISO 8601 timestamp/],
    [['flow', 'run', 'Admin | Mark Last Run', '--solution', SOLUTION, '--store', join(FIX, 'missing.yaml')], /missing.yaml: cannot read/],
  ])('exits 2 with one line: %j', async (args, message) => {
    const r = await runCliInProcess(args);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });
});
