/**
 * CVSS v3.0/v3.1 base score from a vector string (`CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H` → 9.8),
 * following the FIRST specification's formulas. `undefined` for anything else (v2, v4, malformed).
 */
export function cvss3BaseScore(vector: string): number | undefined {
  const parts = vector.trim().split('/');
  if (!/^CVSS:3\.[01]$/.test(parts[0] ?? '')) return undefined;
  const metrics = new Map<string, string>();
  for (const part of parts.slice(1)) {
    const [key, value] = part.split(':');
    if (key && value) metrics.set(key, value);
  }
  const scope = metrics.get('S');
  const changed = scope === 'C';
  if (scope !== 'U' && scope !== 'C') return undefined;
  const av = weight({ N: 0.85, A: 0.62, L: 0.55, P: 0.2 }, metrics.get('AV'));
  const ac = weight({ L: 0.77, H: 0.44 }, metrics.get('AC'));
  const pr = weight(changed ? { N: 0.85, L: 0.68, H: 0.5 } : { N: 0.85, L: 0.62, H: 0.27 }, metrics.get('PR'));
  const ui = weight({ N: 0.85, R: 0.62 }, metrics.get('UI'));
  const impactWeights = { H: 0.56, L: 0.22, N: 0 };
  const c = weight(impactWeights, metrics.get('C'));
  const i = weight(impactWeights, metrics.get('I'));
  const a = weight(impactWeights, metrics.get('A'));
  if ([av, ac, pr, ui, c, i, a].some((value) => value === undefined)) return undefined;
  const iss = 1 - (1 - (c ?? 0)) * (1 - (i ?? 0)) * (1 - (a ?? 0));
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
  const exploitability = 8.22 * (av ?? 0) * (ac ?? 0) * (pr ?? 0) * (ui ?? 0);
  if (impact <= 0) return 0;
  return roundUp(Math.min((changed ? 1.08 : 1) * (impact + exploitability), 10));
}

export type SeverityRating = 'low' | 'moderate' | 'high' | 'critical';

/** The qualitative rating of a CVSS v3 score; `undefined` for 0 (none). */
export function ratingOfScore(score: number): SeverityRating | undefined {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'moderate';
  if (score > 0) return 'low';
  return undefined;
}

function weight(table: Record<string, number>, key: string | undefined): number | undefined {
  return key === undefined ? undefined : table[key];
}

/** CVSS v3.1 "Roundup": the smallest number with one decimal that is at least the input. */
function roundUp(value: number): number {
  const scaled = Math.round(value * 100_000);
  if (scaled % 10_000 === 0) return scaled / 100_000;
  return (Math.floor(scaled / 10_000) + 1) / 10;
}
