import type { MetricSamples } from '../../judge/index.js';
import { badInput, errorMessage, FlotillaError } from '../../model/errors.js';
import type { Labels, MetricQuery, MetricSource } from './metric-source.js';
import { prometheusErrorSchema, prometheusSuccessSchema, seriesOf } from './prometheus-response.js';

/** Where a query template puts the side's label matchers: `rate(http_requests_total{$labels}[1m])`. */
export const LABELS_PLACEHOLDER = '$labels';

export interface PrometheusSourceOptions {
  /** The server's base URL, e.g. `http://prometheus:9090` (a path prefix is kept). */
  url: string;
  /** PromQL per metric name, each containing {@link LABELS_PLACEHOLDER} where the side's matchers go. */
  queries: Readonly<Record<string, string>>;
  /** Matchers both sides share (`job`, `cluster`), before the side's own. */
  labels?: Labels;
  /** Per request; default 30 s. */
  timeoutMs?: number;
  /** Injected in tests of failure paths; the global `fetch` otherwise. */
  fetch?: typeof globalThis.fetch;
}

const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `job="checkout",version="canary"`: label matchers with PromQL string escaping. */
export function labelMatchers(labels: Labels): string {
  return Object.entries(labels)
    .map(([name, value]) => {
      if (!LABEL_NAME.test(name)) throw badInput(`"${name}" is not a Prometheus label name (letters, digits and _, not starting with a digit)`, { field: 'prometheus.labels' });
      return `${name}=${JSON.stringify(value)}`;
    })
    .join(',');
}

/** The template with the side's matchers in place of every {@link LABELS_PLACEHOLDER}. */
export function renderQuery(template: string, labels: Labels): string {
  return template.replaceAll(LABELS_PLACEHOLDER, labelMatchers(labels));
}

/**
 * Prometheus as a canary's metric source: one range query (`/api/v1/query_range`) per metric and side,
 * from a PromQL template per metric with the side's label matchers filled in, over the analysis window at
 * its step. Every point of every returned series is a sample (a template that aggregates, such as
 * `sum(rate(...))`, returns one series).
 *
 * Failures say what to do: an unreachable server, a timeout, a 5xx or a 429 is `external` and retryable
 * (the engine retries the step); a query Prometheus rejects as `bad_data` is bad input naming the metric,
 * because retrying a typo in PromQL never helps.
 */
export class PrometheusSource implements MetricSource {
  readonly kind = 'prometheus';
  private readonly endpoint: URL;
  private readonly headers: Record<string, string> = {};
  private readonly fetchImpl: typeof globalThis.fetch;

  constructor(private readonly options: PrometheusSourceOptions) {
    const base = options.url.endsWith('/') ? options.url : `${options.url}/`;
    this.endpoint = new URL('api/v1/query_range', base);
    // `fetch` refuses URLs with credentials: `https://user:pass@host` becomes a Basic header, and the
    // credentials never appear in a message.
    if (this.endpoint.username || this.endpoint.password) {
      const user = decodeURIComponent(this.endpoint.username);
      const password = decodeURIComponent(this.endpoint.password);
      this.headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
      this.endpoint.username = '';
      this.endpoint.password = '';
    }
    this.fetchImpl = options.fetch ?? globalThis.fetch;
  }

  async fetch(query: MetricQuery, signal: AbortSignal): Promise<MetricSamples> {
    const template = Object.hasOwn(this.options.queries, query.metric) ? this.options.queries[query.metric] : undefined;
    if (template === undefined) {
      throw badInput(`no Prometheus query for metric ${query.metric}; queries are given for: ${Object.keys(this.options.queries).join(', ') || 'none'}`, {
        field: 'prometheus.queries',
      });
    }
    const side = async (labels: Labels): Promise<(number | null)[]> => {
      const series = await this.rangeQuery(query.metric, renderQuery(template, { ...this.options.labels, ...labels }), query, signal);
      return series.flatMap((one) => one.points).sort((a, b) => a.at - b.at).map((point) => point.value);
    };
    const [control, experiment] = await Promise.all([side(query.control), side(query.experiment)]);
    return { control, experiment };
  }

  /** The server named without credentials, for messages. */
  private get where(): string {
    return `${this.endpoint.origin}${this.endpoint.pathname}`;
  }

  private async rangeQuery(metric: string, promql: string, query: MetricQuery, signal: AbortSignal): Promise<ReturnType<typeof seriesOf>> {
    const body = new URLSearchParams({
      query: promql,
      start: String(query.start.getTime() / 1000),
      end: String(query.end.getTime() / 1000),
      step: String(query.stepMs / 1000),
    });
    const timeoutMs = this.options.timeoutMs ?? 30_000;
    let response: Response;
    let text: string;
    try {
      // POST: a long query (many label matchers) would not fit in a URL; Prometheus accepts both.
      response = await this.fetchImpl(this.endpoint, { method: 'POST', body, headers: this.headers, signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) });
      text = await response.text();
    } catch (error) {
      if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new FlotillaError('cancelled', 'the work was cancelled');
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      const why = timedOut ? `did not answer within ${timeoutMs / 1000}s` : `is unreachable: ${errorMessage(error)}${causeOf(error)}`;
      throw new FlotillaError('external', `Prometheus at ${this.where} ${why} (metric ${metric})`, { retryable: true, cause: error });
    }
    const json = parseJson(text);
    if (!response.ok) {
      const failure = prometheusErrorSchema.safeParse(json);
      const detail = failure.success ? `${failure.data.errorType}: ${failure.data.error}` : snippet(text);
      if (failure.success && failure.data.errorType === 'bad_data') {
        throw badInput(`Prometheus rejected the query for metric ${metric}: ${failure.data.error} (query: ${promql})`, { field: `prometheus.queries.${metric}` });
      }
      throw new FlotillaError('external', `Prometheus at ${this.where} answered HTTP ${response.status} for metric ${metric}: ${detail}`, {
        retryable: true,
        details: { status: response.status },
      });
    }
    const success = prometheusSuccessSchema.safeParse(json);
    if (!success.success) {
      const failure = prometheusErrorSchema.safeParse(json);
      const detail = failure.success ? `${failure.data.errorType}: ${failure.data.error}` : `not a Prometheus API response: ${snippet(text)}`;
      throw new FlotillaError('external', `Prometheus at ${this.where} answered for metric ${metric} with ${detail}`, { retryable: failure.success });
    }
    return seriesOf(success.data);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat || '(empty body)';
}

/** undici hides the socket error (ECONNREFUSED, ENOTFOUND) in `cause`. */
function causeOf(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === 'string' ? ` (${cause.code})` : '';
}
