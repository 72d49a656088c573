import type { CommandModule } from './command-module.js';
import cloudList from './cloud-list.js';
import solutionPack from './solution-pack.js';
import solutionUnpack from './solution-unpack.js';

/** Every command, one import each, kept in alphabetical order of `<noun> <verb>`. */
export const COMMANDS: readonly CommandModule[] = [
  cloudList,
  solutionPack,
  solutionUnpack,
];
