#!/usr/bin/env node
// Refreshes test/golden/connector/<cloud>/ from the built core (run through `npm run update:golden`, which builds
// first): each cloud's connector as `coe-audit connector build` writes it with the embedded defaults (no config).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { CLOUDS } = await import(join(root, 'build', 'clouds', 'index.js'));
const { buildConnectorVariant, loadConnectorSource } = await import(join(root, 'build', 'connector', 'index.js'));
const { writeTreeAtomic } = await import(join(root, 'build', 'io', 'index.js'));

const source = loadConnectorSource(join(root, 'connector'));
for (const cloud of CLOUDS) {
  const variant = buildConnectorVariant(source, cloud);
  writeTreeAtomic(join(root, 'test', 'golden', 'connector', cloud.id), variant.files);
  console.error(`test/golden/connector/${cloud.id}: ${variant.files.size} files`);
}
