import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/api/index.js';
import { runCli } from '../../src/cli/program.js';
import { REPO_ROOT } from '../helpers/run-cli.js';
import { makeTempDir } from '../helpers/temp-dir.js';

/**
 * Every shell example in the docs runs as written (so a page that drifts from the CLI fails CI): each `coe-audit`
 * line of a ```sh block, outside the Usage synopsis, runs in-process in a sandbox that holds a copy of examples/
 * and a fresh `coe-audit build` in dist/. Lines of a page run in order, in one sandbox per page.
 * - Activity API commands (content, subscription, doctor) talk to an emulator serving the cloud they name, with the
 *   tenant and client of examples/coe-audit.config.yaml, and the secret in COE_AUDIT_CLIENT_SECRET, as the docs say;
 *   with `--api`, its Graph audit log query API too (`--graph-url`).
 * - `emulator start` runs in the background until the page is done; `http://127.0.0.1:<port>` in later lines of the
 *   page is its address, and its client secret is COE_AUDIT_CLIENT_SECRET for them.
 * - `> file` is supported; any other shell construct fails the test (write examples as plain commands).
 * Each example must exit 0, or the status its line states with a trailing `# exit N`.
 */

const TENANT = '11111111-2222-4333-8444-555555555555';
const CLIENT = '66666666-7777-4888-8999-000000000000';
const API_NOUNS = new Set(['content', 'subscription', 'doctor']);

interface Example {
  page: string;
  line: number;
  text: string;
}

/** The runnable lines of a page: `coe-audit …` lines of sh blocks, except the block under `## Usage`. */
export function examplesOf(page: string, markdown: string): Example[] {
  const out: Example[] = [];
  let heading = '';
  let inBlock = false;
  let runnable = false;
  markdown.split('\n').forEach((raw, i) => {
    const line = raw.trimEnd();
    if (!inBlock && /^#{1,6} /.test(line)) heading = line.replace(/^#+ /, '');
    if (/^```/.test(line)) {
      if (inBlock) inBlock = false;
      else {
        inBlock = true;
        runnable = /^```(sh|bash|shell)$/.test(line) && heading !== 'Usage';
      }
      return;
    }
    if (inBlock && runnable && /^coe-audit( |$)/.test(line.trim())) out.push({ page, line: i + 1, text: line.trim() });
  });
  return out;
}

/** Shell words of a plain command line: quotes, `> file`, a trailing `# exit N`; anything else is refused. */
export function parseLine(text: string): { argv: string[]; redirect?: string; expect: number } {
  let expectStatus = 0;
  const m = /\s+#\s*exit (\d)\s*$/.exec(text);
  if (m) {
    expectStatus = Number(m[1]);
    text = text.slice(0, m.index);
  }
  const words: string[] = [];
  let redirect: string | undefined;
  let i = 0;
  let pendingRedirect = false;
  while (i < text.length) {
    if (text[i] === ' ') {
      i++;
      continue;
    }
    if (text[i] === '>') {
      pendingRedirect = true;
      i++;
      continue;
    }
    if (/[|&;<`$()*?]/.test(text[i]!)) throw new Error(`not a plain command (found '${text[i]}'): ${text}`);
    let word = '';
    while (i < text.length && text[i] !== ' ') {
      const c = text[i]!;
      if (c === "'" || c === '"') {
        const close = text.indexOf(c, i + 1);
        if (close < 0) throw new Error(`unclosed quote: ${text}`);
        word += text.slice(i + 1, close);
        i = close + 1;
      } else if (/[|&;<>`$()*?]/.test(c)) {
        throw new Error(`not a plain command (found '${c}'): ${text}`);
      } else {
        word += c;
        i++;
      }
    }
    if (pendingRedirect) {
      redirect = word;
      pendingRedirect = false;
    } else words.push(word);
  }
  return { argv: words, ...(redirect !== undefined ? { redirect } : {}), expect: expectStatus };
}

