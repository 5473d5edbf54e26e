import { z } from 'zod';

/**
 * Prometheus HTTP API responses (`/api/v1/query_range`), parsed tolerantly: they are external data, so
 * unknown fields (`warnings`, `infos`, `stats`, …) are ignored, and a point whose value is not a finite
 * number (`"NaN"`, `"+Inf"`, a malformed string) becomes a missing point rather than an error — the
 * judge's `nanStrategy` decides what missing means.
 */

/** `[<unix seconds>, "<value>"]`; extra array items are ignored. */
const pointSchema = z.tuple([z.union([z.number(), z.string()]), z.unknown()], z.unknown());

const seriesSchema = z.object({
  metric: z.record(z.string(), z.unknown()).catch({}),
  values: z.array(pointSchema).optional(),
  /** An instant vector's single point (tolerated: some proxies answer a range query with a vector). */
  value: pointSchema.optional(),
});

export const prometheusSuccessSchema = z.object({
  status: z.literal('success'),
  data: z.object({
    resultType: z.string(),
    result: z.array(seriesSchema),
  }),
});

export const prometheusErrorSchema = z.object({
  status: z.literal('error'),
  errorType: z.string().catch('unknown'),
  error: z.string().catch(''),
});

export interface ParsedSeries {
  labels: Record<string, string>;
  /** Points in time order; `null` where the value was not a finite number. */
  points: { at: number; value: number | null }[];
}

function valueOf(raw: unknown): number | null {
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
  return Number.isFinite(value) ? value : null;
}

/** The series of a successful response, each sorted by time. */
export function seriesOf(response: z.output<typeof prometheusSuccessSchema>): ParsedSeries[] {
  return response.data.result.map((series) => {
    const raw = series.values ?? (series.value ? [series.value] : []);
    const points = raw.map(([at, value]) => ({ at: Number(at), value: valueOf(value) }));
    points.sort((a, b) => a.at - b.at);
    const labels: Record<string, string> = {};
    for (const [name, value] of Object.entries(series.metric)) if (typeof value === 'string') labels[name] = value;
    return { labels, points };
  });
}
