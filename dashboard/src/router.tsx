import { useEffect, useState, type AnchorHTMLAttributes, type MouseEvent, type ReactNode } from 'react';

/** The pages of the dashboard, from the URL path (so every page has a URL that can be shared or reloaded). */
export type Route =
  | { page: 'campaigns' }
  | { page: 'campaign'; campaign: string }
  | { page: 'run'; campaign: string; target: string }
  | { page: 'not-found'; path: string };

export function parseRoute(pathname: string): Route {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { page: 'campaigns' };
  if (parts[0] === 'campaigns' && parts.length === 2 && parts[1]) return { page: 'campaign', campaign: parts[1] };
  if (parts[0] === 'runs' && parts.length === 3 && parts[1] && parts[2]) return { page: 'run', campaign: parts[1], target: parts[2] };
  return { page: 'not-found', path: pathname };
}

export const paths = {
  campaigns: (): string => '/',
  campaign: (name: string): string => `/campaigns/${encodeURIComponent(name)}`,
  run: (campaign: string, target: string): string => `/runs/${encodeURIComponent(campaign)}/${encodeURIComponent(target)}`,
};

const listeners = new Set<() => void>();

export function navigate(to: string): void {
  window.history.pushState(null, '', to);
  for (const listener of listeners) listener();
}

/** The current route; re-renders on navigation and on the browser's back and forward. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.pathname));
  useEffect(() => {
    const update = (): void => setRoute(parseRoute(window.location.pathname));
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return route;
}

/** A real link (it opens in a new tab, it can be copied) that navigates without reloading the page. */
export function Link({ to, children, ...rest }: { to: string; children: ReactNode } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>): void => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={onClick} {...rest}>
      {children}
    </a>
  );
}