const pages = [join(REPO_ROOT, 'README.md'), ...readdirSync(join(REPO_ROOT, 'docs'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md')).map((f) => join(REPO_ROOT, 'docs', f))].sort();
const byPage = pages
  .map((p) => ({ page: p.slice(REPO_ROOT.length + 1), examples: examplesOf(p.slice(REPO_ROOT.length + 1), readFileSync(p, 'utf8')) }))
  .filter((p) => p.examples.length > 0);

const emulators = new Map<string, RunningEmulator>();
let dist: string;

async function emulatorFor(cloud: string): Promise<RunningEmulator> {
  let emu = emulators.get(cloud);
  if (!emu) {
    emu = await startEmulator({ https: true, cloud, seed: 5, tenantId: TENANT, clientId: CLIENT, days: 2, eventsPerHour: 2, graphQueryStartSeconds: 0, graphQuerySeconds: 1 });
    emulators.set(cloud, emu);
  }
  return emu;
}

beforeAll(async () => {
  dist = makeTempDir('docs-dist');
  const status = await runCli(['build', '--output-directory', join(dist, 'dist'), '--quiet'], { stdout: () => {}, stderr: () => {}, env: {}, cwd: dist });
  expect(status).toBe(0);
});

afterAll(async () => {
  for (const emu of emulators.values()) await emu.close();
});

describe('every shell example in the docs runs as written', () => {
  it('finds the examples', () => {
    expect(byPage.length).toBeGreaterThan(15);
    expect(() => parseLine('coe-audit x | head')).toThrow(/not a plain command/);
    expect(parseLine(`coe-audit flow run "A | B" --input '{"a":1}' > out.json # exit 1`)).toEqual({ argv: ['coe-audit', 'flow', 'run', 'A | B', '--input', '{"a":1}'], redirect: 'out.json', expect: 1 });
  });

  for (const { page, examples } of byPage) {
    it(page, async () => {
      const cwd = makeTempDir('docs');
      for (const folder of ['examples', 'connector', 'solution']) cpSync(join(REPO_ROOT, folder), join(cwd, folder), { recursive: true });
      cpSync(join(dist, 'dist'), join(cwd, 'dist'), { recursive: true });
      const background: { stop: () => void; done: Promise<number> }[] = [];
      const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, COE_AUDIT_TENANT_ID: TENANT, COE_AUDIT_CLIENT_ID: CLIENT };
      let local: { written: string; actual: string; secret: string; caFile: string | null } | undefined;
      try {
        for (const ex of examples) {
          const where = `${ex.page}:${ex.line}: ${ex.text}`;
          const parsed = parseLine(ex.text);
          let argv = parsed.argv.slice(1);
          if (local) argv = argv.map((a) => a.split(local!.written).join(local!.actual));
          let stdout = '';
          let stderr = '';
          const io = { stdout: (t: string) => (stdout += t), stderr: (t: string) => (stderr += t), env: { ...env }, cwd };
          if (argv[0] === 'emulator' && argv[1] === 'start') {
            const portAt = argv.indexOf('--port');
            const written = portAt >= 0 ? `127.0.0.1:${argv[portAt + 1]}` : undefined;
            if (portAt >= 0) argv[portAt + 1] = '0';
            let stop: () => void = () => {};
            const done = runCli(argv, { ...io, onInterrupt: (h) => (stop = h) });
            background.push({ stop: () => stop(), done });
            for (let i = 0; i < 600 && !stdout.includes('\n'); i++) await new Promise((r) => setTimeout(r, 50));
            const printed = JSON.parse(stdout) as { managementUrl: string; clientSecret: string; caFile: string | null };
            if (written) local = { written, actual: new URL(printed.managementUrl).host, secret: printed.clientSecret, caFile: printed.caFile };
            env.COE_AUDIT_CLIENT_SECRET = printed.clientSecret;
            continue;
          }
          if (API_NOUNS.has(argv[0]!) && local && argv.includes('--management-url')) {
            // Pointed at the emulator the page started: its secret and CA, as the page tells the reader to export.
            io.env = { ...io.env, COE_AUDIT_CLIENT_SECRET: local.secret, ...(local.caFile ? { NODE_EXTRA_CA_CERTS: local.caFile } : {}) };
          } else if (API_NOUNS.has(argv[0]!)) {
            const cloudAt = argv.indexOf('--cloud');
            const emu = await emulatorFor(cloudAt >= 0 ? argv[cloudAt + 1]!.toLowerCase() : 'commercial');
            io.env = { ...io.env, COE_AUDIT_CLIENT_SECRET: emu.clientSecret, NODE_EXTRA_CA_CERTS: emu.caFile! };
            argv = [...argv, '--management-url', emu.managementUrl, '--authority-url', emu.authorityUrl];
            // --api graph: the same emulator serves the Graph audit log query API.
            if (argv.includes('--api')) argv.push('--graph-url', emu.managementUrl);
          }
          const status = await runCli(argv, io);
          if (status !== parsed.expect) throw new Error(`${where}\nexited ${status}, expected ${parsed.expect}; stderr:\n${stderr}`);
          if (parsed.redirect) writeFileSync(join(cwd, parsed.redirect), stdout);
        }
      } finally {
        for (const b of background) {
          b.stop();
          await b.done;
        }
      }
    });
  }
});
