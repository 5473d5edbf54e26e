import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgeCanary, parseKayentaConfig } from '../../judge/index.js';
import { FlotillaError } from '../../model/errors.js';
import { isEndRun } from '../../sdk/step.js';
import { makeTestContext } from '../../steps/testing/step-context.js';
import { tempDir } from '../../../test/helpers/repos.js';
import { freePort } from '../local/free-port.js';
import { PROMETHEUS_BINARY, startExporter, startPrometheus, waitForSamples, type Exporter, type PrometheusServer } from '../testing/prometheus-fixture.js';
import { canaryJudge } from '../steps/canary-judge.js';
import { analysisWindow } from './analysis-window.js';
import { fetchCanaryData, type CanaryScope } from './metric-source.js';
import { labelMatchers, PrometheusSource, renderQuery } from './prometheus-source.js';

const QUERIES = {
  latency: 'demo_request_latency_seconds{$labels}',
  request_rate: 'sum(rate(demo_requests_total{$labels}[5s]))',
};

async function thrown(promise: Promise<unknown>): Promise<FlotillaError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof FlotillaError)) throw new Error(`expected a FlotillaError, got ${String(error)}`);
  return error;
}

describe('label matchers and query templates', () => {
  it('escapes label values as PromQL strings and fills every $labels', () => {
    expect(labelMatchers({ job: 'checkout', version: 'can"ary\\1' })).toBe('job="checkout",version="can\\"ary\\\\1"');
    expect(renderQuery('a{$labels} / b{$labels}', { v: '1' })).toBe('a{v="1"} / b{v="1"}');
  });

  it('refuses a label name Prometheus would reject', () => {
    expect(() => labelMatchers({ '1version': 'x' })).toThrow(/not a Prometheus label name/);
  });
});

describe('PrometheusSource failures, against local HTTP servers', () => {
  let server: Server;
  let url = '';
  const replies: { status: number; body: string }[] = [];
  const authorizations: (string | undefined)[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      authorizations.push(request.headers.authorization);
      const reply = replies.shift() ?? { status: 200, body: '{}' };
      response.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/prefix`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const query = { metric: 'latency', control: { v: 'a' }, experiment: { v: 'b' }, start: new Date(0), end: new Date(60_000), stepMs: 15_000 };

  it('reads NaN, Inf and malformed points as missing, and ignores fields it does not know', async () => {
    const body = (values: unknown[]): string => JSON.stringify({ status: 'success', warnings: ['x'], data: { resultType: 'matrix', result: [{ metric: { v: 'a' }, values }] } });
    replies.push({ status: 200, body: body([[30, '2'], [15, 'NaN'], [45, '+Inf'], [60, 'oops'], [0, '1.5']]) }, { status: 200, body: body([]) });
    const samples = await new PrometheusSource({ url, queries: QUERIES }).fetch(query, new AbortController().signal);
    expect(samples).toEqual({ control: [1.5, null, 2, null, null], experiment: [] });
  });

  it.each([
    ['HTTP 503 is external and retryable', { status: 503, body: 'upstream down' }, 'external', true, /answered HTTP 503 for metric latency: upstream down/],
    ['HTTP 422 (execution) is external and retryable', { status: 422, body: '{"status":"error","errorType":"execution","error":"query timed out"}' }, 'external', true, /HTTP 422 .*execution: query timed out/],
    ['HTTP 400 bad_data is bad input naming the metric', { status: 400, body: '{"status":"error","errorType":"bad_data","error":"parse error"}' }, 'bad-input', false, /rejected the query for metric latency: parse error \(query: demo_request_latency_seconds\{v="a"\}\)/],
    ['a body that is not the API is external', { status: 200, body: '<html>login</html>' }, 'external', false, /not a Prometheus API response: <html>login<\/html>/],
  ])('%s', async (_name, reply, code, retryable, message) => {
    replies.push(reply, reply);
    const error = await thrown(new PrometheusSource({ url, queries: QUERIES }).fetch(query, new AbortController().signal));
    expect([error.code, error.retryable]).toEqual([code, retryable]);
    expect(error.message).toMatch(message);
  });

  it('an unreachable server is external and retryable, named without credentials', async () => {
    const port = await freePort();
    const error = await thrown(new PrometheusSource({ url: `http://user:secret@127.0.0.1:${port}`, queries: QUERIES }).fetch(query, new AbortController().signal));
    expect([error.code, error.retryable]).toEqual(['external', true]);
    expect(error.message).toMatch(new RegExp(`^Prometheus at http://127\\.0\\.0\\.1:${port}/api/v1/query_range is unreachable: .*ECONNREFUSED`));
    expect(error.message).not.toContain('secret');
  });

  it('sends the credentials of the URL as a Basic header, and POSTs the query', async () => {
    const empty = JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [] } });
    replies.push({ status: 200, body: empty }, { status: 200, body: empty });
    authorizations.length = 0;
    await new PrometheusSource({ url: url.replace('http://', 'http://reader:p%40ss@'), queries: QUERIES }).fetch(query, new AbortController().signal);
    expect(authorizations).toEqual([`Basic ${Buffer.from('reader:p@ss').toString('base64')}`, `Basic ${Buffer.from('reader:p@ss').toString('base64')}`]);
  });

  it('a metric without a query is bad input', async () => {
    const error = await thrown(new PrometheusSource({ url, queries: QUERIES }).fetch({ ...query, metric: 'memory' }, new AbortController().signal));
    expect(error.message).toBe('no Prometheus query for metric memory; queries are given for: latency, request_rate');
  });
});

