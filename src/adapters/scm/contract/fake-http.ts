import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveGit } from './git-http-backend.js';

/**
 * The HTTP side shared by the contract fakes of GitHub and GitLab: one node:http server that serves the
 * git smart HTTP protocol under `/git/` (with Basic authentication) and a JSON API under an API prefix
 * (with the host's token header), records every request, and replays injected faults (rate limits,
 * server errors) so the adapters' retries are tested against real HTTP responses.
 *
 * Test infrastructure for the SCM contract fakes; not used by Flotilla itself.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  /** The request carried the valid token. */
  authorized: boolean;
  /** Every header value, to check that no secret travels where it should not. */
  headers: Record<string, string>;
  kind: 'api' | 'git';
}

export interface Fault {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** How many API requests in a row get this answer. */
  count: number;
}

export interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
}

export interface ApiResponse {
  status: number;
  body: unknown;
}

export type ApiHandler = (request: ApiRequest) => Promise<ApiResponse>;

export interface FakeHttpOptions {
  token: string;
  /** Where the bare repositories live (`<root>/<owner>/<repo>.git`). */
  gitRoot: string;
  apiPrefix: string;
  /** Whether an API request carries the token, by the host's header conventions. */
  apiAuthorized: (request: IncomingMessage, token: string) => boolean;
  unauthorized: ApiResponse;
  handler: ApiHandler;
}

export class FakeHttp {
  readonly requests: RecordedRequest[] = [];
  private readonly faults: Fault[] = [];
  private server: Server | undefined;
  url = '';

  constructor(private readonly options: FakeHttpOptions) {}

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        response.statusCode = 500;
        response.end(JSON.stringify({ message: `fake failed: ${String(error)}` }));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  /** The next `count` API requests get this answer instead of their own. */
  inject(fault: Fault): void {
    this.faults.push({ ...fault });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) headers[name] = String(value);
    if (url.pathname.startsWith('/git/')) {
      const authorized = this.gitAuthorized(request);
      this.requests.push({ method: request.method ?? 'GET', path: url.pathname, authorized, headers, kind: 'git' });
      if (!authorized) {
        response.writeHead(401, { 'WWW-Authenticate': 'Basic realm="fake"' }).end('authentication required');
        return;
      }
      serveGit(request, response, this.options.gitRoot, url.pathname.slice('/git'.length), url.search.slice(1));
      return;
    }
    const authorized = this.options.apiAuthorized(request, this.options.token);
    this.requests.push({ method: request.method ?? 'GET', path: url.pathname, authorized, headers, kind: 'api' });
    const text = await readBody(request);
    const fault = this.faults[0];
    if (fault) {
      fault.count--;
      if (fault.count <= 0) this.faults.shift();
      send(response, fault.status, fault.body ?? { message: 'injected fault' }, fault.headers);
      return;
    }
    if (!authorized) {
      send(response, this.options.unauthorized.status, this.options.unauthorized.body);
      return;
    }
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    const path = url.pathname.startsWith(this.options.apiPrefix) ? url.pathname.slice(this.options.apiPrefix.length) : url.pathname;
    const answer = await this.options.handler({ method: request.method ?? 'GET', path, query: url.searchParams, body });
    send(response, answer.status, answer.body);
  }

  private gitAuthorized(request: IncomingMessage): boolean {
    const header = request.headers.authorization ?? '';
    if (!header.startsWith('Basic ')) return false;
    const decoded = Buffer.from(header.slice(6), 'base64').toString();
    return decoded.slice(decoded.indexOf(':') + 1) === this.options.token;
  }
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  response.end(status === 204 ? undefined : JSON.stringify(body));
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** A request field as text (JSON bodies are untyped). */
export function text(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : fallback;
}
