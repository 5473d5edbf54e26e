import { ApiError } from './api-client.js';

/** A failed request, said plainly (the server's reason, as text). */
export function ErrorMessage({ error }: { error: Error | undefined }) {
  if (!error) return null;
  const text = error instanceof ApiError ? `${error.status === 404 ? 'Not found' : `Error ${error.status}`}: ${error.reason}` : error.message;
  return (
    <p role="alert" className="message error">
      {text}
    </p>
  );
}
