#!/usr/bin/env node
// `npm run check:anchors`: validates every connector coe-audit generates against Microsoft's own published schemas
// in ../shared/anchors/connector-schemas/ (microsoft/PowerPlatformConnectors, schemas/, last changed in 2020).
//
// Those files are read as they are, never copied: their `//` comments are stripped, draft-07's `id` is read as
// `$id`, the draft-04 swagger schema runs on ajv-draft-04, and their editor-only keywords (defaultSnippets,
// examples) are ignored (ajv strict mode off, as swagger-parser runs them). Every error must be either fixed in the
// connector or listed in KNOWN_GAPS below, by name, with the reason the platform accepts what the 2020 schema
// rejects. A gap matches one keyword at one instance path; nothing silences a whole schema. A listed gap that no
// longer occurs is reported too, so the list does not rot.
//
// Exit status: 0 all clean or explained, 1 an unexplained error or a stale gap, 2 the check could not run.
// `--json` prints the result as JSON on stdout (for the test); when ../shared is absent it prints a skip notice.
import { existsSync, readFileSync } from 'node:fs';
import { TextDecoder } from 'node:util';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv07 from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schemaDir = join(root, '..', 'shared', 'anchors', 'connector-schemas');
const json = process.argv.includes('--json');

/**
 * Cases where Microsoft's 2020 schemas reject what the platform accepts. Each: a name, the schema, the instance
 * path and keyword of the error it explains, and why the connector keeps the value.
 */
const KNOWN_GAPS = [];

/**
 * Gaps of the 2020 schemas (connector.md §1.3) that the generated connector steers clear of, so none needs a
 * KNOWN_GAPS entry today. Printed for reviewers; add a KNOWN_GAPS entry if the connector ever adopts one.
 */
const AVOIDED_GAPS = [
  ['redirectMode GlobalPerConnector', 'paconn-apiProperties.schema.json', 'what newer portal connectors use; the connector uses Global'],
  ['customParameters.enableOnbehalfOfLogin', 'paconn-apiProperties.schema.json', 'the portal emits it for aad; the connector omits it'],
  ['scriptOperations and connectionParameterSets', 'paconn-apiProperties.schema.json', 'supported by paconn and the platform; the connector has no script and one connection type'],
  ['settings.json script', 'paconn-settings.schema.json', 'paconn reads and writes it; the connector has no script'],
  ['info.x-ms-keywords and x-ms-openai-*', 'apiDefinition.swagger.schema.json', 'newer platform keys; the connector uses none'],
];

if (!existsSync(schemaDir)) {
  const reason = `skipped: ${schemaDir} is absent (Microsoft's connector schemas are read from ../shared when present)`;
  if (json) console.log(JSON.stringify({ skipped: reason }));
  else console.error(reason);
  process.exit(0);
}

/** Removes `//` line comments outside strings (the two big schemas have some; JSON.parse refuses them). */
function stripLineComments(text) {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else out += c;
  }
  return out;
}

function loadSchema(name) {
  const schema = JSON.parse(stripLineComments(readFileSync(join(schemaDir, name), 'utf8')));
  return schema;
}

let validators;
try {
  const definition = loadSchema('apiDefinition.swagger.schema.json');
  const properties = loadSchema('paconn-apiProperties.schema.json');
  const settings = loadSchema('paconn-settings.schema.json');
  // Draft-07 files carry the draft-04 `id`; ajv 8 wants `$id`.
  for (const s of [properties, settings]) {
    if (s.id !== undefined) {
      s.$id = s.id;
      delete s.id;
    }
  }
  const ajv04 = new AjvDraft04({ allErrors: true, strict: false });
  addFormats(ajv04);
  const ajv07 = new Ajv07({ allErrors: true, strict: false });
  addFormats(ajv07);
  validators = {
    'apiDefinition.swagger.json': { schema: 'apiDefinition.swagger.schema.json', validate: ajv04.compile(definition) },
    'apiProperties.json': { schema: 'paconn-apiProperties.schema.json', validate: ajv07.compile(properties) },
    'settings.json': { schema: 'paconn-settings.schema.json', validate: ajv07.compile(settings) },
  };
} catch (e) {
  console.error(`check:anchors: cannot load the schemas in ${schemaDir}: ${e.message}`);
  process.exit(2);
}

const { CLOUDS } = await import(join(root, 'build', 'clouds', 'index.js'));
const { buildConnectorVariant, loadConnectorSource } = await import(join(root, 'build', 'connector', 'index.js'));
const source = loadConnectorSource(join(root, 'connector'));