// Needs the real `prometheus` binary (Debian package `prometheus`; .ci/run installs it, so CI never skips).
// Without it these tests are skipped, and the reason is printed below.
if (!PROMETHEUS_BINARY) console.warn('prometheus-source.spec: skipping the real-Prometheus tests: no `prometheus` binary on PATH (apt-get install prometheus)');

describe.skipIf(!PROMETHEUS_BINARY)('PrometheusSource and canary/judge against a real Prometheus scraping two exporters', () => {
  const stop = new AbortController();
  let prometheus: PrometheusServer;
  const exporters: Exporter[] = [];

  beforeAll(async () => {
    const dir = await tempDir('flotilla-prometheus-');
    exporters.push(await startExporter(dir, 'baseline', 0.01, 7, stop.signal), await startExporter(dir, 'canary', 0.03, 11, stop.signal));
    prometheus = await startPrometheus(PROMETHEUS_BINARY ?? '', dir, exporters.map((exporter) => exporter.address), stop.signal);
    await waitForSamples(prometheus.url, 'demo_request_latency_seconds', 2, 10);
  }, 90_000);

  afterAll(async () => {
    await Promise.all([prometheus?.service.stop(), ...exporters.map((exporter) => exporter.service.stop())]);
  });

  const scope = (lookback: string, warmup: string): CanaryScope => ({
    control: { version: 'baseline' },
    experiment: { version: 'canary' },
    ...analysisWindow({ lookback, warmup, step: '1s' }, new Date()),
  });

  it('range-queries each side over the window at its step, the warm-up left out', async () => {
    const source = new PrometheusSource({ url: prometheus.url, queries: QUERIES, labels: { job: 'canary-test' } });
    const full = await source.fetch({ metric: 'latency', ...scope('8s', '0s') }, stop.signal);
    const warm = await source.fetch({ metric: 'latency', ...scope('8s', '4s') }, stop.signal);
    // 8 s at 1 s is 9 points; with 4 s of warm-up skipped, 5.
    expect([full.control.length, full.experiment.length]).toEqual([9, 9]);
    expect([warm.control.length, warm.experiment.length]).toEqual([5, 5]);
    const within = (values: readonly (number | null)[], low: number, high: number): boolean => values.every((value) => value !== null && value >= low && value <= high);
    expect(within(full.control, 0.009, 0.011), full.control.join(', ')).toBe(true);
    expect(within(full.experiment, 0.027, 0.033), full.experiment.join(', ')).toBe(true);
  });

  it('feeds the judge: the tripled latency is High, the equal request rate passes', async () => {
    const source = new PrometheusSource({ url: prometheus.url, queries: QUERIES });
    const config = parseKayentaConfig({
      metrics: [
        { name: 'latency', analysisConfigurations: { canary: { direction: 'increase', effectSize: { allowedIncrease: 1.2 } } } },
        { name: 'request_rate', analysisConfigurations: { canary: { direction: 'decrease', effectSize: { allowedDecrease: 0.8 } } } },
      ],
    });
    const data = await fetchCanaryData(source, ['latency', 'request_rate'], scope('10s', '2s'), stop.signal);
    const judgement = judgeCanary(config, data);
    expect(judgement.metrics.map((metric) => [metric.name, metric.classification])).toEqual([
      ['latency', 'High'],
      ['request_rate', 'Pass'],
    ]);
    expect(judgement.metrics[0]?.effectSize).toBeGreaterThan(2.5);
    expect(judgement).toMatchObject({ score: 50, verdict: 'fail', inconclusive: false });
  });

  it('canary/judge reads both sides from Prometheus and fails the run on the tripled latency', async () => {
    const ctx = makeTestContext({ workspace: '' });
    const withBlock = {
      config: { metrics: [{ name: 'latency', analysisConfigurations: { canary: { direction: 'increase', critical: true, effectSize: { allowedIncrease: 1.2, criticalIncrease: 2 } } } }] },
      prometheus: { url: prometheus.url, queries: QUERIES, labels: { job: 'canary-test' }, control: { version: 'baseline' }, experiment: { version: 'canary' } },
      window: { lookback: '8s', warmup: '2s', step: '1s' },
    };
    const result = await canaryJudge.run(canaryJudge.input.parse(withBlock), ctx);
    expect(isEndRun(result) ? [result.outcome, result.reasons[0]] : result).toEqual(['failed', 'canary failed: score 0 (pass >= 95, marginal >= 75)']);
    expect(isEndRun(result) ? result.reasons[1] : '').toMatch(/^latency High: experiment higher: .*critical \(meanRatio \d\.\d+ >= 2\): fails the run$/);
    expect(ctx.events[0]).toMatchObject({ name: 'canary.judgement', data: { source: 'prometheus', verdict: 'fail', metrics: [{ name: 'latency', classification: 'High' }] } });
  });

  it('a query with a PromQL syntax error is bad input naming the metric', async () => {
    const source = new PrometheusSource({ url: prometheus.url, queries: { latency: 'rate(demo_requests_total{$labels}[5s]' } });
    const error = await thrown(source.fetch({ metric: 'latency', ...scope('5s', '0s') }, stop.signal));
    expect([error.code, error.retryable]).toEqual(['bad-input', false]);
    expect(error.message).toMatch(/^Prometheus rejected the query for metric latency: .*parse error/);
  });
});
