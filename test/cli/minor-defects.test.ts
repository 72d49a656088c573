import { createServer } from 'node:net';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { printable } from '../../src/errors.js';
import { CURRENT_HEADER } from '../csv/helpers.js';
import { runBuiltCli, runCliInProcess } from '../helpers/run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'coe-audit-minor-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('issue 14, item 12: the minor defects', () => {
  it('a header error escapes control characters instead of sending them to the terminal', async () => {
    const file = join(work, 'esc.csv');
    writeFileSync(file, 'Name\u001b[31m,\u0007Value\r\na,b\r\n');
    const r = await runCliInProcess(['csv', 'inspect', file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("found 'Name\\x1b[31m,\\x07Value'");
    expect([...r.stderr].filter((c) => c !== '\n' && (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f))).toEqual([]);
    expect(printable('a\r\n\t\u0000\u009b')).toBe('a\\r\\n\\t\\x00\\x9b');
  });

  it('CR-only line ends are diagnosed as such', async () => {
    const file = join(work, 'cr.csv');
    writeFileSync(file, CURRENT_HEADER + '\r' + 'x,"9/20/2023 4:05:03 AM",256,Op,u,"{}",,\r');
    for (const verb of ['inspect', 'split']) {
      const r = await runCliInProcess(['csv', verb, file, ...(verb === 'split' ? ['--output-directory', join(work, 'cr-parts')] : [])]);
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(`coe-audit: error: ${file}:1: has CR-only line ends (classic Mac OS): no line ends in LF, so no record can be found; save it with CRLF or LF line ends\n`);
    }
    expect(existsSync(join(work, 'cr-parts'))).toBe(false);
  });

  it('emulator start on a busy port is one line, exit 2', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      const r = await runBuiltCli(['emulator', 'start', '--port', String(port), '--days', '1']);
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(`coe-audit: error: cannot listen on 127.0.0.1:${port}: EADDRINUSE (the port is in use); choose another --port, or 0 for any free port\n`);
    } finally {
      busy.close();
    }
  });

  it('csv split into /proc/nope ends at once with one line, and a refused split leaves no folder', async () => {
    const file = join(work, 'AuditLog.csv');
    writeFileSync(file, CURRENT_HEADER + '\r\n');
    const r = await runBuiltCli(['csv', 'split', file, '--output-directory', '/proc/coe-audit-nope/parts']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^coe-audit: error: \/proc\/coe-audit-nope\/parts: cannot write \(E[A-Z]+\); choose a writable --output-directory\n$/);
    const bad = join(work, 'bad.csv');
    writeFileSync(bad, 'not,a,purview,export\r\n');
    const refused = await runBuiltCli(['csv', 'split', bad, '--output-directory', join(work, 'new', 'parts')]);
    expect(refused.status).toBe(2);
    expect(readdirSync(work)).not.toContain('new');
  });
});
