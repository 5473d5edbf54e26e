import { useEffect, useRef, useState } from 'react';
import type { LogLineView } from './api-client.js';
import { api } from './api-client.js';
import { openSse } from './sse-client.js';

/**
 * A step's log, streamed from the server as it is written (server-sent events) until the run ends. Lines
 * are text — whatever a target's build prints is shown, never interpreted.
 */
export function StepLog({ campaign, target, step, live }: { campaign: string; target: string; step: string; live: boolean }) {
  const [lines, setLines] = useState<LogLineView[]>([]);
  const [ended, setEnded] = useState(false);
  const box = useRef<HTMLPreElement>(null);
  useEffect(() => {
    setLines([]);
    setEnded(false);
    const url = `${api.runPart(campaign, target, 'logs/stream')}?step=${encodeURIComponent(step)}`;
    const close = openSse(url, (message) => {
      if (message.event === 'log') {
        const batch = (JSON.parse(message.data) as { lines: LogLineView[] }).lines;
        setLines((previous) => [...previous, ...batch]);
      } else if (message.event === 'end') {
        setEnded(true);
        close();
      }
    });
    return close;
  }, [campaign, target, step]);
  useEffect(() => {
    const element = box.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, [lines]);
  let attempt = 0;
  const text = lines
    .map((line) => {
      const header = line.attempt !== attempt ? `── attempt ${line.attempt}\n` : '';
      attempt = line.attempt;
      return header + line.text;
    })
    .join('\n');
  return (
    <div className="step-log">
      <pre ref={box} role="log" aria-label={`Log of step ${step}`} tabIndex={0}>
        {text || (ended ? '(no output)' : 'waiting for output…')}
      </pre>
      <p className="muted small">{ended || !live ? `${lines.length} lines` : `${lines.length} lines, following live`}</p>
    </div>
  );
}
