/** Whether the page is receiving live updates. */
export function LiveIndicator({ connected }: { connected: boolean }) {
  return (
    <span className={connected ? 'live on' : 'live off'} role="status">
      {connected ? 'live' : 'reconnecting…'}
    </span>
  );
}
