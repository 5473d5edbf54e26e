import { z } from 'zod';

/** One entry of `fleet.yaml`: a unit of software a change can land in. */
export const targetSpecSchema = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(200)
    .refine((value) => ![...value].some((char) => char.charCodeAt(0) < 32), 'must not contain control characters'),
  /** A local path (relative to the fleet file) or a git URL. */
  repo: z.string().min(1),
  /** The branch changes land on; detected from the repository when omitted. */
  branch: z.string().min(1).optional(),
  owner: z.string().min(1).optional(),
  /** 0 = most critical … 3 = least critical. */
  tier: z.number().int().min(0).max(3).default(2),
  tags: z.array(z.string().min(1)).default([]),
  /** The target's own test command; detected (`npm test`) when omitted. */
  test: z.string().min(1).optional(),
  /** A project inside the repository (a monorepo package or module): its folder, relative to the root. */
  path: z
    .string()
    .min(1)
    .refine((value) => !value.startsWith('/') && !value.split('/').includes('..'), 'must be a folder inside the repository, such as packages/api')
    .transform((value) => value.replace(/\/+$/, ''))
    .optional(),
});

export const fleetSchema = z.strictObject({
  targets: z.array(targetSpecSchema),
});

export type TargetSpec = z.infer<typeof targetSpecSchema>;
export type FleetSpec = z.infer<typeof fleetSchema>;

/**
 * What Flotilla knows about a target, detected from its repository at `commit` and cached by commit.
 * These are the variables a campaign's `targets:` CEL expression can use.
 */
export interface TargetFacts {
  name: string;
  /** Absolute path or URL of the repository. */
  repo: string;
  owner: string;
  tier: number;
  tags: string[];
  defaultBranch: string;
  commit: string;
  languages: string[];
  /** `npm`, `yarn`, `pnpm`, or '' when none was found. */
  packageManager: string;
  /** Every declared dependency (all kinds) with the version range as written. */
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  hasTests: boolean;
  /** The command that runs the target's tests, or '' when it has none. */
  testCommand: string;
  /** The project's folder inside the repository ('' for the whole repository). */
  path?: string;
  /** How the repository is split into projects: `npm-workspaces`, `pnpm-workspaces`, `maven-modules`, `gradle-projects`, or ''. */
  monorepo?: string;
  /** The projects of a monorepo (folders relative to the root), as its build declares them. */
  projects?: string[];
}

/** A target selected for a campaign: its declaration and its detected facts. */
export interface Target {
  spec: TargetSpec;
  facts: TargetFacts;
  /**
   * For a campaign that delivers one change per repository: the projects (folders) of every target of
   * this repository, which change and validation steps visit in turn in one shared checkout.
   */
  projects?: string[];
}
