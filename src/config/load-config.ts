import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { cloudNames, findCloud, type CloudId } from '../clouds/index.js';
import { UsageError, type Problem } from '../errors.js';
import { parseYaml, readUtf8File, yamlLocator, type YamlLocator } from '../io/index.js';
import { isSecretLikeName, showValue } from '../redact.js';
import { CONFIG_SCHEMA, type CoeAuditConfig, type PerCloudSettings } from './config-schema.js';

export const CONFIG_FILE_NAMES = ['coe-audit.config.yaml', 'coe-audit.config.yml'] as const;

// Compiled on first use: commands that never read a config file don't pay for it.
let compiled: ValidateFunction<CoeAuditConfig> | undefined;
function validateConfig(value: unknown): value is CoeAuditConfig {
  compiled ??= new Ajv({ allErrors: true, strict: true }).compile<CoeAuditConfig>(CONFIG_SCHEMA);
  return compiled(value);
}

export interface LoadedConfig {
  /** Absolute path of the file that was read; undefined when no file was found and defaults serve. */
  file?: string;
  config: CoeAuditConfig;
}

/**
 * Finds and loads the configuration: `explicitPath` when given (it must exist), otherwise the first of
 * CONFIG_FILE_NAMES in `cwd`, otherwise the empty configuration (embedded defaults).
 */
export function loadConfig(options: { cwd: string; explicitPath?: string }): LoadedConfig {
  let file: string | undefined;
  if (options.explicitPath) {
    file = isAbsolute(options.explicitPath) ? options.explicitPath : resolve(options.cwd, options.explicitPath);
    if (!existsSync(file)) throw new UsageError([{ file: options.explicitPath, message: 'config file not found (given by --config)' }]);
  } else {
    file = CONFIG_FILE_NAMES.map((n) => join(options.cwd, n)).find((p) => existsSync(p));
  }
  if (!file) return { config: {} };
  const text = readUtf8File(file);
  return { file, config: parseConfigText(text, file) };
}

/** Parses and validates configuration text; every problem is reported with its line and column. */
export function parseConfigText(text: string, file: string): CoeAuditConfig {
  const value = parseYaml(text, file) ?? {};
  const problems: Problem[] = [];
  // One parse for every message: a file with thousands of unknown keys costs linear time, not quadratic.
  let locate: YamlLocator | undefined;
  const at = (path: (string | number)[], key = false) => ({ file, ...((locate ??= yamlLocator(text))(path, { key }) ?? {}) });
  for (const path of secretLikeKeys(value)) {
    problems.push({
      ...at(path, true),
      message: `'${path.join('.')}' looks like a secret; secrets never go in the config file. Set COE_AUDIT_CLIENT_SECRET, or pass --client-secret-file or --certificate-file`,
    });
  }
  if (problems.length === 0 && validateConfig(value)) {
    // Cloud names are checked against the cloud table, not a pattern, so the accepted names live in one place.
    const cfg = value as CoeAuditConfig;
    const names: [(string | number)[], string][] = [];
    if (cfg.cloud !== undefined) names.push([['cloud'], cfg.cloud]);
    (cfg.clouds ?? []).forEach((c, i) => names.push([['clouds', i], c]));
    for (const [path, name] of names) {
      if (!findCloud(name)) {
        problems.push({ ...at(path), message: `${path.join('.')} has an invalid value ${showValue(String(path[0]), name)} (expected one of ${cloudNames().join(', ')})` });
      }
    }
  } else if (problems.length === 0) {
    for (const e of compiled?.errors ?? []) {
      const path = e.instancePath.split('/').slice(1).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
      const p = e.params as Record<string, unknown>;
      const where = path.length ? path.join('.') : '(top level)';
      let message: string;
      let key = false;
      if (e.keyword === 'additionalProperties') {
        path.push(String(p.additionalProperty));
        key = true;
        message = `unknown key '${String(p.additionalProperty)}' in ${where}`;
      } else if (e.keyword === 'pattern') {
        // A value of a secret-like key, or one that looks like a secret, is never quoted.
        message = `${where} has an invalid value ${showValue(String(path[path.length - 1] ?? ''), valueAt(value, path))} (expected ${describePattern(String(p.pattern))})`;
      } else {
        message = `${where} ${e.message ?? 'is invalid'}`;
      }
      problems.push({ ...at(path, key), message });
    }
  }
  if (problems.length > 0) throw new UsageError(problems);
  return value as CoeAuditConfig;
}

/** Values for one cloud: cloudSettings.<cloud> over the top-level values. */
export function settingsForCloud(config: CoeAuditConfig, cloud: CloudId): PerCloudSettings {
  const own = config.cloudSettings?.[cloud] ?? {};
  const pick = <K extends keyof PerCloudSettings>(k: K) => own[k] ?? config[k];
  const out: PerCloudSettings = {};
  for (const k of ['tenantId', 'clientId', 'keyVaultSecretReference'] as const) {
    const v = pick(k);
    if (v !== undefined) out[k] = v;
  }
  const redirectUrl = own.redirectUrl ?? config.connector?.redirectUrl;
  if (redirectUrl !== undefined) out.redirectUrl = redirectUrl;
  return out;
}

function secretLikeKeys(value: unknown, path: string[] = []): string[][] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
  const out: string[][] = [];
  for (const [k, v] of Object.entries(value)) {
    if (isSecretLikeName(k)) out.push([...path, k]);
    out.push(...secretLikeKeys(v, [...path, k]));
  }
  return out;
}

function valueAt(value: unknown, path: (string | number)[]): unknown {
  let v: unknown = value;
  for (const s of path) v = (v as Record<string | number, unknown> | undefined)?.[s];
  return v;
}

function describePattern(pattern: string): string {
  if (pattern.includes('[0-9a-fA-F]{8}-')) return 'a GUID such as 00000000-0000-0000-0000-000000000000';
  if (pattern.includes('Microsoft\\.KeyVault')) return '/subscriptions/{guid}/resourceGroups/{name}/providers/Microsoft.KeyVault/vaults/{name}/secrets/{name}';
  if (pattern.startsWith('^https://')) return 'an https:// URL';
  return `a value matching ${pattern}`;
}
