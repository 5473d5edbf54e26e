import { useEffect } from 'react';
import { CampaignPage } from './campaign-page.js';
import { CampaignsPage } from './campaigns-page.js';
import { Link, paths, useRoute, type Route } from './router.js';
import { RunPage } from './run-page.js';
import { TokenDialog } from './token-dialog.js';

/** The dashboard: a header, the page the URL names, and the token dialog (shown when the server asks). */
export function App() {
  const route = useRoute();
  useEffect(() => {
    document.title = `${titleOf(route)} · Flotilla`;
    // A new page: focus moves to it, as a full page load would do for a screen reader.
    document.getElementById('main')?.focus();
  }, [route]);
  return (
    <>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="top">
        <Link to={paths.campaigns()} className="brand">
          Flotilla
        </Link>
      </header>
      <Page route={route} />
      <TokenDialog />
    </>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'campaigns':
      return <CampaignsPage />;
    case 'campaign':
      return <CampaignPage key={route.campaign} name={route.campaign} />;
    case 'run':
      return <RunPage key={`${route.campaign}\n${route.target}`} campaign={route.campaign} target={route.target} />;
    case 'not-found':
      return (
        <main id="main" tabIndex={-1}>
          <h1>Not found</h1>
          <p>
            Nothing is at <code>{route.path}</code>. <Link to={paths.campaigns()}>See the campaigns.</Link>
          </p>
        </main>
      );
  }
}

function titleOf(route: Route): string {
  if (route.page === 'campaign') return route.campaign;
  if (route.page === 'run') return `${route.target} (${route.campaign})`;
  return route.page === 'campaigns' ? 'Campaigns' : 'Not found';
}
