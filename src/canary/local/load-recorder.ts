import autocannon from 'autocannon';

export interface ResponseRecord {
  /** `performance.now()` when the response completed. */
  at: number;
  latencyMs: number;
  status: number;
}

export interface LoadOptions {
  /** Always a 127.0.0.1 URL: the local canary never sends load anywhere else. */
  url: string;
  connections: number;
  /** Requests per second across all connections; undefined sends as fast as the service answers. */
  rate?: number | undefined;
  /** A request without an answer after this long counts as an error (and its connection is reset). */
  requestTimeoutMs: number;
  /** An upper bound; the canary stops the load itself when it has judged enough. */
  maxDurationMs: number;
}

/**
 * Drives HTTP load at one side of the local canary with autocannon (a fixed number of connections, each
 * sending its next request when the last one is answered) and keeps every response with its time, and
 * every failed request (timeout, reset, refused) as an error time — the raw material of the per-interval
 * metrics. The same options drive both sides, at the same time, so the machine's noise hits both alike.
 */
export class LoadRecorder {
  readonly responses: ResponseRecord[] = [];
  readonly errors: number[] = [];
  private readonly instance: autocannon.Instance;
  private readonly finished: Promise<void>;

  constructor(options: LoadOptions) {
    const url = new URL(options.url);
    if (url.hostname !== '127.0.0.1') throw new Error(`the local canary only loads 127.0.0.1, not ${url.hostname}`);
    let done: () => void = () => undefined;
    this.finished = new Promise((resolve) => (done = resolve));
    this.instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        timeout: options.requestTimeoutMs / 1000,
        duration: options.maxDurationMs / 1000,
        ...(options.rate === undefined ? {} : { overallRate: options.rate }),
      },
      () => done(),
    );
    this.instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      this.responses.push({ at: performance.now(), latencyMs: responseTime, status: statusCode });
    });
    this.instance.on('reqError', () => this.errors.push(performance.now()));
  }

  /** Stops sending and waits for autocannon to wind down its connections. */
  async stop(): Promise<void> {
    this.instance.stop();
    await this.finished;
  }
}
