import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { createApiHandler, type ApiHandlerOptions } from '../../src/api/create-api-handler.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { flotilla, startFlotilla, type CliResult } from '../helpers/cli.js';
import { makeRepo, tempDir } from '../helpers/repos.js';
import type { ChildProcess } from 'node:child_process';

/** A target name a fleet may use (any text): the dashboard must show it as text, never as markup. */
export const SCRIPT_TARGET = '<script>alert(1)</script>';
export const CAMPAIGN = 'rollout-demo';
export const TOKEN = 'test-token-for-the-api-0123456789';

export interface GatedFleet {
  dir: string;
  state: string;
  campaignFile: string;
  fleetFile: string;
  /** The first `flotilla run`: it stops with `gated` waiting at the approval step. */
  first: CliResult;
}

const TARGETS: { name: string; dir: string; owner: string; tier: number; tags: string[]; broken?: boolean }[] = [
  { name: 'billing-api', dir: 'billing-api', owner: 'team-payments', tier: 0, tags: ['http'] },
  { name: 'catalog-web', dir: 'catalog-web', owner: 'team-storefront', tier: 2, tags: ['http'] },
  { name: 'search-worker', dir: 'search-worker', owner: 'team-data', tier: 3, tags: ['queue'], broken: true },
  { name: 'ledger-api', dir: 'ledger-api', owner: 'team-payments', tier: 0, tags: ['http', 'gated'] },
  { name: SCRIPT_TARGET, dir: 'odd-name', owner: 'team-growth', tier: 2, tags: [] },
];

/**
 * A small real fleet (git repositories) and a campaign with an approval step, run once with the real
 * CLI: three targets merge, `search-worker` fails at `test`, and `ledger-api` waits at `approve` for
 * team-sre. One target is named `<script>alert(1)</script>`.
 */
export async function makeGatedFleet(): Promise<GatedFleet> {
  const dir = await tempDir('flotilla-api-');
  for (const target of TARGETS) {
    await makeRepo(join(dir, 'repos', target.dir), { VERSION: '1\n', 'README.md': `${target.dir}\n`, ...(target.broken ? { BROKEN: 'yes\n' } : {}) });
  }
  const fleetFile = join(dir, 'fleet.yaml');
  await writeFile(fleetFile, stringify({ targets: TARGETS.map((target) => ({ name: target.name, repo: `./repos/${target.dir}`, owner: target.owner, tier: target.tier, tags: target.tags })) }));
  const campaignFile = join(dir, 'campaign.yaml');
  await writeFile(
    campaignFile,
    stringify({
      name: CAMPAIGN,
      description: 'Move every service to VERSION 2',
      steps: [
        { id: 'edit', uses: 'codemod/replace', with: { files: ['VERSION'], find: '1', replace: '2' } },
        { id: 'test', uses: 'run', with: { command: "test ! -f BROKEN || { echo 'not ok 1 - the service is broken'; exit 1; }" } },
        { id: 'approve', uses: 'approval', if: "'gated' in target.tags", with: { approvers: ['team-sre'] } },
        { id: 'open', uses: 'change/open' },
        { id: 'merge', uses: 'change/merge' },
      ],
    }),
  );
  const state = join(dir, 'state');
  const first = await flotilla(['run', campaignFile, '--fleet', fleetFile, '--json', '--state', state]);
  return { dir, state, campaignFile, fleetFile, first };
}

/** `flotilla serve` on a free port over `state`; resolves with its URL once it listens. */
export async function startServe(state: string, extra: readonly string[] = [], env: Record<string, string | undefined> = { FLOTILLA_API_TOKEN: TOKEN }): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const started = startFlotilla(['serve', '--port', '0', '--state', state, ...extra], { env });
  let text = '';
  started.child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  started.child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    const url = /serving on (http:\/\/\S+)/.exec(text)?.[1];
    if (url) return { child: started.child, url, output: () => text };
    if (Date.now() > deadline || started.child.exitCode !== null) throw new Error(`flotilla serve did not start: ${text}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Polls `probe` until it returns a value (not undefined), or fails after `ms`. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The API in this process, on 127.0.0.1:0, over the fleet's real SQLite store. */
export async function startApi(state: string, options: Partial<ApiHandlerOptions> = {}): Promise<{ url: string; store: Store; close: () => Promise<void> }> {
  const store = new SqliteStore(join(state, 'flotilla.db'));
  const handler = createApiHandler({ store, stateDir: state, token: TOKEN, pollMs: 100, ...options });
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    store,
    close: async () => {
      await handler.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await store.close();
    },
  };
}

export interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

/** One request; `token: null` sends none. */
export async function call(url: string, method: string, path: string, options: { token?: string | null; body?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const token = options.token === undefined ? TOKEN : options.token;
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...(options.body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
    ...(options.body === undefined ? {} : { body: options.body }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, headers: response.headers };
}

/** Everything a request could change in the store, to compare before and after a refused one. */
export async function storeContents(store: Store): Promise<string> {
  const campaigns = await store.listCampaigns();
  const runs = [];
  const inbox = [];
  for (const campaign of campaigns) {
    runs.push(...(await store.listRuns(campaign.name)));
    inbox.push(...(await store.pendingSignals(campaign.name, 100_000)));
  }
  return JSON.stringify({ campaigns, runs, events: await store.listEvents({}), inbox });
}

/** Reads server-sent events until `enough` says so (or `ms` pass); returns the messages read. */
export async function readSse(url: string, enough: (messages: { event: string; data: unknown; id?: string }[]) => boolean, ms = 10_000, headers: Record<string, string> = {}): Promise<{ event: string; data: unknown; id?: string }[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  const messages: { event: string; data: unknown; id?: string }[] = [];
  try {
    const response = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}`, ...headers }, signal: controller.signal });
    if (!response.body) throw new Error(`no stream: ${response.status}`);
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        const id = /^id: (.*)$/m.exec(block)?.[1];
        if (event && data) messages.push({ event, data: JSON.parse(data) as unknown, ...(id ? { id } : {}) });
      }
      if (enough(messages)) break;
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return messages;
}
