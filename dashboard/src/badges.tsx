/** The outcome (or, while running, the status) of a run, as a coloured word — the word carries the meaning, not the colour. */
export function OutcomeBadge({ outcome, status }: { outcome: string | null; status?: string }) {
  const word = outcome ?? status ?? 'unfinished';
  return <span className={`badge outcome-${word.replace(/[^a-z-]/g, '')}`}>{word}</span>;
}

export function StateBadge({ state }: { state: string }) {
  return <span className={`badge state-${state.replace(/[^a-z-]/g, '')}`}>{state}</span>;
}

/** A progress bar with its numbers as text (a screen reader reads the label). */
export function Progress({ finished, total, label }: { finished: number; total: number; label: string }) {
  return (
    <span className="progress">
      <progress max={Math.max(total, 1)} value={finished} aria-label={label} />
      <span>
        {finished}/{total}
      </span>
    </span>
  );
}
