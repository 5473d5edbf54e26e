import { spawn } from 'node:child_process';
import { FlotillaError } from '../model/errors.js';

export interface ExecOptions {
  cwd: string;
  env?: Readonly<Record<string, string | undefined>>;
  signal?: AbortSignal;
  /** Text written to the child's standard input. */
  input?: string;
  /** Called with each chunk of stdout and stderr as it arrives (for live step logs). */
  onOutput?: (text: string) => void;
  /** Keep at most this many characters of each stream (the tail). Default 1 MiB. */
  maxBuffer?: number;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Set when the process was ended by a signal (including our own abort). */
  killedBy?: string;
}

/**
 * Runs a program without a shell and collects its output. The child gets its own process group, so an
 * abort (timeout, cancel) ends the whole tree it started, not just the first process.
 */
export function exec(file: string, args: readonly string[], options: ExecOptions): Promise<ExecResult> {
  const maxBuffer = options.maxBuffer ?? 1024 * 1024;
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(abortError(options.signal));
      return;
    }
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    const keep = (buffer: string, chunk: string): string => {
      const joined = buffer + chunk;
      return joined.length > maxBuffer ? joined.slice(joined.length - maxBuffer) : joined;
    };
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout = keep(stdout, chunk);
      options.onOutput?.(chunk);
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = keep(stderr, chunk);
      options.onOutput?.(chunk);
    });
    const kill = (): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group is already gone
      }
    };
    options.signal?.addEventListener('abort', kill, { once: true });
    child.on('error', (error) => {
      options.signal?.removeEventListener('abort', kill);
      reject(new FlotillaError('external', `could not start ${file}: ${error.message}`, { cause: error }));
    });
    child.on('close', (code, signalName) => {
      options.signal?.removeEventListener('abort', kill);
      if (options.signal?.aborted) {
        reject(abortError(options.signal));
        return;
      }
      resolve({ exitCode: code ?? 128, stdout, stderr, ...(signalName ? { killedBy: signalName } : {}) });
    });
    if (options.input !== undefined && child.stdin) {
      child.stdin.end(options.input);
    }
  });
}

/** Runs a shell command line (`sh -c`), as the `run` step and a target's test command need. */
export function execShell(command: string, options: ExecOptions): Promise<ExecResult> {
  return exec('/bin/sh', ['-c', command], options);
}

function abortError(signal: AbortSignal): FlotillaError {
  const reason: unknown = signal.reason;
  if (reason instanceof FlotillaError) return reason;
  return new FlotillaError('cancelled', 'the work was cancelled', { cause: reason });
}
