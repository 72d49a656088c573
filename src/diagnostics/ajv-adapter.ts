import type { ErrorObject } from 'ajv';
import type { Diagnostic, Severity } from './diagnostic.js';

/**
 * The single place where ajv's errors become Diagnostics: instancePath is split into path segments and the
 * allowed values, missing property or pattern are kept in the message.
 */
export function ajvErrorsToDiagnostics(
  errors: readonly ErrorObject[] | null | undefined,
  options: { code: string; file: string; severity?: Severity; basePath?: (string | number)[] },
): Diagnostic[] {
  if (!errors) return [];
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const e of errors) {
    const path = [...(options.basePath ?? []), ...splitPointer(e.instancePath)];
    const message = describe(e);
    const key = `${path.join('/')}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ code: options.code, severity: options.severity ?? 'error', path, message, file: options.file });
  }
  return out;
}

function splitPointer(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function describe(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `missing required property '${String(p.missingProperty)}'`;
    case 'additionalProperties':
      return `unknown property '${String(p.additionalProperty)}'`;
    case 'enum':
      return `must be one of: ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(p.allowedValue)}`;
    case 'type':
      return `must be of type ${String(p.type)}`;
    case 'pattern':
      return `must match pattern ${String(p.pattern)}`;
    default:
      return e.message ?? `fails schema keyword '${e.keyword}'`;
  }
}
