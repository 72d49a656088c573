/**
 * What a command may touch of the process: its streams, environment and working directory. Tests run the
 * CLI in-process with captured streams; main.ts passes the real ones.
 */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Standard input, for `-` as a file (CSV tools); absent where there is none. */
  stdin?: () => NodeJS.ReadableStream;
  /** For commands that run until interrupted (emulator start): resolves when SIGINT/SIGTERM arrives. */
  onInterrupt?: (handler: () => void) => void;
}

export interface CliContext extends CliIO {
  version: string;
  /** True with the global --debug flag: stack traces and redacted HTTP traces on stderr. */
  debugEnabled: boolean;
  /** Writes a debug line to stderr when --debug is on. Callers must pass already-redacted text. */
  debug: (line: string) => void;
  /** Progress and chatter: stderr, silenced by --quiet. */
  info: (line: string) => void;
  /** Exit status the command asks for; 0 unless set. */
  exitCode: number;
}

export function processIO(): CliIO {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
    stdin: () => process.stdin,
    onInterrupt: (handler) => {
      process.once('SIGINT', handler);
      process.once('SIGTERM', handler);
    },
  };
}
