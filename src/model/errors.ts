/**
 * One small error family for everything Flotilla reports to a user or a caller.
 *
 * `code` is stable (scripts and the API rely on it); `retryable` tells the engine whether running the
 * same thing again may succeed. A blocked policy or a low confidence is not an error: it is a verdict.
 */
export type ErrorCode =
  | 'bad-input' // a file or argument the user gave is malformed or invalid (CLI exit code 2)
  | 'not-found' // a named thing (campaign, target, step, file) does not exist
  | 'conflict' // the request clashes with current state (merge conflict, already running)
  | 'step-failed' // a step ran and failed
  | 'timeout' // a step or wait ran past its deadline
  | 'cancelled' // the work was cancelled by a person or a shutdown
  | 'external' // a tool or service outside Flotilla failed (git, npm, a code host)
  | 'internal'; // probably our bug

export interface FlotillaErrorOptions {
  retryable?: boolean;
  cause?: unknown;
  /** Where the problem is, for bad input: file, line and column (1-based), and the field path. */
  location?: SourceLocation;
  /** Extra structured facts for logs and `--json` output. */
  details?: Record<string, unknown>;
}

export interface SourceLocation {
  file?: string;
  line?: number;
  column?: number;
  field?: string;
}

export class FlotillaError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly location: SourceLocation | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: FlotillaErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FlotillaError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.location = options.location;
    this.details = options.details;
  }
}

/** A user mistake in a file or an argument; `where` is rendered as `file:line:column field`. */
export function badInput(message: string, location?: SourceLocation, details?: Record<string, unknown>): FlotillaError {
  return new FlotillaError('bad-input', message, { location, details });
}

/** Renders a location as `file:line:column` followed by the field, omitting what is unknown. */
export function formatLocation(location: SourceLocation | undefined): string {
  if (!location) return '';
  let place = location.file ?? '';
  if (location.line !== undefined) place += `${place ? ':' : ''}${location.line}`;
  if (location.column !== undefined) place += `:${location.column}`;
  if (location.field) place += `${place ? ' ' : ''}${location.field}`;
  return place;
}

export function isFlotillaError(error: unknown): error is FlotillaError {
  return error instanceof FlotillaError;
}

/** The message of any thrown value, for logs and events. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
