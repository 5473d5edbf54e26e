import type { CampaignSummary } from './api-client.js';
import { api } from './api-client.js';
import { Progress, StateBadge } from './badges.js';
import { LiveIndicator } from './live-indicator.js';
import { useLiveVersion } from './live.js';
import { Link, paths } from './router.js';
import { useResource } from './use-resource.js';
import { ErrorMessage } from './error-message.js';

const COLUMNS = ['merged', 'changed', 'needs-human', 'failed', 'skipped', 'cancelled', 'unfinished'] as const;

/** Every campaign with its progress, outcome counts, state and waiting runs; live. */
export function CampaignsPage() {
  const { version, connected } = useLiveVersion(undefined, () => true, 1000);
  const { data, error } = useResource<{ campaigns: CampaignSummary[] }>(api.campaigns(), version);
  return (
    <main id="main" tabIndex={-1}>
      <div className="page-title">
        <h1>Campaigns</h1>
        <LiveIndicator connected={connected} />
      </div>
      <ErrorMessage error={error} />
      {data && data.campaigns.length === 0 && <p>No campaigns yet. Run one with <code>flotilla run CAMPAIGN --fleet FLEET</code>.</p>}
      {data && data.campaigns.length > 0 && (
        <table className="data">
          <caption className="visually-hidden">Campaigns, their state, progress and outcome counts</caption>
          <thead>
            <tr>
              <th scope="col">Campaign</th>
              <th scope="col">State</th>
              <th scope="col">Progress</th>
              {COLUMNS.map((column) => (
                <th scope="col" key={column} className="number">
                  {column}
                </th>
              ))}
              <th scope="col" className="number">
                waiting
              </th>
            </tr>
          </thead>
          <tbody>
            {data.campaigns.map((campaign) => (
              <tr key={campaign.name}>
                <th scope="row">
                  <Link to={paths.campaign(campaign.name)}>{campaign.name}</Link>
                  {campaign.description && <div className="muted small">{campaign.description}</div>}
                </th>
                <td>
                  <StateBadge state={campaign.state} />
                </td>
                <td>
                  <Progress finished={campaign.finished} total={campaign.total} label={`${campaign.name}: ${campaign.finished} of ${campaign.total} runs ended`} />
                </td>
                {COLUMNS.map((column) => (
                  <td key={column} className="number">
                    {campaign.counts[column] ?? 0}
                  </td>
                ))}
                <td className="number">{campaign.waiting}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
