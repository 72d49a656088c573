/**
 * The two kinds of failure the command layer maps to exit code 2 without a stack trace.
 * The core throws them; only src/cli/ prints them.
 */

/** Where in a file a problem is. Lines and columns are 1-based. */
export interface Problem {
  message: string;
  file?: string;
  line?: number;
  column?: number;
  /** A JSON-path-like location inside a structured document, when there is no line. */
  path?: string;
}

/** A mistake the user can fix: a bad flag, a missing or malformed file, an unwritable directory. */
export class UsageError extends Error {
  readonly problems: Problem[];
  constructor(messageOrProblems: string | Problem[], options?: { cause?: unknown }) {
    const problems = typeof messageOrProblems === 'string' ? [{ message: messageOrProblems }] : messageOrProblems;
    super(problems.map(formatProblem).join('\n'), options);
    this.name = 'UsageError';
    this.problems = problems;
  }
}

/** A failure outside the user's input: the network, a remote service, an external tool. */
export class RuntimeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RuntimeError';
  }
}

/** `file:line:column: message`, leaving out what is unknown. */
export function formatProblem(p: Problem): string {
  let where = p.file ?? '';
  if (p.file && p.line !== undefined) where += `:${p.line}${p.column !== undefined ? `:${p.column}` : ''}`;
  if (p.path) where += where ? ` ${p.path}` : p.path;
  return where ? `${where}: ${p.message}` : p.message;
}
