import { storedCampaign } from '../app/stored-campaign.js';
import { createRunner, type RunnerSettings } from '../app/create-runner.js';
import { errorMessage, isFlotillaError } from '../model/errors.js';
import type { Store } from '../store/store.js';

/**
 * Keeps every unfinished campaign moving on this process: a runner per campaign (until every run ends),
 * started for campaigns no other process holds, looked for again every few seconds. Waiting runs cost
 * nothing here: a runner only reads its inbox and keeps one timer for the earliest deadline.
 */
export class CampaignSupervisor {
  private readonly running = new Map<string, Promise<void>>();
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private readonly problems = new Map<string, string>();
  /** Campaigns seen finished, by their record's updatedAt: not read again until the record changes. */
  private readonly finished = new Map<string, string>();

  constructor(
    private readonly store: Store,
    private readonly stateDir: string,
    private readonly settings: RunnerSettings,
    private readonly log: (message: string) => void,
    private readonly intervalMs = 2000,
  ) {}

  start(): void {
    void this.scan();
    this.timer = setInterval(() => void this.scan(), this.intervalMs);
  }

  /** Stops starting steps, cuts running ones off (they resume on the next start) and waits for runners. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.controller.abort();
    await Promise.allSettled(this.running.values());
  }

  campaigns(): string[] {
    return [...this.running.keys()];
  }

  private async scan(): Promise<void> {
    if (this.controller.signal.aborted) return;
    for (const record of await this.store.listCampaigns()) {
      if (this.running.has(record.name) || record.status === 'paused') continue;
      if (this.finished.get(record.name) === record.updatedAt) continue;
      const runs = await this.store.listRuns(record.name);
      if (!runs.some((run) => run.status !== 'done')) {
        this.finished.set(record.name, record.updatedAt);
        continue;
      }
      this.running.set(record.name, this.serve(record.name));
    }
  }

  private async serve(name: string): Promise<void> {
    try {
      const campaign = await storedCampaign(this.store, name);
      await createRunner(campaign, this.store, this.stateDir, { ...this.settings, mode: 'until-done', signal: this.controller.signal }).run([]);
      this.problems.delete(name);
    } catch (error) {
      const message = errorMessage(error);
      const held = isFlotillaError(error) && error.code === 'conflict' && /already running/.test(message);
      // Say a problem once, not every scan.
      if (!held && this.problems.get(name) !== message) this.log(`campaign ${name}: ${message}`);
      this.problems.set(name, message);
    } finally {
      this.running.delete(name);
    }
  }
}
