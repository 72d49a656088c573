import type { CommandModule } from './command-module.js';
import build from './build.js';
import cloudList from './cloud-list.js';
import connectorBuild from './connector-build.js';
import connectorValidate from './connector-validate.js';
import contentPull from './content-pull.js';
import csvConvert from './csv-convert.js';
import csvInspect from './csv-inspect.js';
import csvSplit from './csv-split.js';
import doctor from './doctor.js';
import emulatorStart from './emulator-start.js';
import flowRun from './flow-run.js';
import flowSimulate from './flow-simulate.js';
import solutionPack from './solution-pack.js';
import solutionUnpack from './solution-unpack.js';
import solutionValidate from './solution-validate.js';
import subscriptionList from './subscription-list.js';
import subscriptionStart from './subscription-start.js';
import subscriptionStop from './subscription-stop.js';

/** Every command, one import each, kept in alphabetical order of `<noun> <verb>`. */
export const COMMANDS: readonly CommandModule[] = [
  build,
  cloudList,
  connectorBuild,
  connectorValidate,
  contentPull,
  csvConvert,
  csvInspect,
  csvSplit,
  doctor,
  emulatorStart,
  flowRun,
  flowSimulate,
  solutionPack,
  solutionUnpack,
  solutionValidate,
  subscriptionList,
  subscriptionStart,
  subscriptionStop,
];
