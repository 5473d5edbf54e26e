import { useEffect, useId, useRef, useState, type FormEvent } from 'react';

export interface ConfirmRequest {
  title: string;
  message: string;
  confirmLabel: string;
  /** Ask for a reason (kept in the run history). */
  withReason?: boolean;
  danger?: boolean;
}

/**
 * A modal confirmation (the native `<dialog>`: focus moves into it, Escape cancels, the page behind is
 * inert) before any action that changes a campaign or a run.
 */
export function ConfirmDialog({ request, onClose }: { request: ConfirmRequest | undefined; onClose: (answer: { confirmed: boolean; reason: string }) => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const titleId = useId();
  const reasonId = useId();
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (request && !element.open) {
      setReason('');
      element.showModal();
    } else if (!request && element.open) element.close();
  }, [request]);
  const answer = (confirmed: boolean): void => {
    dialog.current?.close();
    onClose({ confirmed, reason: reason.trim() });
  };
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    answer(true);
  };
  return (
    <dialog
      ref={dialog}
      aria-labelledby={titleId}
      className="dialog"
      onCancel={(event) => {
        event.preventDefault();
        answer(false);
      }}
    >
      {request && (
        <form onSubmit={submit}>
          <h2 id={titleId}>{request.title}</h2>
          <p>{request.message}</p>
          {request.withReason && (
            <p className="field">
              <label htmlFor={reasonId}>Reason (optional)</label>
              <textarea id={reasonId} value={reason} onChange={(event) => setReason(event.target.value)} rows={3} maxLength={2000} />
            </p>
          )}
          <div className="dialog-buttons">
            <button type="button" onClick={() => answer(false)}>
              Cancel
            </button>
            <button type="submit" className={request.danger ? 'danger' : 'primary'} autoFocus>
              {request.confirmLabel}
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}
