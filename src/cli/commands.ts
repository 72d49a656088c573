import type { CommandEntry } from './command-module.js';

/**
 * Every command, kept in order of `<noun> <verb>` (a top-level verb has the noun '', so it sorts first). Modules are
 * imported only when needed, so a command pays the start-up cost of its own dependencies and no other's.
 */
export const COMMANDS: readonly CommandEntry[] = [
  { noun: '', verb: 'build', load: () => import('./build.js') },
  { noun: '', verb: 'doctor', load: () => import('./doctor.js') },
  { noun: 'cloud', verb: 'list', load: () => import('./cloud-list.js') },
  { noun: 'connector', verb: 'build', load: () => import('./connector-build.js') },
  { noun: 'connector', verb: 'validate', load: () => import('./connector-validate.js') },
  { noun: 'content', verb: 'pull', load: () => import('./content-pull.js') },
  { noun: 'csv', verb: 'convert', load: () => import('./csv-convert.js') },
  { noun: 'csv', verb: 'inspect', load: () => import('./csv-inspect.js') },
  { noun: 'csv', verb: 'split', load: () => import('./csv-split.js') },
  { noun: 'emulator', verb: 'start', load: () => import('./emulator-start.js') },
  { noun: 'flow', verb: 'run', load: () => import('./flow-run.js') },
  { noun: 'flow', verb: 'simulate', load: () => import('./flow-simulate.js') },
  { noun: 'solution', verb: 'pack', load: () => import('./solution-pack.js') },
  { noun: 'solution', verb: 'unpack', load: () => import('./solution-unpack.js') },
  { noun: 'solution', verb: 'validate', load: () => import('./solution-validate.js') },
  { noun: 'subscription', verb: 'list', load: () => import('./subscription-list.js') },
  { noun: 'subscription', verb: 'start', load: () => import('./subscription-start.js') },
  { noun: 'subscription', verb: 'stop', load: () => import('./subscription-stop.js') },
];
