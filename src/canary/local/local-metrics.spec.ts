import { describe, expect, it } from 'vitest';
import { kayentaConfigSchema } from '../../judge/index.js';
import { countsOf, DEFAULT_LOCAL_CONFIG, LOCAL_METRICS, localCanaryData, sideSamples, type SideRecording } from './local-metrics.js';

const side = (responses: [at: number, latencyMs: number, status: number][], errors: number[] = [], memory: [number, number][] = []): SideRecording => ({
  responses: responses.map(([at, latencyMs, status]) => ({ at, latencyMs, status })),
  errors,
  memory: memory.map(([at, mb]) => ({ at, mb })),
});

describe('local canary metrics', () => {
  it('cuts the window into whole buckets: median and p99 of the successes, the failed share, memory as read', () => {
    const recording = side(
      [
        [1000, 1, 200], [1010, 3, 200], [1020, 2, 200], [1030, 50, 500], // bucket 0: ok 1, 2, 3; one 500
        [1100, 4, 200], [1150, 6, 404], // bucket 1: ok 4; one 404 and one timeout
        [1210, 9, 500], // bucket 2: nothing successful
        [1300, 7, 200], // after the last whole bucket (to = 1350): ignored
        [990, 100, 200], // before the window: ignored
      ],
      [1180],
      [[1000, 50], [1250, 52], [1400, 60]],
    );
    expect(sideSamples(recording, 1000, 1350, 100)).toEqual({
      latency_p50: [2, 4, null],
      latency_p99: [3, 4, null],
      error_rate: [0.25, 2 / 3, 1],
      memory_rss_mb: [50, 52],
    });
  });

  it('a bucket without any request has no error rate (missing, not zero)', () => {
    expect(sideSamples(side([[1000, 1, 200]]), 1000, 1200, 100).error_rate).toEqual([0, null]);
  });

  it('counts requests answered ok, answered 4xx/5xx, and unanswered, within the window', () => {
    const recording = side([[5, 1, 200], [10, 1, 302], [20, 1, 503], [30, 1, 200]], [15, 40]);
    expect(countsOf(recording, 0, 30)).toEqual({ requests: 4, ok: 2, failed: 1, errors: 1 });
  });

  it('gives the judge every built-in metric for both sides', () => {
    const data = localCanaryData(side([[0, 1, 200]]), side([[0, 2, 200]]), 0, 100, 100);
    expect(Object.keys(data.metrics)).toEqual([...LOCAL_METRICS]);
    expect(data.metrics.latency_p50).toEqual({ control: [1], experiment: [2] });
  });

  it('the built-in config is a valid Kayenta config over exactly those metrics', () => {
    const config = kayentaConfigSchema.parse(DEFAULT_LOCAL_CONFIG);
    expect(config.metrics.map((metric) => metric.name)).toEqual([...LOCAL_METRICS]);
  });
});
