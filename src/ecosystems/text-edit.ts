import { FlotillaError } from '../model/errors.js';

/**
 * A replacement of `text.slice(start, end)`. Every ecosystem bump edits its build files this way — at
 * exact positions found by a scanner of that format — instead of parsing and re-serialising, so every
 * byte other than the version (comments, indentation, ordering, line endings) stays as the team wrote it.
 */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** Applies edits that do not overlap (the same edit twice is applied once). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const unique = new Map<string, TextEdit>();
  for (const edit of edits) unique.set(`${edit.start}:${edit.end}`, edit);
  const sorted = [...unique.values()].sort((a, b) => b.start - a.start);
  let result = text;
  let limit = Number.POSITIVE_INFINITY;
  for (const edit of sorted) {
    if (edit.end > limit || edit.start > edit.end || edit.start < 0) {
      throw new FlotillaError('internal', 'two edits of one file overlap', { details: { start: edit.start, end: edit.end } });
    }
    result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
    limit = edit.start;
  }
  return result;
}

/** 1-based line of an offset, for messages that point a person at a declaration. */
export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let index = 0; index < offset && index < text.length; index++) if (text.charCodeAt(index) === 10) line++;
  return line;
}
