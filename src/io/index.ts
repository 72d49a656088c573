export { safeJoin, writeFileAtomic, writeTreeAtomic } from './atomic-write.js';
export { faultPoint, setFaultHook, type FaultOp } from './faults.js';
export { ensureDir, escapeRegExp, recoverFolder, stageFolder, type StagedFolder } from './folders.js';
export { decodeUtf8, MAX_TEXT_SOURCE_BYTES, readUserFile, readUtf8File } from './read-file.js';
export { sortKeysDeep, stableJson } from './stable-json.js';
export { locateYamlPath, MAX_YAML_ALIAS_COUNT, parseYaml, readYamlFile, yamlLocator, yamlLocatorOperations, type YamlLocator } from './yaml.js';
export { checkJsonNesting, jsonNestingExceeded, MAX_NESTING_DEPTH, tooDeep, yamlNestingExceeded, type NestingPosition } from './nesting.js';
