import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RuntimeError, UsageError } from '../../errors.js';

export interface EmulatorTls {
  dir: string;
  caFile: string;
  caPem: string;
  key: string;
  cert: string;
}

/**
 * A throw-away CA and a server certificate for 127.0.0.1/localhost and `hostnames` (DNS names or IP addresses),
 * made with openssl into a fresh temporary folder (removed when the emulator closes). Nothing is committed or reused.
 */
export function generateEmulatorTls(hostnames: readonly string[] = []): EmulatorTls {
  for (const h of hostnames) {
    if (!/^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(h) && !/^\d{1,3}(\.\d{1,3}){3}$/.test(h)) {
      throw new UsageError(`--hostnames: '${h}' is not a host name or an IPv4 address`);
    }
  }
  const sans = ['IP:127.0.0.1', 'DNS:localhost', ...hostnames.map((h) => (/^\d{1,3}(\.\d{1,3}){3}$/.test(h) ? `IP:${h}` : `DNS:${h.toLowerCase()}`))];
  const dir = mkdtempSync(join(tmpdir(), 'coe-audit-emulator-tls-'));
  const p = (n: string) => join(dir, n);
  const run = (args: string[]) => {
    try {
      execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (e) {
      throw new RuntimeError(`openssl failed while generating the emulator's certificates (is openssl installed?): ${(e as Error).message.split('\n')[0]}`, { cause: e });
    }
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run(['req', '-x509', ...ec, '-keyout', p('ca.key'), '-out', p('ca.pem'), '-days', '2', '-subj', '/CN=coe-audit emulator CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  run(['req', ...ec, '-keyout', p('server.key'), '-out', p('server.csr'), '-subj', '/CN=127.0.0.1']);
  writeFileSync(p('ext.cnf'), `subjectAltName=${[...new Set(sans)].join(',')}\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n`);
  run(['x509', '-req', '-in', p('server.csr'), '-CA', p('ca.pem'), '-CAkey', p('ca.key'), '-CAcreateserial', '-out', p('server.pem'), '-days', '2', '-extfile', p('ext.cnf')]);
  return { dir, caFile: p('ca.pem'), caPem: readFileSync(p('ca.pem'), 'utf8'), key: readFileSync(p('server.key'), 'utf8'), cert: readFileSync(p('server.pem'), 'utf8') };
}
