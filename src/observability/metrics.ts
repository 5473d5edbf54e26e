/**
 * A small Prometheus registry: counters, gauges and histograms with labels, rendered in the text
 * exposition format (version 0.0.4). Hand-written rather than a dependency because Flotilla needs a dozen
 * series and nothing else: no default process metrics, no push gateway, no summaries.
 *
 * Gauges that describe the database (runs by state, queue depth) are read when scraped, through
 * `collect`, so they are true for the whole fleet of servers and workers, not for one process.
 */
export type Labels = Readonly<Record<string, string>>;

interface Series {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  lines(): string[];
}

export class Counter implements Series {
  readonly type = 'counter' as const;
  private readonly values = new Map<string, { labels: Labels; value: number }>();

  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labels: Labels = {}, by = 1): void {
    const key = keyOf(labels);
    const entry = this.values.get(key) ?? { labels, value: 0 };
    entry.value += by;
    this.values.set(key, entry);
  }

  get(labels: Labels = {}): number {
    return this.values.get(keyOf(labels))?.value ?? 0;
  }

  lines(): string[] {
    return [...this.values.values()].map((entry) => `${this.name}${render(entry.labels)} ${entry.value}`);
  }
}

export class Gauge implements Series {
  readonly type = 'gauge' as const;
  private values = new Map<string, { labels: Labels; value: number }>();

  constructor(
    readonly name: string,
    readonly help: string,
    /** Called at each scrape; what it returns replaces every value of the gauge. */
    readonly collect?: () => Promise<{ labels: Labels; value: number }[]>,
  ) {}

  set(labels: Labels, value: number): void {
    this.values.set(keyOf(labels), { labels, value });
  }

  add(labels: Labels, by: number): void {
    const entry = this.values.get(keyOf(labels));
    this.set(labels, (entry?.value ?? 0) + by);
  }

  async refresh(): Promise<void> {
    if (!this.collect) return;
    const next = new Map<string, { labels: Labels; value: number }>();
    for (const entry of await this.collect()) next.set(keyOf(entry.labels), entry);
    this.values = next;
  }

  lines(): string[] {
    return [...this.values.values()].map((entry) => `${this.name}${render(entry.labels)} ${entry.value}`);
  }
}

export class Histogram implements Series {
  readonly type = 'histogram' as const;
  private readonly values = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();

  constructor(
    readonly name: string,
    readonly help: string,
    /** Upper bounds, ascending; `+Inf` is implied. */
    readonly buckets: readonly number[],
  ) {}

  observe(labels: Labels, value: number): void {
    const key = keyOf(labels);
    const entry = this.values.get(key) ?? { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
    for (let index = 0; index < this.buckets.length; index++) if (value <= (this.buckets[index] ?? Infinity)) entry.counts[index] = (entry.counts[index] ?? 0) + 1;
    entry.sum += value;
    entry.count++;
    this.values.set(key, entry);
  }

  count(labels: Labels = {}): number {
    return this.values.get(keyOf(labels))?.count ?? 0;
  }

  lines(): string[] {
    const out: string[] = [];
    for (const entry of this.values.values()) {
      this.buckets.forEach((bound, index) => out.push(`${this.name}_bucket${render({ ...entry.labels, le: String(bound) })} ${entry.counts[index] ?? 0}`));
      out.push(`${this.name}_bucket${render({ ...entry.labels, le: '+Inf' })} ${entry.count}`);
      out.push(`${this.name}_sum${render(entry.labels)} ${entry.sum}`);
      out.push(`${this.name}_count${render(entry.labels)} ${entry.count}`);
    }
    return out;
  }
}

export class MetricsRegistry {
  private readonly series: Series[] = [];

  counter(name: string, help: string): Counter {
    return this.add(new Counter(name, help));
  }

  gauge(name: string, help: string, collect?: () => Promise<{ labels: Labels; value: number }[]>): Gauge {
    return this.add(new Gauge(name, help, collect));
  }

  histogram(name: string, help: string, buckets: readonly number[]): Histogram {
    return this.add(new Histogram(name, help, buckets));
  }

  /** The text exposition format; a gauge whose collector fails keeps its last values. */
  async render(): Promise<string> {
    await Promise.all(this.series.map((series) => (series instanceof Gauge ? series.refresh().catch(() => undefined) : Promise.resolve())));
    const out: string[] = [];
    for (const series of this.series) {
      out.push(`# HELP ${series.name} ${series.help.replaceAll('\\', '\\\\').replaceAll('\n', '\\n')}`, `# TYPE ${series.name} ${series.type}`, ...series.lines());
    }
    return `${out.join('\n')}\n`;
  }

  private add<T extends Series>(series: T): T {
    this.series.push(series);
    return series;
  }
}

/** Step and dispatch durations, in seconds: from a no-op (milliseconds) to a long test run (half an hour). */
export const DURATION_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];

function keyOf(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((key) => `${key}=${labels[key] ?? ''}`)
    .join('\u0000');
}

function render(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([key, value]) => `${key}="${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`).join(',')}}`;
}
