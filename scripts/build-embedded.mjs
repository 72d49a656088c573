#!/usr/bin/env node
// Part of `npm run build`, after tsc: parses and checks the package's own YAML sources once (connector/*.yaml with
// the connector loader's checks, solution/solution.yaml with the solution schema, solution/tables/*.yaml with the table schema) and stores each as JSON, with the
// SHA-256 of its text, under build/embedded/ (src/io/embedded.ts reads them). A source that does not load fails
// the build with its file:line:column problems.
import { join } from 'node:path';
import { readFileSync } from 'node:fs';

const build = join(import.meta.dirname, '..', 'build');
const { EMBEDDED_DIR, sha256 } = await import(join(build, 'io', 'embedded.js'));
const { writeTreeAtomic } = await import(join(build, 'io', 'atomic-write.js'));
const { parseYaml } = await import(join(build, 'io', 'yaml.js'));
const { DEFAULT_CONNECTOR_ROOT, SOURCE_FILE_NAMES } = await import(join(build, 'connector', 'source.js'));
const { parseSolutionSource, SOLUTION_SOURCE_FILE } = await import(join(build, 'audit-solution', 'source.js'));
const { parseTableDefinitions, TABLE_DEFINITION_FILES } = await import(join(build, 'store', 'schema.js'));

const files = new Map();
const store = (name, text, value) => files.set(`${name}.json`, JSON.stringify({ sha256: sha256(text), value }));
try {
  for (const key of ['apiDefinition', 'apiProperties']) {
    const file = join(DEFAULT_CONNECTOR_ROOT, SOURCE_FILE_NAMES[key]);
    const text = readFileSync(file, 'utf8');
    store(`connector-${key}`, text, parseYaml(text, file));
  }
  const text = readFileSync(SOLUTION_SOURCE_FILE, 'utf8');
  store('solution', text, parseSolutionSource(text, SOLUTION_SOURCE_FILE));
  for (const [edition, file] of Object.entries(TABLE_DEFINITION_FILES)) {
    const tables = readFileSync(file, 'utf8');
    try {
      store(`tables-${edition}`, tables, parseTableDefinitions(tables, file));
    } catch (e) {
      // Not stored: a run parses the YAML and reports the same problem where the definitions are used.
      console.error(`build-embedded: warning: ${e.message.split('\n')[0]}`);
    }
  }
} catch (e) {
  console.error(`build-embedded: ${e.message}`);
  process.exit(1);
}
writeTreeAtomic(EMBEDDED_DIR, files);
