import { z } from 'zod';
import { applyPlan, readTrackedFiles } from '../../ecosystems/apply-plan.js';
import { bumpOutput, PLAIN_VERSION } from '../../ecosystems/bump-output.js';
import { planGradleBump } from '../../ecosystems/gradle/plan-bump.js';
import { defineStep } from '../../sdk/step.js';

/** The files a Gradle build declares dependency versions in. */
export const GRADLE_FILES = ['**/build.gradle', '**/build.gradle.kts', 'build.gradle', 'build.gradle.kts', 'gradle/*.versions.toml', '**/gradle/*.versions.toml'];

const input = z.strictObject({
  package: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+:[A-Za-z0-9_.-]+$/, 'must be group:artifact, such as com.squareup.okhttp3:okhttp')
    .describe('group:artifact (the module), as in target facts'),
  version: z.string().regex(PLAIN_VERSION, 'must be one exact version such as 4.12.0 (no range, no dynamic version)').describe('the exact version to move to'),
});

/**
 * Bumps a Gradle dependency in build scripts (Groovy and Kotlin DSL) and version catalogs, keeping the
 * files byte-identical otherwise. Gradle's dependency locking (`gradle.lockfile`) is not updated: a
 * target that has one is told so in `notes`, since only Gradle itself can write it.
 */
export const gradleBumpDependency = defineStep({
  id: 'gradle/bump-dependency',
  description:
    'Bumps a Gradle dependency (group:artifact) in build.gradle, build.gradle.kts and gradle/libs.versions.toml (inline or [versions] by version.ref), keeping the files byte-identical otherwise.',
  kind: 'change',
  workspace: true,
  input,
  output: bumpOutput,
  examples: [{ title: 'Move every service to OkHttp 4.12.0', with: { package: 'com.squareup.okhttp3:okhttp', version: '4.12.0' } }],
  async run({ package: name, version }, ctx) {
    const [group = '', artifact = ''] = name.split(':');
    const files = await readTrackedFiles(ctx.workspace, GRADLE_FILES, ctx.signal);
    const lockfiles = await readTrackedFiles(ctx.workspace, ['gradle.lockfile', '**/gradle.lockfile'], ctx.signal);
    const notes = lockfiles
      .filter((lockfile) => lockfile.text.includes(`${name}:`))
      .map((lockfile) => `${lockfile.file} was not updated: run ./gradlew dependencies --write-locks to update it`);
    for (const note of notes) ctx.log.warn('a Gradle lockfile was left as it was', { note });
    return applyPlan(ctx, name, version, files, planGradleBump(files, group, artifact, version), notes);
  },
});
