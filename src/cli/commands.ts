import type { CommandModule } from './command-module.js';
import cloudList from './cloud-list.js';
import connectorBuild from './connector-build.js';
import connectorValidate from './connector-validate.js';
import csvConvert from './csv-convert.js';
import csvInspect from './csv-inspect.js';
import csvSplit from './csv-split.js';
import flowRun from './flow-run.js';
import solutionPack from './solution-pack.js';
import solutionUnpack from './solution-unpack.js';

/** Every command, one import each, kept in alphabetical order of `<noun> <verb>`. */
export const COMMANDS: readonly CommandModule[] = [
  cloudList,
  connectorBuild,
  connectorValidate,
  csvConvert,
  csvInspect,
  csvSplit,
  flowRun,
  solutionPack,
  solutionUnpack,
];
