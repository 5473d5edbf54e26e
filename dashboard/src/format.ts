/** Milliseconds as a person reads them: `850ms`, `12.3s`, `4m05s`, `2h10m` (as the CLI prints them). */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  if (ms < 3_600_000) {
    const minutes = Math.floor(ms / 60_000);
    return `${minutes}m${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}s`;
  }
  const hours = Math.floor(ms / 3_600_000);
  return `${hours}h${String(Math.round((ms % 3_600_000) / 60_000)).padStart(2, '0')}m`;
}

/** A time in the reader's locale; the ISO value stays in the `dateTime` attribute of `<time>`. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
}

/** `merged`, `failed`, … or the run's status while it has no outcome. */
export function outcomeLabel(outcome: string | null, status: string): string {
  return outcome ?? status;
}

/** A number as a short percentage. */
export function percent(ratio: number): string {
  return `${Math.round(ratio * 100)}%`;
}
