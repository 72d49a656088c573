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

const ERRNO_HINTS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'is a folder',
  ELOOP: 'too many symbolic links',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
};

/** Whether a value is a Node file-system error (it has an errno code and a syscall). */
export function isFileSystemError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && typeof (e as NodeJS.ErrnoException).syscall === 'string';
}

/**
 * The one message for a file-system failure on a file the user named: `<file>: cannot read: EACCES (permission
 * denied)`. Every reader of user files maps its errors through here.
 */
export function fileSystemError(file: string, e: unknown, verb: 'read' | 'write' = 'read'): UsageError {
  if (e instanceof UsageError) return e;
  const code = (e as NodeJS.ErrnoException | undefined)?.code ?? String(e);
  const hint = ERRNO_HINTS[code];
  return new UsageError([{ file, message: `cannot ${verb}: ${code}${hint ? ` (${hint})` : ''}` }], { cause: e });
}
