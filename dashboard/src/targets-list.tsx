import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type KeyboardEvent } from 'react';
import { OutcomeBadge } from './badges.js';
import { ErrorMessage } from './error-message.js';
import { Link, paths } from './router.js';
import { useRunPages, type RunFilters } from './use-run-pages.js';

const ROW_HEIGHT = 36;

/**
 * The campaign's targets: a virtual list (only the rows in view are in the DOM) over server-side pages,
 * so 10,000 targets scroll as smoothly as 10. Keyboard: Tab reaches the first row's link, the arrow keys
 * (and Home/End) move between rows, Enter opens the run.
 */
export function TargetsList({ campaign, filters, version }: { campaign: string; filters: RunFilters; version: number }) {
  const { total, rowAt, show, error } = useRunPages(campaign, filters, version);
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: total ?? 0, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  useEffect(() => show(first, last), [first, last, show]);
  useEffect(() => virtualizer.scrollToOffset(0), [filters, virtualizer]);

  const move = (event: KeyboardEvent<HTMLDivElement>): void => {
    const row = (event.target as HTMLElement).closest<HTMLElement>('[data-index]');
    if (!row || total === undefined || total === 0) return;
    const index = Number(row.dataset.index);
    const keys: Record<string, number> = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: total - 1, PageDown: index + 10, PageUp: index - 10 };
    const next = keys[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const target = Math.max(0, Math.min(total - 1, next));
    virtualizer.scrollToIndex(target);
    const focus = (tries: number): void => {
      const link = scroller.current?.querySelector<HTMLElement>(`[data-index="${target}"] a`);
      if (link) link.focus();
      else if (tries > 0) window.requestAnimationFrame(() => focus(tries - 1));
    };
    window.requestAnimationFrame(() => focus(10));
  };

  return (
    <section aria-labelledby="targets-heading" className="panel targets">
      <h2 id="targets-heading">
        Targets <span className="muted small" role="status">{total === undefined ? 'loading…' : `${total} shown`}</span>
      </h2>
      <ErrorMessage error={error} />
      <div role="table" aria-labelledby="targets-heading" aria-rowcount={(total ?? 0) + 1} className="virtual-table">
        <div role="rowgroup">
          <div role="row" aria-rowindex={1} className="row header">
            <span role="columnheader">Target</span>
            <span role="columnheader">Outcome</span>
            <span role="columnheader">Step</span>
            <span role="columnheader">Owner</span>
            <span role="columnheader">Tier</span>
            <span role="columnheader">Detail</span>
          </div>
        </div>
        <div ref={scroller} className="scroller" onKeyDown={move} role="rowgroup">
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((item) => {
              const row = rowAt(item.index);
              return (
                <div key={item.key} role="row" aria-rowindex={item.index + 2} data-index={item.index} className="row" style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}>
                  {row ? (
                    <>
                      <span role="cell" className="target-name">
                        <Link to={paths.run(campaign, row.target)}>{row.target}</Link>
                      </span>
                      <span role="cell">
                        <OutcomeBadge outcome={row.outcome} status={row.status} />
                      </span>
                      <span role="cell">{row.step ?? ''}</span>
                      <span role="cell">{row.owner ?? ''}</span>
                      <span role="cell">{row.tier ?? ''}</span>
                      <span role="cell" className="detail" title={row.detail}>
                        {row.detail}
                      </span>
                    </>
                  ) : (
                    <span role="cell" className="muted">
                      loading…
                    </span>
                  )}
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </section>
  );
}
