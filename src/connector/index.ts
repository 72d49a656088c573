export { buildConnectorVariant, CONNECTOR_FILES, SETTINGS, type ConnectorVariant } from './build.js';
export { readConnectorFolder } from './folder.js';
export { loadConnectorSource, SOURCE_FILE_NAMES, type ConnectorSource } from './source.js';
export { CLIENT_ID_PLACEHOLDER, TEMPLATE_TOKENS } from './template.js';
export { CONNECTOR_CHECKS, CONNECTOR_RULES, validateConnectorFiles } from './validate.js';