/**
 * Errors of a `oneOf`/`anyOf` union are reported by ajv once per branch. Keep, per instance path, only the
 * deepest errors: they say what is really wrong.
 */
function deepest(errors) {
  return errors.filter((e) => !errors.some((o) => o !== e && o.instancePath.startsWith(`${e.instancePath}/`)));
}

const unexplained = [];
const explained = [];
const used = new Set();
for (const cloud of CLOUDS) {
  const variant = buildConnectorVariant(source, cloud);
  for (const [file, { schema, validate }] of Object.entries(validators)) {
    const doc = JSON.parse(new TextDecoder().decode(variant.files.get(file)));
    if (validate(doc)) continue;
    const seen = new Set();
    for (const e of deepest(validate.errors)) {
      const key = `${e.instancePath} ${e.keyword} ${e.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const gap = KNOWN_GAPS.find((g) => g.schema === schema && g.instancePath === e.instancePath && g.keyword === e.keyword);
      const row = { cloud: cloud.id, file, schema, instancePath: e.instancePath || '/', keyword: e.keyword, message: e.message, params: e.params };
      if (gap) {
        used.add(gap.name);
        explained.push({ ...row, gap: gap.name, reason: gap.reason });
      } else unexplained.push(row);
    }
  }
}
const stale = KNOWN_GAPS.filter((g) => !used.has(g.name)).map((g) => g.name);

/**
 * Probes: documents the schemas are known to reject (connector.md §1.3). If one passes, the schemas were not
 * really applied (a loading mistake), and the clean result above would mean nothing.
 */
const commercial = buildConnectorVariant(source, CLOUDS[0]);
const parsed = (file) => JSON.parse(new TextDecoder().decode(commercial.files.get(file)));
const PROBES = [
  ['operation x-ms-visibility ""', 'apiDefinition.swagger.json', (d) => (Object.values(d.paths)[0].post['x-ms-visibility'] = '')],
  ['swagger host with a scheme', 'apiDefinition.swagger.json', (d) => (d.host = `https://${d.host}`)],
  ['redirectMode GlobalPerConnector', 'apiProperties.json', (d) => (d.properties.connectionParameters.token.oAuthSettings.redirectMode = 'GlobalPerConnector')],
  ['boolean constraints.hidden', 'apiProperties.json', (d) => (d.properties.connectionParameters['token:TenantId'].uiDefinition.constraints.hidden = true)],
  ['settings.json with script', 'settings.json', (d) => (d.script = 'script.csx')],
];
const probes = PROBES.map(([name, file, edit]) => {
  const doc = parsed(file);
  edit(doc);
  return { name, file, rejected: !validators[file].validate(doc) };
});
const probeFailures = probes.filter((p) => !p.rejected).map((p) => p.name);
const result = { checked: CLOUDS.length * Object.keys(validators).length, unexplained, explained, stale, probes };

if (json) console.log(JSON.stringify(result, null, 2));
else {
  console.log(`Validated ${CLOUDS.length} connector variants x ${Object.keys(validators).length} files against ${schemaDir}`);
  const byGap = new Map();
  for (const e of explained) byGap.set(e.gap, [...(byGap.get(e.gap) ?? []), e]);
  for (const g of KNOWN_GAPS) {
    const hits = byGap.get(g.name) ?? [];
    console.log(`  accepted: ${g.name} (${g.schema} ${g.instancePath} ${g.keyword}) in ${hits.length} file(s): ${g.reason}`);
  }
  for (const e of unexplained) console.log(`  ERROR ${e.cloud}/${e.file}: ${e.instancePath} ${e.keyword}: ${e.message} ${JSON.stringify(e.params)}`);
  for (const name of stale) console.log(`  STALE gap '${name}': no longer occurs; remove it from KNOWN_GAPS`);
  for (const [name, schema, why] of AVOIDED_GAPS) console.log(`  known gap, avoided: ${name} (${schema}): ${why}`);
  for (const p of probes) console.log(`  probe: ${p.name} is ${p.rejected ? 'rejected, as expected' : 'ACCEPTED: the schema was not applied'}`);
  console.log(unexplained.length === 0 && stale.length === 0 && probeFailures.length === 0 ? 'OK: every generated file passes or its difference is explained.' : 'FAILED');
}
process.exit(unexplained.length === 0 && stale.length === 0 && probeFailures.length === 0 ? 0 : 1);
