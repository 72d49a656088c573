import { UsageError } from '../errors.js';
import { isSecretLikeName } from '../redact.js';

/**
 * Refuses an option whose name looks like a secret (`--client-secret=S`, `--password S`, `--api-key=…`, known or
 * not) before the option parser sees it, so its value is never echoed (commander would print
 * "unknown option '--client-secret=S'"). The message names the option only and points at the safe ways.
 * Options that name where a secret is (`--client-secret-file`) pass. Only arguments before `--` are looked at.
 */
export function refuseSecretOptions(argv: readonly string[]): void {
  const refused: string[] = [];
  for (const arg of argv) {
    if (arg === '--') break;
    if (!arg.startsWith('--')) continue;
    const name = arg.slice(2).split('=')[0]!;
    if (isSecretLikeName(name) && !refused.includes(name)) refused.push(name);
  }
  if (refused.length > 0) {
    throw new UsageError(
      refused.map((name) => ({
        message: `--${name}: secrets are never taken on the command line (the process list and shell history would show them); set the environment variable COE_AUDIT_CLIENT_SECRET, or pass --client-secret-file <file> or --certificate-file <file>`,
      })),
    );
  }
}
