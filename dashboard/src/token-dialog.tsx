import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { setTokenAsker } from './token-store.js';

/**
 * Asks for the API token when the server refuses a request without it (401). `flotilla serve` prints
 * the token on its first start and keeps it in `<state>/api-token`. Mounted once, at the root.
 */
export function TokenDialog() {
  const dialog = useRef<HTMLDialogElement>(null);
  const [prompt, setPrompt] = useState<{ reason: string; resolve: (token: string | undefined) => void } | undefined>(undefined);
  const [value, setValue] = useState('');
  const titleId = useId();
  const inputId = useId();
  useEffect(() => {
    setTokenAsker((reason) => new Promise((resolve) => setPrompt({ reason, resolve })));
    return () => setTokenAsker(undefined);
  }, []);
  useEffect(() => {
    const element = dialog.current;
    if (prompt && element && !element.open) {
      setValue('');
      element.showModal();
    }
  }, [prompt]);
  const finish = (token: string | undefined): void => {
    dialog.current?.close();
    prompt?.resolve(token);
    setPrompt(undefined);
  };
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    finish(value.trim() || undefined);
  };
  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        finish(undefined);
      }}
    >
      <form onSubmit={submit}>
        <h2 id={titleId}>API token</h2>
        <p>{prompt?.reason}</p>
        <p className="hint">
          <code>flotilla serve</code> printed it when it first started; it is also in <code>&lt;state&gt;/api-token</code>. It is kept for this tab only.
        </p>
        <p className="field">
          <label htmlFor={inputId}>Token</label>
          <input id={inputId} type="password" autoComplete="off" value={value} onChange={(event) => setValue(event.target.value)} required />
        </p>
        <div className="dialog-buttons">
          <button type="button" onClick={() => finish(undefined)}>
            Cancel
          </button>
          <button type="submit" className="primary">
            Use this token
          </button>
        </div>
      </form>
    </dialog>
  );
}
