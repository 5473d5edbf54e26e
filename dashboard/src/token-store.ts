/**
 * The API token, kept for this browser tab only (sessionStorage): asked for once, forgotten when the tab
 * closes, never written into the page or a URL.
 */
const KEY = 'flotilla.api-token';

export function savedToken(): string | undefined {
  try {
    return window.sessionStorage.getItem(KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export function saveToken(token: string): void {
  window.sessionStorage.setItem(KEY, token);
}

export function forgetToken(): void {
  window.sessionStorage.removeItem(KEY);
}

type Asker = (reason: string) => Promise<string | undefined>;
let asker: Asker | undefined;
let asking: Promise<string | undefined> | undefined;

/** The token dialog registers itself here; requests that get a 401 ask through it (one dialog at a time). */
export function setTokenAsker(next: Asker | undefined): void {
  asker = next;
}

export function askForToken(reason: string): Promise<string | undefined> {
  if (!asker) return Promise.resolve(undefined);
  asking ??= asker(reason).finally(() => {
    asking = undefined;
  });
  return asking;
}
