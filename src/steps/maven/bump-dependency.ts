import { z } from 'zod';
import { applyPlan, readTrackedFiles } from '../../ecosystems/apply-plan.js';
import { bumpOutput, PLAIN_VERSION } from '../../ecosystems/bump-output.js';
import { planMavenBump } from '../../ecosystems/maven/plan-bump.js';
import { defineStep } from '../../sdk/step.js';

const input = z.strictObject({
  /** One string like the `package` of npm/bump-dependency (and as the key in target facts). */
  package: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+:[A-Za-z0-9_.-]+$/, 'must be groupId:artifactId, such as com.google.guava:guava')
    .describe('groupId:artifactId'),
  version: z
    .string()
    .regex(PLAIN_VERSION, 'must be one exact version such as 2.17.1 (no range, no property)')
    .describe('the exact version to move to, as Maven writes it (33.2.1-jre)'),
});

/**
 * Bumps a Maven dependency in every pom.xml of the repository, in place or in the `<properties>` entry
 * its version comes from, keeping every other byte of the files. There is no lockfile to update: Maven
 * resolves from the pom. Ambiguous cases (a shared property, a range, conflicting declarations, a
 * version managed by a parent outside the repository) end the run as `needs-human` with the reason.
 */
export const mavenBumpDependency = defineStep({
  id: 'maven/bump-dependency',
  description:
    'Bumps a Maven dependency (groupId:artifactId) in every pom.xml — dependencies, dependencyManagement or the property its version comes from — keeping the files byte-identical otherwise.',
  kind: 'change',
  workspace: true,
  input,
  output: bumpOutput,
  examples: [
    { title: 'Move every service to Guava 33.2.1', with: { package: 'com.google.guava:guava', version: '33.2.1-jre' } },
    { title: 'Bump a managed dependency', with: { package: 'com.fasterxml.jackson.core:jackson-databind', version: '2.17.1' } },
  ],
  async run({ package: name, version }, ctx) {
    const [groupId = '', artifactId = ''] = name.split(':');
    const files = await readTrackedFiles(ctx.workspace, ['pom.xml', '**/pom.xml'], ctx.signal);
    return applyPlan(ctx, name, version, files, planMavenBump(files, groupId, artifactId, version));
  },
});
