import { badInput, formatLocation, type FlotillaError, type SourceLocation } from '../model/errors.js';

/**
 * Where an expression was written, so that an error inside it can point at the exact character in the
 * user's file rather than at the start of the YAML value.
 */
export interface ExpressionSite extends SourceLocation {
  /**
   * Maps an offset inside the expression text to its line and column in the file. Given by the loader,
   * which knows how the YAML scalar was written (plain, quoted, block); absent for expressions that
   * come from elsewhere (a CLI flag), where the site's own line and column are used.
   */
  positionAt?(offset: number): { line: number; column: number } | undefined;
}

/** The location of `offset` inside the expression at `site` (the site itself when unknown). */
export function locationAt(site: ExpressionSite, offset?: number): SourceLocation {
  const location: SourceLocation = {};
  if (site.file !== undefined) location.file = site.file;
  if (site.field !== undefined) location.field = site.field;
  const position = offset === undefined ? undefined : site.positionAt?.(offset);
  const line = position?.line ?? site.line;
  const column = position?.column ?? site.column;
  if (line !== undefined) location.line = line;
  if (column !== undefined) location.column = column;
  return location;
}

/**
 * A `bad-input` error whose message starts with the location (`campaign.yaml:12:9 steps[1].uses: …`), so
 * that the message alone is enough for a person, while `location` keeps the parts for `--json` output.
 */
export function badInputAt(reason: string, location: SourceLocation, details?: Record<string, unknown>): FlotillaError {
  const place = formatLocation(location);
  return badInput(place ? `${place}: ${reason}` : reason, location, details);
}

/**
 * Renders a path the way a person writes it: `steps[2].with.version`, `with["odd key"]`. `prefix` is an
 * already rendered path to continue.
 */
export function formatFieldPath(path: readonly PropertyKey[], prefix = ''): string {
  let text = prefix;
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) text += text ? `.${key}` : key;
    else text += `[${JSON.stringify(String(key))}]`;
  }
  return text;
}
