#!/usr/bin/env node
// Writes connector/icon.png: a 230x230 opaque square of the connector's iconBrandColor (read from
// connector/apiProperties.yaml), so the icon and the colour can never disagree. Deterministic: the same colour
// gives the same bytes. Run it after changing iconBrandColor: `npm run build && node scripts/make-icon.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { encodeSolidPng } = await import(join(root, 'build', 'connector', 'png.js'));
const color = parse(readFileSync(join(root, 'connector', 'apiProperties.yaml'), 'utf8')).properties.iconBrandColor;
if (!/^#[0-9a-fA-F]{6}$/.test(color)) throw new Error(`iconBrandColor ${color} is not #rrggbb`);
const png = encodeSolidPng(230, 230, color.toLowerCase());
writeFileSync(join(root, 'connector', 'icon.png'), png);
console.error(`connector/icon.png: 230x230, ${color}, ${png.length} bytes`);
