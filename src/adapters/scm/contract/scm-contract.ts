import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git } from '../../../git/git.js';
import { FlotillaError } from '../../../model/errors.js';
import type { PublishedChange } from '../scm.js';
import { changeCommit, emptyWorkspace, eventually, type ContractSubject, type ContractTarget } from './contract-target.js';

/**
 * The one contract every SCM adapter must keep, as vitest tests: checkout, publish (a retry updates the
 * same change), merge (a second merge finds it merged), conflict, close, revert, check status, labels
 * and CODEOWNERS reviewers, branch protection with and without auto-merge, and — for hosts reached over
 * HTTP — retries of rate limits and server errors, the token on every request and in no log or error.
 * Parts a host does not have are not run for it (`it.runIf`, with the reason in the test name).
 */
export function defineScmContract(subject: ContractSubject): void {
  describe(`SCM contract: ${subject.name}`, () => {
    beforeAll(() => subject.start(), 60_000);
    afterAll(() => subject.stop());

    const FILES = { 'README.md': '# svc\n', 'src/app.txt': 'version 1\n', CODEOWNERS: '*.md @docs-lead\nsrc/ @alice @acme/core\n' };

    async function opened(target: ContractTarget, files: Record<string, string> = { 'src/app.txt': 'version 2\n' }) {
      const workspace = await emptyWorkspace();
      const { commit: base } = await target.adapter.checkout({ workspace, branch: 'main' });
      const commit = await changeCommit(workspace, files);
      const change = await target.adapter.publishChange({ workspace, branch: 'flotilla/contract', commit, baseBranch: 'main', title: 'Bump the app', body: 'Made by the contract' });
      return { workspace, base, commit, change };
    }

    const merge = (target: ContractTarget, workspace: string, change: PublishedChange, adapter = target.adapter) =>
      adapter.mergeChange({ workspace, change, baseBranch: 'main', message: 'Merge flotilla/contract' });

    it('checks out the base branch at its head', async () => {
      const target = await subject.target(FILES);
      const workspace = await emptyWorkspace();
      const { commit } = await target.adapter.checkout({ workspace, branch: 'main' });
      expect(commit).toBe(await target.head('main'));
      expect(await readFile(join(workspace, 'src/app.txt'), 'utf8')).toBe('version 1\n');
    });

    it('publishes a change on its branch, and publishing again updates the same change', async () => {
      const target = await subject.target(FILES);
      const { workspace, commit, change } = await opened(target);
      expect(change).toMatchObject({ branch: 'flotilla/contract', commit });
      expect(await target.head('flotilla/contract')).toBe(commit);
      const second = await changeCommit(workspace, { 'src/app.txt': 'version 3\n' }, 'again', `${commit}^`);
      const again = await target.adapter.publishChange({ workspace, branch: 'flotilla/contract', commit: second, baseBranch: 'main', title: 'Bump the app again', body: '' });
      expect(again.id).toBe(change.id);
      expect(await target.head('flotilla/contract')).toBe(second);
      if (target.changeInfo) expect(await target.changeInfo(change.id)).toMatchObject({ state: 'open', title: 'Bump the app again' });
    });

    it('merges the change into the base branch, and a second merge finds it already merged', async () => {
      const target = await subject.target(FILES);
      const { workspace, change } = await opened(target);
      const result = await merge(target, workspace, change);
      expect(result.alreadyMerged).toBe(false);
      expect(await target.head('main')).toBe(result.commit);
      expect(await target.show('main', 'src/app.txt')).toBe('version 2\n');
      const again = await merge(target, workspace, change);
      expect(again).toEqual({ commit: result.commit, alreadyMerged: true });
      if (target.changeInfo) expect((await target.changeInfo(change.id)).state).toBe('merged');
    });

    it('refuses a change that conflicts with the base branch as a conflict, leaving the base untouched', async () => {
      const target = await subject.target(FILES);
      const { workspace, change } = await opened(target);
      const moved = await target.commit('main', { 'src/app.txt': 'someone else\n' }, 'a person edits the same line');
      const error = await merge(target, workspace, change).then(() => undefined, (caught: unknown) => caught);
      expect(error).toBeInstanceOf(FlotillaError);
      expect((error as FlotillaError).code).toBe('conflict');
      expect(await target.head('main')).toBe(moved);
    });

    it('closes a change that will not be merged, idempotently (where the adapter can close)', async () => {
      const target = await subject.target(FILES);
      const { workspace, change } = await opened(target);
      if (!target.adapter.closeChange) return expect(target.adapter.closeChange).toBeUndefined();
      await target.adapter.closeChange({ workspace, change, reason: 'the campaign was cancelled' });
      await target.adapter.closeChange({ workspace, change, reason: 'the campaign was cancelled' });
      if (target.changeInfo) expect(await target.changeInfo(change.id)).toMatchObject({ state: 'closed', comments: ['the campaign was cancelled'] });
      else expect(await target.head('flotilla/contract')).toBeUndefined();
      expect(await target.show('main', 'src/app.txt')).toBe('version 1\n');
    });

    // LocalGitScm has no revert capability (nothing in the interface requires one): run where it exists.
    it.runIf(subject.name !== 'local git')('reverts a merged change with a new change that restores the base', async () => {
      const target = await subject.target(FILES);
      const { workspace, change } = await opened(target);
      const merged = await merge(target, workspace, change);
      const revert = await target.adapter.revertChange?.({ workspace, change, mergeCommit: merged.commit, baseBranch: 'main', title: 'Revert the bump', body: 'It broke' });
      expect(revert?.branch).toBe('flotilla/revert-contract');
      expect(await target.show(revert?.commit ?? '', 'src/app.txt')).toBe('version 1\n');
      if (revert) await merge(target, workspace, revert);
      expect(await target.show('main', 'src/app.txt')).toBe('version 1\n');
    });

    // Check status exists on hosts with CI (GitHub statuses, GitLab pipelines), not on plain git.
    it.runIf(subject.name !== 'local git')('reads the checks reported on the change', async () => {
      const target = await subject.target(FILES);
      const { change, commit } = await opened(target);
      const status = (): Promise<string | undefined> => target.adapter.checkStatus?.({ change }).then((result) => result.state) ?? Promise.resolve(undefined);
      expect(await status()).toBe('none');
      await target.reportCheck?.(commit, 'ci', 'pending');
      expect(await status()).toBe('pending');
      await target.reportCheck?.(commit, 'ci', 'failure');
      expect(await status()).toBe('failure');
      await target.reportCheck?.(commit, 'ci', 'success');
      expect(await status()).toBe('success');
    });

    // Labels and reviewers belong to pull/merge requests, which plain git does not have.
    it.runIf(subject.name !== 'local git')('labels the change and requests reviews from the CODEOWNERS of the changed files', async () => {
      const target = await subject.target(FILES);
      const { change } = await opened(target);
      const info = await target.changeInfo?.(change.id);
      expect(info?.labels).toEqual(['flotilla']);
      expect(info?.reviewers).toContain('alice');
      expect(info?.reviewers).not.toContain('docs-lead');
    });

    // Branch protection and auto-merge are code host features.
    it.runIf(subject.name !== 'local git')('respects branch protection: blocked without auto-merge, merged by the host with it', async () => {
      const target = await subject.target(FILES);
      target.requireCheck?.('ci');
      const { workspace, change, commit } = await opened(target);
      const blocked = await merge(target, workspace, change).then(() => undefined, (caught: unknown) => caught);
      expect(blocked).toBeInstanceOf(FlotillaError);
      expect((blocked as FlotillaError).retryable).toBe(true);
      expect(await target.show('main', 'src/app.txt')).toBe('version 1\n');
      const auto = target.withOptions?.({ autoMerge: true });
      const landing = merge(target, workspace, change, auto).then(
        (value) => value,
        (error: unknown) => ({ error }),
      );
      await eventually(() => target.autoMergeEnabled?.(change.id) ?? true);
      await target.reportCheck?.(commit, 'ci', 'success');
      const result = await landing;
      if (!('commit' in result)) throw result.error;
      expect(await target.head('main')).toBe(result.commit);
      expect(await target.show('main', 'src/app.txt')).toBe('version 2\n');
    });

    describe.runIf(subject.name !== 'local git')('over HTTP (a fake host; plain git has no API)', () => {
      it('retries rate limits (429 with retry-after, 403 with a reset time) and reports each retry', async () => {
        const target = await subject.target(FILES);
        const http = target.http;
        http?.inject({ status: 429, headers: { 'retry-after': '0' }, count: (http.absorbed429 ?? 0) + 1, body: { message: 'API rate limit exceeded' } });
        const reset = String(Math.floor(Date.now() / 1000) + 1);
        http?.inject({ status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset, 'ratelimit-reset': reset }, count: 1, body: { message: 'API rate limit exceeded' } });
        const { change } = await opened(target);
        expect(change.id).not.toBe('');
        const retries = target.logs.filter((record) => record.level === 'warn' && /retrying/.test(record.message));
        expect(retries.length).toBeGreaterThanOrEqual(2);
        expect(retries.some((record) => record.fields.status === 403)).toBe(true);
      });

      it('retries server errors, and fails as a retryable external error when they do not stop', async () => {
        const target = await subject.target(FILES);
        target.http?.inject({ status: 503, count: 2 });
        const { workspace, change } = await opened(target);
        expect(target.logs.some((record) => record.message === 'code host error: retrying' && record.fields.status === 503)).toBe(true);
        target.http?.inject({ status: 503, count: 4 });
        const error = await merge(target, workspace, change).then(() => undefined, (caught: unknown) => caught);
        expect(error).toMatchObject({ code: 'external', retryable: true });
      });

      it('sends the token on every request, and fails plainly with a wrong one without echoing it', async () => {
        const target = await subject.target(FILES);
        await opened(target);
        expect(target.http?.requests.length).toBeGreaterThan(0);
        expect(target.http?.requests.filter((request) => !request.authorized)).toEqual([]);
        const wrong = target.withOptions?.({ token: 'wrong-token-value-123' });
        const error = await wrong?.checkout({ workspace: await emptyWorkspace(), branch: 'main' }).then(() => undefined, (caught: unknown) => caught);
        expect(error).toBeInstanceOf(FlotillaError);
        expect((error as Error).message).toMatch(/401/);
        expect((error as Error).message).not.toContain('wrong-token-value-123');
      });

      it('never puts the token in logs, errors, URLs or the workspace', async () => {
        const target = await subject.target(FILES);
        const token = target.http?.token ?? '';
        const { workspace, change } = await opened(target);
        await target.commit('main', { 'src/app.txt': 'conflict\n' }, 'conflict');
        const error = await merge(target, workspace, change).then(() => undefined, (caught: unknown) => caught);
        const seen = [JSON.stringify(target.logs), String((error as Error).message), JSON.stringify((error as FlotillaError).details ?? {})];
        seen.push(await readFile(join(workspace, '.git/config'), 'utf8'), await git(workspace, ['remote', 'get-url', 'origin']));
        seen.push(...(target.http?.requests.map((request) => request.path) ?? []));
        for (const text of seen) expect(text).not.toContain(token);
        expect(token.length).toBeGreaterThan(8);
      });
    });
  });
}
