#!/usr/bin/env node
// Rewrites test/golden/solution/<cloud>/<edition>/ from the built core (run by `npm run update:golden`, after
// `npm run build`): each cloud's and edition's unpacked solution and deployment settings exactly as `coe-audit build`
// produces them with the embedded defaults (no coe-audit.config.yaml). Review `git diff test/golden/solution` before committing.
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { buildArtefacts } = await import(join(root, 'build', 'audit-solution', 'index.js'));
const { CLOUDS } = await import(join(root, 'build', 'clouds', 'index.js'));
const { writeTreeAtomic } = await import(join(root, 'build', 'io', 'index.js'));

const target = join(root, 'test', 'golden', 'solution');
rmSync(target, { recursive: true, force: true });
for (const built of await buildArtefacts({ clouds: CLOUDS, config: {} })) {
  // The unpacked solution and the deployment settings; zips are checked by the byte-identity tests instead.
  const files = new Map([...built.files].filter(([path]) => path.startsWith('solution/') || path === 'deployment-settings.json'));
  writeTreeAtomic(join(target, built.cloud, built.edition), files);
  console.error(`test/golden/solution/${built.cloud}/${built.edition}: ${files.size} files`);
}
