import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { FlotillaError } from '../../model/errors.js';
import { processGroupMembers, treeRssMB } from './process-memory.js';

export interface ServiceOptions {
  /** A shell command line (`node server.js`, `npm start`). */
  command: string;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Aborting it kills the whole process group at once. */
  signal: AbortSignal;
  /** Each chunk of stdout and stderr, for the step log. */
  onOutput?: (text: string) => void;
}

export interface ServiceExit {
  code: number | null;
  signal: string | null;
}

const TAIL_CHARS = 4000;

/**
 * A long-running service (the baseline or the changed build) in its own process group.
 *
 * Why not `exec` from src/process: `exec` runs a command to its end and hides the child; a service runs
 * until we stop it, and we need its pid to measure its memory in `/proc`. The guarantees are the same:
 * no shell of ours survives, the child gets its own process group, and an abort (timeout, cancel) kills
 * the whole group — whatever the service started (`npm start` → node → workers) goes with it.
 */
export class ServiceProcess {
  readonly pid: number;
  readonly exited: Promise<ServiceExit>;
  private exit: ServiceExit | undefined;
  private tail = '';
  private readonly onAbort = (): void => this.signalGroup('SIGKILL');

  private constructor(
    pid: number,
    exited: Promise<ServiceExit>,
    private readonly signal: AbortSignal,
  ) {
    this.pid = pid;
    this.exited = exited.then((exit) => {
      this.exit = exit;
      this.signal.removeEventListener('abort', this.onAbort);
      return exit;
    });
    if (signal.aborted) this.onAbort();
    else signal.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Starts `options.command` under `/bin/sh`; throws `external` when it cannot be started at all. */
  static async start(options: ServiceOptions): Promise<ServiceProcess> {
    options.signal.throwIfAborted();
    const child = spawn('/bin/sh', ['-c', options.command], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const exited = new Promise<ServiceExit>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
    const spawned = await new Promise<true | Error>((resolve) => {
      child.once('spawn', () => resolve(true));
      child.once('error', (error) => resolve(error));
    });
    if (spawned !== true || child.pid === undefined) {
      const why = spawned === true ? 'no process id' : spawned.message;
      throw new FlotillaError('external', `could not start \`${options.command}\`: ${why}`, { cause: spawned });
    }
    const service = new ServiceProcess(child.pid, exited, options.signal);
    const record = (chunk: string): void => {
      service.tail = (service.tail + chunk).slice(-TAIL_CHARS);
      options.onOutput?.(chunk);
    };
    child.stdout.setEncoding('utf8').on('data', record);
    child.stderr.setEncoding('utf8').on('data', record);
    return service;
  }

  /** How it ended, once it has. */
  get exitStatus(): ServiceExit | undefined {
    return this.exit;
  }

  /** The last lines it printed, for a message when it dies or never answers. */
  recentOutput(lines = 5): string {
    return this.tail.trimEnd().split('\n').slice(-lines).join(' | ');
  }

  /** RSS of the service's whole process tree in MB; undefined once it is gone or without `/proc`. */
  rssMB(): Promise<number | undefined> {
    return this.exit ? Promise.resolve(undefined) : treeRssMB(this.pid);
  }

  /**
   * Ends the process group: SIGTERM, then SIGKILL for whatever is still alive after `graceMs`. Resolves
   * when the first process has exited and no live process is left in the group.
   */
  async stop(graceMs = 2000): Promise<void> {
    this.signalGroup('SIGTERM');
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline) {
      if (this.exit && !(await this.groupAlive())) return;
      await sleep(25);
    }
    this.signalGroup('SIGKILL');
    await Promise.race([this.exited, sleep(2000)]);
  }

  private async groupAlive(): Promise<boolean> {
    try {
      return (await processGroupMembers(this.pid)).length > 0;
    } catch {
      return false; // no /proc: the first process's exit is all we can know
    }
  }

  private signalGroup(signal: NodeJS.Signals): void {
    try {
      process.kill(-this.pid, signal);
    } catch {
      // the group is already gone
    }
  }
}
