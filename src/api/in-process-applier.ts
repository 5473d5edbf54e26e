import { continueCampaign } from '../app/continue-campaign.js';
import type { Store } from '../store/store.js';

/**
 * Applies what actions record when no supervisor runs campaigns in this process: it continues the
 * campaign here, as `flotilla approve` does, one continuation per campaign at a time (a second request
 * while one runs makes it go round once more, so no signal is left in the inbox). When another process
 * holds the campaign, that process applies it.
 */
export class InProcessApplier {
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly stateDir: string,
    private readonly log: (message: string, fields: Record<string, unknown>) => void,
  ) {}

  kick(campaign: string): void {
    if (this.running.has(campaign)) {
      this.again.add(campaign);
      return;
    }
    this.running.set(
      campaign,
      this.loop(campaign).finally(() => this.running.delete(campaign)),
    );
  }

  /** Resolves when no continuation runs (for shutdown and tests). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled(this.running.values());
  }

  private async loop(campaign: string): Promise<void> {
    do {
      this.again.delete(campaign);
      try {
        await continueCampaign(this.store, this.stateDir, campaign);
      } catch (error) {
        this.log('could not continue the campaign', { campaign, error: (error as Error).message });
      }
    } while (this.again.has(campaign));
  }
}
