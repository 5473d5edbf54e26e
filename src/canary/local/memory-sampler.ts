import type { ServiceProcess } from './service-process.js';

export interface MemorySample {
  /** `performance.now()` when read. */
  at: number;
  mb: number;
}

/**
 * Reads the RSS of a service's process tree every `everyMs` (never two reads at once: a slow `/proc`
 * scan skips a tick rather than piling up).
 */
export class MemorySampler {
  readonly samples: MemorySample[] = [];
  private readonly timer: NodeJS.Timeout;
  private reading = false;

  constructor(
    private readonly service: ServiceProcess,
    everyMs: number,
  ) {
    this.timer = setInterval(() => void this.read(), everyMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async read(): Promise<void> {
    if (this.reading) return;
    this.reading = true;
    try {
      const mb = await this.service.rssMB();
      if (mb !== undefined) this.samples.push({ at: performance.now(), mb });
    } finally {
      this.reading = false;
    }
  }
}
