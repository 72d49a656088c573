/**
 * Base of the links to the docs (`--help` pages, rule docs in SARIF output). The project has no published
 * repository address yet: change it here when it has one.
 */
export const DOCS_BASE_URL = 'https://github.com/coe-audit/coe-audit/blob/main';

/** The docs page of a command: docs/commands/<noun>-<verb>.md. */
export function commandDocsPath(noun: string, verb: string): string {
  return `docs/commands/${noun ? `${noun}-` : ''}${verb}.md`;
}
