import type { StepLogger } from '../sdk/step.js';
import type { LogLine, Store } from '../store/store.js';
import type { Redactor } from '../log/redact.js';

/**
 * A step's log: lines are redacted, kept in order, and written to the store in batches (every second
 * while the step runs, and at its end), so a live view sees them without a write per line.
 */
export class BufferedStepLogger implements StepLogger {
  private pending: LogLine[] = [];
  private partial = '';
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly where: { runId: string; step: string; attempt: number },
    private readonly redact: Redactor,
    private readonly clock: () => Date,
  ) {}

  info(message: string, fields?: Record<string, unknown>): void {
    this.line('info', message, fields);
  }

  warn(message: string, fields?: Record<string, unknown>): void {
    this.line('warn', message, fields);
  }

  error(message: string, fields?: Record<string, unknown>): void {
    this.line('error', message, fields);
  }

  output(text: string): void {
    const joined = this.partial + text;
    const lines = joined.split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.push(line);
  }

  /** Writes what is buffered; call at the end of the step. */
  async flush(): Promise<void> {
    if (this.partial) {
      this.push(this.partial);
      this.partial = '';
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.write();
  }

  private line(level: string, message: string, fields?: Record<string, unknown>): void {
    const suffix = fields && Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : '';
    this.push(`[${level}] ${message}${suffix}`);
  }

  private push(text: string): void {
    this.pending.push({ ...this.where, at: this.clock().toISOString(), text: this.redact(text) });
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.write();
      }, 1000);
      this.timer.unref();
    }
  }

  private write(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return this.flushing;
    this.flushing = this.flushing.then(() => this.store.appendLogs(batch)).catch(() => undefined);
    return this.flushing;
  }
}
