import { spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Serves real git repositories over git's smart HTTP protocol by running `git http-backend` as a CGI
 * program behind node:http, so the contract fakes' clones and pushes are real git traffic (with the
 * same Authorization header a code host checks), not a shortcut through the file system.
 *
 * Test infrastructure for the SCM contract fakes; not used by Flotilla itself.
 */
export function serveGit(request: IncomingMessage, response: ServerResponse, projectRoot: string, pathInfo: string, query: string): void {
  const child = spawn('git', ['http-backend'], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_PROJECT_ROOT: projectRoot,
      GIT_HTTP_EXPORT_ALL: '1',
      // http-backend allows pushes (receive-pack) only to an authenticated user.
      REMOTE_USER: 'flotilla-contract',
      REMOTE_ADDR: '127.0.0.1',
      REQUEST_METHOD: request.method ?? 'GET',
      PATH_INFO: pathInfo,
      QUERY_STRING: query,
      CONTENT_TYPE: request.headers['content-type'] ?? '',
      ...(request.headers['content-length'] ? { CONTENT_LENGTH: request.headers['content-length'] } : {}),
      ...(request.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: request.headers['content-encoding'] } : {}),
      ...(request.headers['git-protocol'] ? { GIT_PROTOCOL: String(request.headers['git-protocol']) } : {}),
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  request.pipe(child.stdin);
  const chunks: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.stderr.resume();
  child.on('close', () => {
    const output = Buffer.concat(chunks);
    let split = output.indexOf('\r\n\r\n');
    let gap = 4;
    if (split === -1) {
      split = output.indexOf('\n\n');
      gap = 2;
    }
    const head = output.subarray(0, Math.max(split, 0)).toString('latin1');
    let status = 200;
    for (const line of head.split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon === -1) continue;
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 200;
      else response.setHeader(name, value);
    }
    response.statusCode = status;
    response.end(split === -1 ? output : output.subarray(split + gap));
  });
}
