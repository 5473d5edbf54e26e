import { useState } from 'react';
import { ApiError, type ActionResult } from './api-client.js';
import { ConfirmDialog, type ConfirmRequest } from './confirm-dialog.js';
import { Link, paths } from './router.js';

export interface ActionSpec {
  label: string;
  confirm: ConfirmRequest;
  perform: (reason: string) => Promise<ActionResult>;
  danger?: boolean;
}

/**
 * Buttons for the human actions of a page. Each asks for confirmation first; the result (what was
 * recorded, or why it was refused) is announced in a live region. The page itself updates from the
 * event stream once the engine has applied the action.
 */
export function ActionBar({ actions, label }: { actions: readonly ActionSpec[]; label: string }) {
  const [pending, setPending] = useState<ActionSpec | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; error: boolean; campaign?: string } | undefined>(undefined);
  const close = async ({ confirmed, reason }: { confirmed: boolean; reason: string }): Promise<void> => {
    const action = pending;
    setPending(undefined);
    if (!confirmed || !action) return;
    setBusy(true);
    try {
      const result = await action.perform(reason);
      setMessage({ text: `${result.what}; applied by ${result.appliedBy}.`, error: false, ...(result.campaign ? { campaign: result.campaign } : {}) });
    } catch (error) {
      setMessage({ text: error instanceof ApiError ? `Refused (${error.status}): ${error.reason}` : String(error), error: true });
    } finally {
      setBusy(false);
    }
  };
  if (actions.length === 0) return null;
  return (
    <div className="action-bar">
      <div role="group" aria-label={label} className="buttons">
        {actions.map((action) => (
          <button key={action.label} type="button" className={action.danger ? 'danger' : ''} disabled={busy} onClick={() => setPending(action)}>
            {action.label}
          </button>
        ))}
      </div>
      <p role={message?.error ? 'alert' : 'status'} className={message?.error ? 'message error' : 'message'}>
        {message?.text}
        {message?.campaign && (
          <>
            {' '}
            <Link to={paths.campaign(message.campaign)}>Open {message.campaign}</Link>
          </>
        )}
      </p>
      <ConfirmDialog request={pending?.confirm} onClose={(answer) => void close(answer)} />
    </div>
  );
}
