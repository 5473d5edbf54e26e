import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { discoverFleet, renderFleetYaml } from '../../facts/discover-fleet.js';
import { FlotillaError } from '../../model/errors.js';
import type { Output } from '../output.js';

const EXAMPLE_CAMPAIGN = `# A Flotilla campaign: one change, carried out across the fleet.
# Docs: flotilla steps (the step catalogue), flotilla steps show ID (one step's inputs and outputs).
name: bump-debug
description: Move every service to debug 4.4
# CEL over target facts (name, owner, tier, tags, languages, dependencies, hasTests …); omit for every target.
targets: "'debug' in dependencies"
steps:
  - id: bump
    uses: npm/bump-dependency
    with: { package: debug, version: 4.4.1 }
  - id: install
    uses: run
    with: { command: npm ci --ignore-scripts }
  - id: test
    uses: run
    with: { command: npm test }
    timeout: 10m
    retry: { attempts: 2 }
  - id: open
    uses: change/open
  - id: merge
    uses: change/merge
`;

const EXAMPLE_FLEET = `# The targets a campaign can change. repo: a path (relative to this file) or a git URL.
targets:
  - name: billing-api
    repo: ./repos/billing-api
    owner: team-payments
    tier: 0
    tags: [http]
`;

export function registerInit(program: Command, output: Output): void {
  program
    .command('init')
    .description('Write an example campaign.yaml and fleet.yaml (the fleet from repositories under --repos)')
    .option('--dir <dir>', 'where to write them', '.')
    .option('--repos <dir>', 'discover the fleet from the git repositories in this folder')
    .option('--force', 'overwrite existing files')
    .action(async (options: { dir: string; repos?: string; force?: boolean }) => {
      const campaignFile = join(options.dir, 'campaign.yaml');
      const fleetFile = join(options.dir, 'fleet.yaml');
      for (const file of [campaignFile, fleetFile]) {
        if (existsSync(file) && !options.force) throw new FlotillaError('bad-input', `${file} exists; pass --force to overwrite it`);
      }
      const fleet = options.repos ? renderFleetYaml(await discoverFleet(options.repos, options.dir)) : EXAMPLE_FLEET;
      await writeFile(campaignFile, EXAMPLE_CAMPAIGN);
      await writeFile(fleetFile, fleet);
      output.out(`Wrote ${campaignFile} and ${fleetFile}.\nCheck the plan with: flotilla run ${campaignFile} --fleet ${fleetFile} --dry-run`);
    });
}
