export { readSourceTree, compareEnumerationOrder, type SourceTree } from './source-tree.js';
export {
  CUSTOMIZATIONS_XML,
  managedZipPath,
  MAX_CONNECTOR_NAME_LENGTH,
  packSolution,
  packSolutions,
  planSolutionZip,
  planSolutionZips,
  SOLUTION_XML,
  type PackageType,
  type PackOptions,
} from './pack.js';
export { unpackSolution, type UnpackOptions } from './unpack.js';
export { contentTypesXml, CONTENT_TYPES_ENTRY } from './content-types.js';
export { DEFAULT_ZIP_LIMITS, readZip, writeZip, type ZipEntry, type ZipLimits } from './zip.js';
export { parseXml, serializeXml, type XDocument, type XElement, type XNode } from './xml.js';
export { locatePac, nodeSpawner, PAC_PATH_VARIABLE, pacPackArgs, runPac, type PacLocator, type Spawner, type SpawnResult } from './pac.js';
export { PACKAGE_TYPES, PACKERS, packFolder, readSolutionInput, unpackToFolder, type PackageTypeChoice, type PackerChoice, type PackFolderResult, type UnpackFolderOptions, type UnpackFolderResult } from './files.js';
export { validateSolution, validateSolutionZip } from './validate.js';
export { SOLUTION_RULES } from './rules.js';
