import type { ConfidenceHistory } from '../../confidence/history.js';

let provided: ConfidenceHistory | undefined;

/**
 * Makes `history` what every `confidence/gate` in this process consults for the campaign's record, the
 * target's history, fleet adoption and learned weights; returns a function that puts the previous one back.
 *
 * Why a registry and not a context field: steps are deliberately not given the store, and the step
 * context is the engine's contract. The process that runs campaigns (the CLI, `flotilla serve`, a test)
 * owns the store and provides the history once; a gate without one decides on its own run's evidence,
 * with those signals marked unavailable.
 */
export function provideConfidenceHistory(history: ConfidenceHistory | undefined): () => void {
  const previous = provided;
  provided = history;
  return () => {
    provided = previous;
  };
}

/** The history provided to this process, if any. */
export function confidenceHistory(): ConfidenceHistory | undefined {
  return provided;
}
