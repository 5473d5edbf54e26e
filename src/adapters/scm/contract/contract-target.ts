import { mkdtemp, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { git } from '../../../git/git.js';
import type { HostedScmOptions } from '../hosted-options.js';
import type { ScmAdapter } from '../scm.js';
import type { Fault, RecordedRequest } from './fake-http.js';

/**
 * What the SCM contract suite needs from each adapter under test: the adapter for a fresh repository,
 * and a view of the repository from the host's side (to check what really landed). Optional parts
 * exist only where the host has them (change requests, checks, HTTP).
 */
export interface ContractTarget {
  adapter: ScmAdapter;
  /** Everything the adapter reported through its log. */
  logs: { level: string; message: string; fields: Record<string, unknown> }[];
  head(branch: string): Promise<string | undefined>;
  show(ref: string, file: string): Promise<string | undefined>;
  /** A person commits on a branch of the host's repository. */
  commit(branch: string, files: Record<string, string>, message: string): Promise<string>;
  /** The host's view of a published change (hosts with pull/merge requests). */
  changeInfo?(id: string): Promise<{ state: 'open' | 'closed' | 'merged'; title: string; labels: string[]; reviewers: string[]; comments: string[] }>;
  /** CI reports on a commit (hosts with checks). */
  reportCheck?(commit: string, name: string, state: 'success' | 'pending' | 'failure'): Promise<void>;
  /** Branch protection: the check must pass before a merge (hosts with protection). */
  requireCheck?(name: string): void;
  /** True once the host's auto-merge is on for the change. */
  autoMergeEnabled?(id: string): boolean;
  /** The same repository through an adapter with other options. */
  withOptions?(options: Partial<HostedScmOptions>): ScmAdapter;
  /** The HTTP side of a fake host. */
  http?: {
    token: string;
    requests: RecordedRequest[];
    inject(fault: Fault): void;
    /** How many 429 answers in a row the client library absorbs before the adapter sees one. */
    absorbed429: number;
  };
}

export interface ContractSubject {
  name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** A fresh repository whose `main` holds `files`, and the adapter for it. */
  target(files: Record<string, string>): Promise<ContractTarget>;
}

/** An empty folder for a workspace. */
export async function emptyWorkspace(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'flotilla-contract-')), 'workspace');
}

/**
 * Makes a change commit in a checked-out workspace the way change/open does: the given files on top
 * of `parent` (default HEAD), one parent, the fixed identity.
 */
export async function changeCommit(workspace: string, files: Record<string, string>, message = 'Flotilla change', parent = 'HEAD'): Promise<string> {
  await git(workspace, ['checkout', '--quiet', '--detach', parent]);
  for (const [file, text] of Object.entries(files)) {
    await mkdir(dirname(join(workspace, file)), { recursive: true });
    await writeFile(join(workspace, file), text);
  }
  await git(workspace, ['add', '--all']);
  const tree = await git(workspace, ['write-tree']);
  const base = await git(workspace, ['rev-parse', parent]);
  return git(workspace, ['commit-tree', tree, '-p', base, '-m', message]);
}

/** Waits until `check` is true (polling), or fails after `ms`. */
export async function eventually(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
