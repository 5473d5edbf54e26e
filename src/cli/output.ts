import { formatLocation, isFlotillaError, errorMessage } from '../model/errors.js';

/** Where command output goes; tests swap it. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
  /** True when stdout is a terminal (live views, colour). */
  isTTY: boolean;
}

export const processOutput: Output = {
  out: (text) => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => void process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  isTTY: Boolean(process.stdout.isTTY),
};

export function printJson(output: Output, value: unknown): void {
  output.out(JSON.stringify(value, null, 2));
}

const useColor = (): boolean => Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
const paint = (code: string) => (text: string) => (useColor() ? `\u001b[${code}m${text}\u001b[0m` : text);
export const color = { green: paint('32'), red: paint('31'), yellow: paint('33'), dim: paint('2'), bold: paint('1'), cyan: paint('36') };

const OUTCOME_COLOR: Record<string, (text: string) => string> = {
  merged: color.green,
  changed: color.cyan,
  'needs-human': color.yellow,
  failed: color.red,
  skipped: color.dim,
  cancelled: color.dim,
};

export function paintOutcome(outcome: string): string {
  return (OUTCOME_COLOR[outcome] ?? ((text: string) => text))(outcome);
}

/** Pads columns to the widest cell; the last column is not padded. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, visibleLength(cell))));
  return rows
    .map((row) => row.map((cell, index) => (index === row.length - 1 ? cell : cell + ' '.repeat((widths[index] ?? 0) - visibleLength(cell)))).join('  '))
    .join('\n');
}

function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '').length;
}

/** The one-paragraph message a user sees for an error: the place first, then what is wrong. */
export function describeError(error: unknown): string {
  if (isFlotillaError(error)) {
    const place = formatLocation(error.location);
    return place && !error.message.startsWith(place) ? `${place}: ${error.message}` : error.message;
  }
  return errorMessage(error);
}
