export { deploymentSettings, valuesToSet, type DeploymentSettings, type ImportValues } from './deployment-settings.js';
export { EDITIONS, editionSolution, FLOW_PREFIX, rePrefix, type Edition, type EditionSolution } from './edition.js';
export { entityXml, relationshipName, tableFiles, tableNames, tableViews, type TableNames } from './entities.js';
export {
  applySolutionConfig,
  fillPlaceholders,
  loadSolutionSource,
  parseSolutionSource,
  SOLUTION_SOURCE_FILE,
  type EnvVarSource,
  type SolutionSource,
} from './source.js';
export { buildSolutionTree, coreDependencies, ENV_VAR_TYPE_CODES, placeFlows, type ConnectorComponent, type PlacedFlow, type SolutionTree } from './tree.js';
export {
  buildArtefacts,
  builtFolder,
  compareWithDisk,
  DEFAULT_TIMESTAMP,
  runBuild,
  zipName,
  type BuildReport,
  type BuiltCloud,
  type PackageType,
} from './build.js';
export { connectorComponent, CONNECTOR_NAME_SUFFIX } from './connector-component.js';
