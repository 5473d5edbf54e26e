import { z } from 'zod';
import { parseDuration } from '../../model/duration.js';

/** A duration field (`30s`, `10m`, `2h`, `1d`) parsed to milliseconds. */
export const durationField = z
  .string()
  .refine((value) => parseDuration(value) !== undefined, { message: 'must be a duration such as 30s, 10m, 2h or 1d' })
  .transform((value) => parseDuration(value) ?? 0);
