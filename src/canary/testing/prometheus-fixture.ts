import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../local/free-port.js';
import { ServiceProcess } from '../local/service-process.js';

/**
 * A real Prometheus for tests: the `prometheus` binary on PATH (Debian's package; `.ci/run` installs it),
 * with a generated config that scrapes small node exporters every second, its database in the test's
 * temporary folder, listening on a free loopback port. Nothing leaves 127.0.0.1.
 */

/** The Prometheus binary, or undefined when it is not installed (the tests that need it say so and skip). */
export const PROMETHEUS_BINARY = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin']
  .filter((folder) => isAbsolute(folder))
  .map((folder) => join(folder, 'prometheus'))
  .find((file) => existsSync(file));

/**
 * A process exposing `/metrics` in the Prometheus text format: a latency gauge around `latencySeconds`
 * (±10%, a fixed pseudo-random sequence) and a request counter growing about 100 a scrape, both labelled
 * `version`.
 */
const EXPORTER = `import { createServer } from 'node:http';
const version = process.env.VERSION;
const mean = Number(process.env.LATENCY_SECONDS);
let seed = Number(process.env.SEED);
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed / 2147483648);
let requests = 0;
createServer((request, response) => {
  if (request.url !== '/metrics') return response.writeHead(404).end();
  requests += 100 + Math.floor(10 * random());
  const latency = mean * (0.9 + 0.2 * random());
  response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
  response.end([
    '# HELP demo_request_latency_seconds Latency of the last requests.',
    '# TYPE demo_request_latency_seconds gauge',
    \`demo_request_latency_seconds{version="\${version}"} \${latency}\`,
    '# HELP demo_requests_total Requests served.',
    '# TYPE demo_requests_total counter',
    \`demo_requests_total{version="\${version}"} \${requests}\`,
    '',
  ].join('\\n'));
}).listen(Number(process.env.PORT), '127.0.0.1');
`;

export interface Exporter {
  address: string;
  service: ServiceProcess;
}

export async function startExporter(folder: string, version: string, latencySeconds: number, seed: number, signal: AbortSignal): Promise<Exporter> {
  const script = join(folder, 'exporter.mjs');
  await writeFile(script, EXPORTER);
  const port = await freePort();
  const env = { PATH: process.env.PATH, PORT: String(port), VERSION: version, LATENCY_SECONDS: String(latencySeconds), SEED: String(seed) };
  const service = await ServiceProcess.start({ command: `exec "${process.execPath}" exporter.mjs`, cwd: folder, env, signal });
  return { address: `127.0.0.1:${port}`, service };
}

export interface PrometheusServer {
  url: string;
  service: ServiceProcess;
}

/** Starts Prometheus scraping `targets` every second and waits until it is ready. */
export async function startPrometheus(binary: string, folder: string, targets: readonly string[], signal: AbortSignal): Promise<PrometheusServer> {
  const config = join(folder, 'prometheus.yml');
  await writeFile(
    config,
    [
      'global:',
      '  scrape_interval: 1s',
      '  evaluation_interval: 1s',
      'scrape_configs:',
      '  - job_name: canary-test',
      '    static_configs:',
      `      - targets: [${targets.map((target) => `'${target}'`).join(', ')}]`,
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const args = [`--config.file=${config}`, `--storage.tsdb.path=${join(folder, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'];
  const service = await ServiceProcess.start({ command: `exec ${[binary, ...args].map((arg) => `'${arg}'`).join(' ')}`, cwd: folder, env: { PATH: process.env.PATH }, signal });
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 200; attempt++) {
    if (service.exitStatus) throw new Error(`prometheus exited: ${service.recentOutput()}`);
    const ready = await fetch(`${url}/-/ready`).then((response) => response.ok, () => false);
    if (ready) return { url, service };
    await sleep(100);
  }
  await service.stop();
  throw new Error(`prometheus did not become ready: ${service.recentOutput()}`);
}

/** Waits until every series of `metric` has at least `points` scraped samples in the last minute. */
export async function waitForSamples(url: string, metric: string, series: number, points: number): Promise<void> {
  const query = `count_over_time(${metric}[1m])`;
  for (let attempt = 0; attempt < 600; attempt++) {
    const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(query)}`);
    const body = (await response.json()) as { data?: { result?: { value?: [number, string] }[] } };
    const counts = (body.data?.result ?? []).map((entry) => Number(entry.value?.[1] ?? 0));
    if (counts.length >= series && counts.every((count) => count >= points)) return;
    await sleep(100);
  }
  throw new Error(`Prometheus has not scraped ${points} points of ${metric} for ${series} series within a minute`);
}
