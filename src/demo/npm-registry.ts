import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import semver from 'semver';
import { createPackageTarball } from './tarball.js';

/**
 * A small, real npm registry on loopback. The demo and the tests run the real npm client against it
 * (`npm install --package-lock-only`, `npm ci`) so nothing needs the network, and every byte npm sees
 * (packument, integrity, tarball) is what a public registry would serve.
 */

/** One published version of a package, given as its files in memory. */
export interface RegistryPackage {
  name: string;
  version: string;
  /** Package-relative paths to contents; `package.json` is generated from the other fields. */
  files: Record<string, string>;
  dependencies?: Record<string, string>;
  license?: string;
  scripts?: Record<string, string>;
  /** More package.json fields (`type`, `exports`, `description` …). */
  manifest?: Record<string, unknown>;
  /** When the version was published (ISO time); by default one day apart, in the order given. */
  published?: string;
}

export interface NpmRegistry {
  /** `http://127.0.0.1:<port>`, for `npm_config_registry`. */
  url: string;
  close(): Promise<void>;
}

interface Published {
  manifest: Record<string, unknown>;
  tarball: Buffer;
  published: string;
}

const EPOCH = Date.UTC(2024, 0, 1);
const DAY = 86_400_000;

/** Starts the registry on a random loopback port, serving exactly the packages given. */
export async function startNpmRegistry(packages: readonly RegistryPackage[]): Promise<NpmRegistry> {
  const byName = new Map<string, Map<string, Published>>();
  packages.forEach((pkg, index) => {
    const versions = byName.get(pkg.name) ?? new Map<string, Published>();
    if (versions.has(pkg.version)) throw new Error(`${pkg.name}@${pkg.version} is given twice`);
    const manifest = packageManifest(pkg);
    const tarball = createPackageTarball({ ...pkg.files, 'package.json': `${JSON.stringify(manifest, null, 2)}\n` });
    versions.set(pkg.version, { manifest, tarball, published: pkg.published ?? new Date(EPOCH + index * DAY).toISOString() });
    byName.set(pkg.name, versions);
  });

  const server = createServer((request, response) => {
    handle(request, response, byName, registryUrl);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const registryUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: registryUrl,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function handle(
  request: IncomingMessage,
  response: ServerResponse,
  byName: Map<string, Map<string, Published>>,
  registryUrl: string,
): void {
  if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, { error: 'method not allowed' });
  const path = new URL(request.url ?? '/', registryUrl).pathname;
  const separator = path.indexOf('/-/');
  if (separator > 0) {
    // /<name>/-/<basename>-<version>.tgz, with a scoped name written as @scope/name
    const name = decodeURIComponent(path.slice(1, separator));
    const file = path.slice(separator + 3);
    for (const [version, entry] of byName.get(name) ?? []) {
      if (file === tarballFile(name, version)) return sendBytes(response, entry.tarball, request.method === 'HEAD');
    }
    return send(response, 404, { error: 'not found' });
  }
  const name = decodeURIComponent(path.slice(1));
  const versions = byName.get(name);
  if (!versions) return send(response, 404, { error: 'not found' });
  return send(response, 200, packument(name, versions, registryUrl), request.method === 'HEAD');
}

/** The document npm reads to resolve a package: every version's manifest, dist-tags and times. */
function packument(name: string, versions: Map<string, Published>, registryUrl: string): Record<string, unknown> {
  const documents: Record<string, unknown> = {};
  const time: Record<string, string> = {};
  let latest: string | undefined;
  for (const [version, entry] of versions) {
    documents[version] = {
      ...entry.manifest,
      _id: `${name}@${version}`,
      dist: {
        tarball: `${registryUrl}/${name}/-/${tarballFile(name, version)}`,
        integrity: `sha512-${createHash('sha512').update(entry.tarball).digest('base64')}`,
        shasum: createHash('sha1').update(entry.tarball).digest('hex'),
      },
    };
    time[version] = entry.published;
    if (semver.prerelease(version) === null && (latest === undefined || semver.gt(version, latest))) latest = version;
  }
  const stamps = Object.values(time).sort();
  return {
    _id: name,
    name,
    'dist-tags': { latest: latest ?? [...versions.keys()].at(-1) },
    versions: documents,
    time: { created: stamps[0], modified: stamps.at(-1), ...time },
  };
}

function packageManifest(pkg: RegistryPackage): Record<string, unknown> {
  return {
    name: pkg.name,
    version: pkg.version,
    ...pkg.manifest,
    ...(pkg.license === undefined ? {} : { license: pkg.license }),
    ...(pkg.scripts === undefined ? {} : { scripts: pkg.scripts }),
    ...(pkg.dependencies === undefined ? {} : { dependencies: pkg.dependencies }),
  };
}

function tarballFile(name: string, version: string): string {
  return `${name.slice(name.lastIndexOf('/') + 1)}-${version}.tgz`;
}

function send(response: ServerResponse, status: number, body: unknown, headOnly = false): void {
  const data = Buffer.from(JSON.stringify(body));
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': data.length });
  response.end(headOnly ? undefined : data);
}

function sendBytes(response: ServerResponse, data: Buffer, headOnly: boolean): void {
  response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': data.length });
  response.end(headOnly ? undefined : data);
}
