import { pino, type Logger as PinoLogger } from 'pino';
import { Logger as GraphileLogger, type LogLevel } from 'graphile-worker';

export type JsonLogger = PinoLogger;

/**
 * JSON logs (one object a line on stdout) for the long-lived processes, `flotilla server` and
 * `flotilla worker`. Messages are fixed text; what varies (campaign, target, step, attempt, worker) goes in
 * fields, so a log search can group by message and filter by id.
 */
export function createJsonLogger(component: 'server' | 'worker', fields: Record<string, unknown> = {}, destination?: pino.DestinationStream): JsonLogger {
  const options: pino.LoggerOptions = {
    level: process.env.FLOTILLA_LOG_LEVEL ?? 'info',
    base: { component, pid: process.pid, ...fields },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** graphile-worker's own messages, routed into the same JSON log with its scope as fields. */
export function graphileLoggerFor(log: JsonLogger): GraphileLogger {
  return new GraphileLogger((scope) => (level: LogLevel, message: string, meta?: unknown) => {
    const fields = { queue: 'graphile-worker', ...scope, ...(meta && typeof meta === 'object' && !Array.isArray(meta) ? sanitize(meta as Record<string, unknown>) : {}) };
    const name: string = level;
    if (name === 'error') log.error(fields, message);
    else if (name === 'warning') log.warn(fields, message);
    else if (name === 'info') log.info(fields, message);
    else log.debug(fields, message);
  });
}

/** graphile-worker passes whole jobs and workers in meta; keep the ids, not the objects. */
function sanitize(meta: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(meta)) {
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) out[key] = value;
    else if (value instanceof Error) out[key] = value.message;
  }
  return out;
}
