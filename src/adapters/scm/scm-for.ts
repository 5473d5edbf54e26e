import type { Target } from '../../model/fleet.js';
import { GitHubScm } from './github.js';
import { GitLabScm } from './gitlab.js';
import { LocalGitScm } from './local-git.js';
import type { ScmAdapter } from './scm.js';

/**
 * Picks the SCM adapter for a target from its repository: github.com (or `FLOTILLA_GITHUB_HOST`) →
 * GitHub (token `GITHUB_TOKEN`), gitlab.com (or `FLOTILLA_GITLAB_HOST`) → GitLab (`GITLAB_TOKEN`), any other
 * repository → plain git. Adapters are kept per repository.
 */
export function createScmResolver(env: Readonly<Record<string, string | undefined>> = process.env): (target: Target) => ScmAdapter {
  const adapters = new Map<string, ScmAdapter>();
  return (target) => {
    const repo = target.facts.repo;
    let adapter = adapters.get(repo);
    if (!adapter) {
      adapter = adapterFor(repo, env);
      adapters.set(repo, adapter);
    }
    return adapter;
  };
}

function adapterFor(repo: string, env: Readonly<Record<string, string | undefined>>): ScmAdapter {
  const hosted = /^(?:https:\/\/|ssh:\/\/git@|git@)([^/:]+)[/:](.+?)(?:\.git)?\/?$/.exec(repo);
  if (!hosted) return new LocalGitScm(repo);
  const [, host = '', path = ''] = hosted;
  const githubHost = env.FLOTILLA_GITHUB_HOST ?? 'github.com';
  const gitlabHost = env.FLOTILLA_GITLAB_HOST ?? 'gitlab.com';
  if (host === githubHost) {
    const [owner = '', name = ''] = path.split('/');
    return new GitHubScm({ owner, repo: name, env, ...(host === 'github.com' ? {} : { apiUrl: `https://${host}/api/v3` }) });
  }
  if (host === gitlabHost) return new GitLabScm({ project: path, env, host: `https://${host}` });
  return new LocalGitScm(repo);
}
