import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The CLI next to this module: `dist/api/…` → `dist/cli/main.js`; from the sources (tests), the built one.
 */
export function defaultCliPath(): string {
  const beside = fileURLToPath(new URL('../cli/main.js', import.meta.url));
  return existsSync(beside) ? beside : fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
}

/**
 * Runs `flotilla revert` for the API as a child process. A revert is a campaign of its own
 * (`<campaign>-revert`) whose runs the revert command creates; run in this process, it would share the
 * campaign lock's owner (`host:pid`) with a supervisor here, which would then run the same campaign a
 * second time. As its own process it holds the lock alone, and the supervisor leaves it be until it ends.
 * One revert per campaign at a time; `close` interrupts them (running the command again resumes).
 */
export class BackgroundReverts {
  private readonly running = new Map<string, ChildProcess>();

  constructor(
    private readonly stateDir: string,
    private readonly log: (message: string, fields: Record<string, unknown>) => void,
    /** Added to the child's environment: a server on PostgreSQL passes its `DATABASE_URL` here. */
    private readonly env: Readonly<Record<string, string | undefined>> = {},
    private readonly cli = defaultCliPath(),
  ) {}

  /** The child reaches the same store: for PostgreSQL it needs the database URL (never a command-line argument, which `ps` shows). */
  reachesStore(kind: 'sqlite' | 'postgres'): boolean {
    return kind === 'sqlite' || Boolean(this.env.DATABASE_URL ?? process.env.DATABASE_URL);
  }

  isRunning(campaign: string): boolean {
    return this.running.has(campaign);
  }

  /** Starts the revert; `only` are target names without commas (`--targets` is a comma-separated list). */
  start(campaign: string, only: readonly string[] | undefined): void {
    const args = [this.cli, 'revert', campaign, '--json', '--state', this.stateDir, ...(only ? ['--targets', only.join(',')] : [])];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...this.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-2000)));
    child.once('error', (error) => this.log('revert could not start', { campaign, error: error.message }));
    child.once('close', (code) => {
      this.running.delete(campaign);
      // 0: every revert merged; 1: some need a person (the revert campaign's page says which).
      if (code !== 0 && code !== 1) this.log('revert failed', { campaign, code, stderr: stderr.trim() });
    });
    this.running.set(campaign, child);
  }

  async close(): Promise<void> {
    const children = [...this.running.values()];
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode === null ? child.once('close', resolve) : resolve(undefined)))));
  }
}
