import { Fragment, useState } from 'react';
import type { StepView } from './api-client.js';
import { formatDuration, formatTime } from './format.js';
import { StepLog } from './step-log.js';

/** Each step's status, attempts, start, duration and what went wrong; its log opens below it, live. */
export function StepsTable({ campaign, target, steps, runDone }: { campaign: string; target: string; steps: readonly StepView[]; runDone: boolean }) {
  const [open, setOpen] = useState<Set<string>>(() => new Set());
  const toggle = (id: string): void =>
    setOpen((previous) => {
      const next = new Set(previous);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  return (
    <section aria-labelledby="steps-heading" className="panel">
      <h2 id="steps-heading">Steps</h2>
      <table className="data steps">
        <thead>
          <tr>
            <th scope="col">Step</th>
            <th scope="col">Status</th>
            <th scope="col" className="number">
              Attempts
            </th>
            <th scope="col">Started</th>
            <th scope="col" className="number">
              Duration
            </th>
            <th scope="col">Detail</th>
            <th scope="col">Log</th>
          </tr>
        </thead>
        <tbody>
          {steps.map((step) => (
            <Fragment key={step.id}>
              <tr>
                <th scope="row">{step.id}</th>
                <td>
                  <span className={`badge step-${step.status}`}>{step.status}</span>
                </td>
                <td className="number">{step.attempt}</td>
                <td>{step.startedAt && <time dateTime={step.startedAt}>{formatTime(step.startedAt)}</time>}</td>
                <td className="number">{formatDuration(step.durationMs)}</td>
                <td className="detail-cell">{stepDetail(step)}</td>
                <td>
                  {step.attempt > 0 && (
                    <button type="button" className="small-button" aria-expanded={open.has(step.id)} aria-controls={`log-${step.id}`} onClick={() => toggle(step.id)}>
                      {open.has(step.id) ? 'Hide log' : 'Show log'}
                      <span className="visually-hidden"> of {step.id}</span>
                    </button>
                  )}
                </td>
              </tr>
              {open.has(step.id) && (
                <tr id={`log-${step.id}`}>
                  <td colSpan={7}>
                    <StepLog campaign={campaign} target={target} step={step.id} live={!runDone} />
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function stepDetail(step: StepView): string {
  if (step.error) return `${step.error.code}: ${step.error.message.split('\n')[0] ?? ''}`;
  if (step.status === 'waiting' && step.wait) return `waits for ${step.wait.reason}${step.wait.deadline ? ` until ${formatTime(step.wait.deadline)}` : ''}`;
  if (step.reason) return step.reason;
  return '';
}
