import { join } from 'node:path';

export interface NpmEnvOptions {
  /** The registry npm resolves and downloads from. */
  registry: string;
  /** A private npm cache folder, so runs never share (or pollute) the user's cache. */
  cache: string;
  /** Extra variables, applied last. */
  extra?: Record<string, string | undefined>;
}

/**
 * The environment for running the real npm client against the demo registry, isolated from the
 * machine it runs on: the user's `~/.npmrc` is not read (its registry, tokens or lockfile options would
 * change what npm does), nothing phones home (update check, audit, funding).
 */
export function npmEnv(options: NpmEnvOptions): Record<string, string | undefined> {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: process.env.TMPDIR,
    npm_config_registry: options.registry,
    npm_config_cache: options.cache,
    // A file that does not exist: npm then reads no user configuration.
    npm_config_userconfig: join(options.cache, 'no-user-npmrc'),
    npm_config_update_notifier: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    ...options.extra,
  };
}
