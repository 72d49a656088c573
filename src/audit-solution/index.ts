export { deploymentSettings, type DeploymentSettings } from './deployment-settings.js';
export {
  applySolutionConfig,
  fillPlaceholders,
  loadSolutionSource,
  parseSolutionSource,
  SOLUTION_SOURCE_FILE,
  type EnvVarSource,
  type SolutionSource,
} from './source.js';
export { buildSolutionTree, ENV_VAR_TYPE_CODES, placeFlows, type ConnectorComponent, type PlacedFlow, type SolutionTree } from './tree.js';
export { buildArtefacts, compareWithDisk, DEFAULT_TIMESTAMP, runBuild, zipName, type BuildReport, type BuiltCloud, type PackageType } from './build.js';
export { connectorComponent, CONNECTOR_NAME_SUFFIX } from './connector-component.js';
