import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CLOUDS } from '../../src/clouds/index.js';
import { REPO_ROOT } from '../helpers/run-cli.js';

interface StepT {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface JobT {
  needs?: string;
  strategy: { matrix: { cloud?: string[]; include?: { cloud: string; 'pac-cloud': string }[] } };
  steps: StepT[];
}

/** The CI template cannot run here: its YAML is parsed and its structure asserted. */
describe('.github/workflows/coe-audit.yml', () => {
  const wf = parse(readFileSync(join(REPO_ROOT, '.github', 'workflows', 'coe-audit.yml'), 'utf8')) as { jobs: Record<string, JobT> };

  it('builds the four clouds of the cloud table in a matrix with coe-audit build', () => {
    const build = wf.jobs.build!;
    expect(build.strategy.matrix.cloud).toEqual(CLOUDS.map((c) => c.id));
    const run = build.steps.map((s) => s.run ?? '').join('\n');
    expect(run).toContain('npm ci');
    expect(run).toMatch(/build\/cli\/main\.js build --cloud \$\{\{ matrix\.cloud \}\}/);
  });

  it('imports each cloud with import-solution and its deployment settings file, with pac’s cloud name', () => {
    const imp = wf.jobs.import!;
    expect(imp.needs).toBe('build');
    expect(imp.strategy.matrix.include).toEqual(CLOUDS.map((c) => ({ cloud: c.id, 'pac-cloud': c.pacName })));
    const step = imp.steps.find((s) => s.uses?.startsWith('microsoft/powerplatform-actions/import-solution@'))!;
    expect(step).toBeDefined();
    expect(step.with).toMatchObject({
      'use-deployment-settings-file': true,
      'deployment-settings-file': 'artefacts/dist/${{ matrix.cloud }}/${{ inputs.edition }}/deployment-settings.json',
      cloud: '${{ matrix.pac-cloud }}',
    });
    // dist/<cloud>/<edition>/: the edition chosen when the workflow is run, coe by default.
    expect(step.with!['solution-file']).toBe(
      "artefacts/dist/${{ matrix.cloud }}/${{ inputs.edition }}/${{ inputs.edition == 'standalone' && 'CoEAuditLogsStandalone' || 'CoEAuditLogs' }}_${{ matrix.cloud }}_managed.zip",
    );
    expect(imp.steps.some((s) => s.uses?.startsWith('microsoft/powerplatform-actions/actions-install@'))).toBe(true);
  });
});
