import type { RunEvent } from '../model/events.js';
import type { RunState } from '../model/run.js';
import { formatDuration } from '../model/duration.js';
import { formatEvent } from './commands/events.js';
import { color, paintOutcome, type Output } from './output.js';
import { countOutcomes } from './summary.js';

/** How `flotilla run` shows progress: a redrawn per-target view in a terminal, one plain line per event otherwise. */
export interface ProgressView {
  onEvent(event: RunEvent, state: RunState): void;
  stop(): void;
}

export function createProgressView(output: Output, campaign: string, total: number, mode: 'live' | 'lines' | 'quiet'): ProgressView {
  if (mode === 'quiet') return { onEvent: () => undefined, stop: () => undefined };
  if (mode === 'lines') return { onEvent: (event) => output.out(formatEvent(event, campaign)), stop: () => undefined };
  return new LiveView(output, campaign, total);
}

const MAX_ACTIVE_LINES = 12;

class LiveView implements ProgressView {
  private readonly runs = new Map<string, RunState>();
  private readonly finished: string[] = [];
  private drawnLines = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly started = Date.now();

  constructor(
    private readonly output: Output,
    private readonly campaign: string,
    private readonly total: number,
  ) {
    this.timer = setInterval(() => this.draw(), 250);
    this.timer.unref();
  }

  onEvent(event: RunEvent, state: RunState): void {
    this.runs.set(state.runId, state);
    if (event.type === 'run.completed') {
      this.finished.push(`${paintOutcome(event.data.outcome)} ${state.target}${event.data.reasons.length ? color.dim(` — ${event.data.reasons[0]?.split('\n')[0] ?? ''}`) : ''}`);
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.draw();
  }

  private draw(): void {
    const lines: string[] = [];
    for (const line of this.finished.splice(0)) lines.push(line);
    const permanent = lines.length;
    const runs = [...this.runs.values()];
    const counts = countOutcomes(runs);
    const done = runs.filter((run) => run.status === 'done').length;
    const width = 30;
    const filled = this.total === 0 ? width : Math.round((done / this.total) * width);
    lines.push(
      `${color.bold(this.campaign)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${this.total} ${color.dim(formatDuration(Date.now() - this.started))}  ` +
        ['merged', 'changed', 'needs-human', 'failed', 'skipped'].filter((key) => (counts[key] ?? 0) > 0).map((key) => `${counts[key] ?? 0} ${paintOutcome(key)}`).join('  '),
    );
    const active = runs.filter((run) => run.status !== 'done');
    for (const run of active.slice(0, MAX_ACTIVE_LINES)) {
      const step = Object.entries(run.steps).find(([, entry]) => entry.status === 'running' || entry.status === 'retrying');
      const since = step?.[1].startedAt ? formatDuration(Date.now() - Date.parse(step[1].startedAt)) : '';
      lines.push(`  ${run.target}  ${step ? `${step[1].status === 'retrying' ? 'waiting to retry' : 'running'} ${step[0]} ${color.dim(since)}` : color.dim('queued')}`);
    }
    if (active.length > MAX_ACTIVE_LINES) lines.push(color.dim(`  … and ${active.length - MAX_ACTIVE_LINES} more`));
    const clear = this.drawnLines > 0 ? `\u001b[${this.drawnLines}A\u001b[J` : '';
    this.output.out(clear + lines.join('\n'));
    this.drawnLines = lines.length - permanent;
  }
}
