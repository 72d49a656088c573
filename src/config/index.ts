export { CONFIG_SCHEMA, KEY_VAULT_REFERENCE, type CoeAuditConfig, type PerCloudSettings } from './config-schema.js';
export { CONFIG_FILE_NAMES, loadConfig, parseConfigText, settingsForCloud, type LoadedConfig } from './load-config.js';
