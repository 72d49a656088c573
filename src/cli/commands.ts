import type { CommandEntry } from './command-module.js';

/** The nouns of `coe-audit <noun> <verb>`, with the line `coe-audit --help` shows for each. */
export const NOUNS: Readonly<Record<string, string>> = {
  cloud: 'the Microsoft clouds coe-audit builds for',
  connector: 'the Office 365 Management Activity API custom connector',
  content: 'audit content of the Office 365 Management Activity API',
  csv: 'streaming tools for Microsoft Purview audit-log CSV exports',
  emulator: 'the local Office 365 Management Activity API emulator',
  flow: 'run the cloud flows locally: the Workflow Definition Language against the emulator and a local Dataverse store',
  solution: 'pack, unpack and validate Dataverse solutions (the pac solution layout)',
  subscription: 'Office 365 Management Activity API subscriptions',
};

/**
 * Every command, kept in order of `<noun> <verb>` (a top-level verb has the noun '', so it sorts first), with the
 * line help lists it under. Modules are imported only to run (or show the help of) that one command, so a command
 * pays the start-up cost of its own dependencies and no other's, and `coe-audit --help` imports none.
 */
export const COMMANDS: readonly CommandEntry[] = [
  { noun: '', verb: 'build', summary: 'build every cloud: connector, solution (unpacked and zips), deployment settings, validation report', load: () => import('./build.js') },
  { noun: '', verb: 'doctor', summary: 'check configuration, token, permission, subscription and content, and say what to fix', load: () => import('./doctor.js') },
  { noun: 'cloud', verb: 'list', summary: 'print the cloud table: hosts, audiences, authorities', load: () => import('./cloud-list.js') },
  { noun: 'connector', verb: 'build', summary: 'build the connector for each cloud, as paconn / pac connector create folders', load: () => import('./connector-build.js') },
  { noun: 'connector', verb: 'validate', summary: 'check connector folders: schemas, certification, Activity API and cloud rules', load: () => import('./connector-validate.js') },
  { noun: 'content', verb: 'pull', summary: 'download the audit records of a window (at most 7 days), de-duplicated', load: () => import('./content-pull.js') },
  { noun: 'csv', verb: 'convert', summary: 'convert a Purview export to NDJSON or the current CSV layout', load: () => import('./csv-convert.js') },
  { noun: 'csv', verb: 'inspect', summary: 'report layout, records, date range, operations, users and apps of a Purview export', load: () => import('./csv-inspect.js') },
  { noun: 'csv', verb: 'split', summary: 'split a Purview export into parts of N records without cutting a record', load: () => import('./csv-split.js') },
  { noun: 'emulator', verb: 'start', summary: 'run the local Activity API and token emulator', load: () => import('./emulator-start.js') },
  { noun: 'flow', verb: 'run', summary: 'run one flow locally and print its run history', load: () => import('./flow-run.js') },
  { noun: 'flow', verb: 'simulate', summary: 'run Subscription and Sync hour by hour against the emulator and check every launch', load: () => import('./flow-simulate.js') },
  { noun: 'solution', verb: 'pack', summary: 'pack a solution source folder into an importable zip, as pac solution pack does', load: () => import('./solution-pack.js') },
  { noun: 'solution', verb: 'unpack', summary: 'unpack a solution zip into the pac solution unpack layout', load: () => import('./solution-unpack.js') },
  { noun: 'solution', verb: 'validate', summary: 'check a solution folder or zip for what breaks an import or a run', load: () => import('./solution-validate.js') },
  { noun: 'subscription', verb: 'list', summary: 'list every content type with its subscription status', load: () => import('./subscription-list.js') },
  { noun: 'subscription', verb: 'start', summary: 'start subscriptions; already enabled (AF20024) is success', load: () => import('./subscription-start.js') },
  { noun: 'subscription', verb: 'stop', summary: 'stop subscriptions', load: () => import('./subscription-stop.js') },
];
