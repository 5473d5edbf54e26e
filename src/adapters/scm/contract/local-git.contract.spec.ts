import { LocalGitScm } from '../local-git.js';
import { BareRepos } from './bare-repos.js';
import { defineScmContract } from './scm-contract.js';

let repos: BareRepos;
let counter = 0;

/** The reference adapter over real bare repositories on this machine. */
defineScmContract({
  name: 'local git',
  async start() {
    repos = await BareRepos.create();
  },
  stop: () => repos.close(),
  async target(files) {
    const name = `local/repo-${++counter}`;
    await repos.seed(name, files);
    return {
      adapter: new LocalGitScm(repos.path(name)),
      logs: [],
      head: (branch) => repos.head(name, branch),
      show: (ref, file) => repos.show(name, ref, file),
      commit: (branch, changed, message) => repos.commit(name, branch, changed, message),
    };
  },
});
