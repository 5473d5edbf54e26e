import { changeFactsSchema, type ChangeFacts } from './change-facts.js';
import { evaluatePolicy } from './evaluate-policy.js';
import { osvAdvisorySchema, type OsvAdvisory } from './osv.js';
import { parseUnifiedDiff } from './parse-unified-diff.js';
import { loadPolicy } from './policy.js';
import { dependency } from './testing.js';

export interface ComplianceBenchResult {
  /** Everything: building the synthetic diff text, parsing it and running the checks. */
  wallMs: number;
  /** `parseUnifiedDiff` over the whole text. */
  parseMs: number;
  /** `evaluatePolicy` with every built-in check and two CEL rules enabled. */
  checksMs: number;
  /** Process memory right after the checks, with the diff and its facts still alive. */
  rssMB: number;
  heapUsedMB: number;
}

const FILES = 5_000;
const LINES_PER_FILE = 40; // 5,000 × 40 = 200,000 diff lines (30 added and 10 removed per file)

const POLICY = `
checks:
  denied-versions:
    rules:
      - { dependency: "pkg-1*", versions: ">=2.0.0 <2.1.0", reason: broken line }
  diff-size:
    warn: { files: 1000, lines: 20000 }
  freeze-windows:
    weekly: [{ days: [sat, sun], from: "00:00", to: "23:59", timezone: Europe/Paris }]
  licenses:
    allow: [MIT, ISC, Apache-2.0, BSD-3-Clause]
  protected-paths:
    offLimits: [".github/workflows/**", "secrets/**"]
    codeowners: { owners: ["@acme/sre"] }
  secrets: {}
  vulnerabilities: {}
rules:
  - id: big-and-critical
    when: has(target.tier) && target.tier <= 1 && totals.added > 100000
    severity: warn
    message: "\${{ totals.files }} files on a critical target"
  - id: infra
    when: files.exists(f, f.path.glob("infra/**") && f.added > 20)
    severity: info
    message: infrastructure changed
`;

/**
 * Builds a synthetic 5,000-file, 200,000-line unified diff, parses it and runs every check over it
 * (with 300 dependency changes against 1,000 advisories and a 50-line CODEOWNERS). For `npm run bench`
 * and for spotting regressions; the figures depend on the machine.
 */
export function benchCompliance(): ComplianceBenchResult {
  const start = performance.now();
  const text = syntheticDiff();
  const policy = loadPolicy(POLICY, 'bench/policy.yaml');
  const advisories = syntheticAdvisories(1_000);

  const parseStart = performance.now();
  const files = parseUnifiedDiff(text);
  const parseMs = performance.now() - parseStart;

  const facts: ChangeFacts = changeFactsSchema.parse({
    files: [],
    dependencies: Array.from({ length: 300 }, (_, index) =>
      dependency(`pkg-${index}`, `2.0.${index % 7}`, { from: '1.9.0', kind: 'major', licence: index % 10 === 0 ? 'GPL-3.0-only' : 'MIT' }),
    ),
    target: { name: 'bench', owner: 'platform', tier: 1, tags: ['bench'] },
    campaign: { name: 'bench' },
    now: '2025-06-07T12:00:00Z',
    codeowners: Array.from({ length: 50 }, (_, index) => `/services/svc-${index}/ @acme/team-${index % 5}`).join('\n') + '\n/infra/ @acme/sre\n',
  });
  facts.files = files;

  const checksStart = performance.now();
  const verdict = evaluatePolicy(policy, facts, { advisories });
  const checksMs = performance.now() - checksStart;
  const wallMs = performance.now() - start;
  if (verdict.findings.length === 0) throw new Error('the benchmark change should produce findings');

  const memory = process.memoryUsage();
  return {
    wallMs: round(wallMs),
    parseMs: round(parseMs),
    checksMs: round(checksMs),
    rssMB: round(memory.rss / 1024 / 1024),
    heapUsedMB: round(memory.heapUsed / 1024 / 1024),
  };
}

function syntheticDiff(): string {
  const out: string[] = [];
  for (let file = 0; file < FILES; file += 1) {
    const folder = file % 10 === 0 ? 'infra' : `services/svc-${file % 60}`;
    const path = `${folder}/module-${file}.ts`;
    out.push(`diff --git a/${path} b/${path}`, `index 1111111..2222222 100644`, `--- a/${path}`, `+++ b/${path}`);
    const removed = LINES_PER_FILE / 4;
    const added = LINES_PER_FILE - removed;
    out.push(`@@ -${file + 10},${removed} +${file + 10},${added} @@ export function handler${file}() {`);
    for (let line = 0; line < removed; line += 1) out.push(`-  const value${line} = compute(${line}, "old");`);
    for (let line = 0; line < added; line += 1) out.push(`+${addedLine(file, line)}`);
  }
  return `${out.join('\n')}\n`;
}

/** Ordinary code with, now and then, the kinds of lines the secrets check has to look at twice. */
function addedLine(file: number, line: number): string {
  switch ((file * 31 + line) % 12) {
    case 0:
      return `  const apiToken = process.env.API_TOKEN_${line};`;
    case 1:
      return `  "integrity": "sha512-${'Q'.repeat(40)}${String(file).padStart(8, '0')}${'z'.repeat(38)}==",`;
    case 2:
      return `  const requestId = "3f2b8c1e-9d4a-4b7e-a1c2-${String(file).padStart(12, '0')}";`;
    case 3:
      return `  logger.info({ url: "https://api.example/v1/items/${line}" }, "fetched");`;
    default:
      return `  const value${line} = compute(${line}, "new", options.retries ?? ${line % 5});`;
  }
}

function syntheticAdvisories(count: number): OsvAdvisory[] {
  return Array.from({ length: count }, (_, index) =>
    osvAdvisorySchema.parse({
      id: `BENCH-${index}`,
      summary: `synthetic advisory ${index}`,
      affected: [
        {
          package: { ecosystem: 'npm', name: `pkg-${index}` },
          ranges: [{ type: 'SEMVER', events: [{ introduced: '2.0.0' }, { fixed: '2.0.5' }] }],
        },
      ],
      database_specific: { severity: index % 2 === 0 ? 'HIGH' : 'LOW' },
    }),
  );
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
