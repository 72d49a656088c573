/**
 * The one redaction rule: which names and values look like secrets, so that no message, option echo or artefact
 * ever carries them. Used for command-line options, config keys, solution.yaml variables and connector files.
 */

/** Words that make a key or option name secret-like. */
const SECRET_WORD = /secret|passw(or)?d|passphrase|credential|private[-_]?key|api[-_]?key|access[-_]?token|refresh[-_]?token|client[-_]?assertion|^(client[-_]?)?certificate([-_]?key)?$/i;
/** …unless the name says it holds where the secret is, not the secret: a file, a URL, a reference, an id. */
const POINTER_SUFFIX = /[-_]?(file|path|url|uri|reference|ref|name|id|type|kind)$/i;

/** True for `clientSecret`, `client_secret`, `--password`, `apiKey`; false for `--client-secret-file`, `keyVaultSecretReference`. */
export function isSecretLikeName(name: string): boolean {
  const bare = name.replace(/^-+/, '');
  return SECRET_WORD.test(bare) && !POINTER_SUFFIX.test(bare);
}

/** Entra client secrets (`abc8Q~…`, 40 characters) and JWTs: values that are secrets whatever key holds them. */
export function looksLikeSecretValue(value: string): boolean {
  return /^[A-Za-z0-9_.~-]{3}\dQ~[A-Za-z0-9_.~-]{30,}$/.test(value) || /^eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+\./.test(value);
}

/**
 * How a message may show the value of `name`: JSON-quoted, or a placeholder when the name is secret-like or the
 * value looks like a secret.
 */
export function showValue(name: string, value: unknown): string {
  if (isSecretLikeName(name) || (typeof value === 'string' && looksLikeSecretValue(value))) return '(value not shown)';
  return JSON.stringify(value);
}
