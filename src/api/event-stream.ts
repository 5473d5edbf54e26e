import type { IncomingMessage, ServerResponse } from 'node:http';
import { campaignOf } from '../engine/reducer.js';
import type { RunEvent } from '../model/events.js';
import type { Store } from '../store/store.js';
import { latestSeq } from './latest-seq.js';
import { eventView } from './run-detail.js';
import { MAX_BUFFERED_BYTES, startSse, writeSse, writeSseComment } from './sse.js';

interface Client {
  res: ServerResponse;
  campaign: string | undefined;
  /** The last sequence number this client has (sent, or replayed when it connected). */
  cursor: number;
}

const BATCH = 2000;
/** More missed events than this on reconnect: the client is told to reload instead of replaying them. */
const MAX_REPLAY = 5000;
const KEEP_ALIVE_TICKS = 30;

/**
 * `GET /api/events/stream`: every new run event and campaign event as a server-sent event. One poll loop
 * for all open streams (`store.listEvents({afterSeq})` every `intervalMs`, plus the campaign events of
 * the campaigns watched), never one per connection or per run, so a hundred open dashboards cost the
 * same few indexed queries per tick — and none when nobody watches.
 *
 * Messages: `ready` ({seq}) once connected; `run-event` (an EventView, `id:` = its seq) for each run
 * event; `campaign-event` ({campaign, seq, at, type, data}: waves, halts, pauses) for each campaign
 * event; `reset` when the client missed too much to replay (reload instead).
 */
export class EventStreamHub {
  private readonly clients = new Set<Client>();
  private timer: NodeJS.Timeout | undefined;
  private position: number | undefined;
  private ticks = 0;
  private polling = false;
  /** Per campaign, the last campaign event sent (campaign events have their own sequence). */
  private readonly campaignCursors = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly intervalMs = 500,
    private readonly log: (message: string, fields: Record<string, unknown>) => void = () => undefined,
  ) {}

  /** Adds a connection; `after` (query or `Last-Event-ID`) replays what the client missed first. */
  async open(req: IncomingMessage, res: ServerResponse, campaign: string | undefined, after: number | undefined): Promise<void> {
    startSse(res);
    const client: Client = { res, campaign, cursor: 0 };
    this.position ??= await latestSeq(this.store);
    client.cursor = this.position;
    if (after !== undefined && after < client.cursor) {
      const missed = await this.store.listEvents({ ...(campaign ? { campaign } : {}), afterSeq: after, limit: MAX_REPLAY + 1 });
      if (missed.length > MAX_REPLAY) {
        writeSse(res, 'reset', { reason: `more than ${MAX_REPLAY} events were missed: reload` });
      } else {
        client.cursor = after;
        this.send(client, missed);
      }
    }
    for (const name of campaign ? [campaign] : (await this.store.listCampaigns()).map((record) => record.name)) {
      if (!this.campaignCursors.has(name)) this.campaignCursors.set(name, (await this.store.listCampaignEvents(name)).at(-1)?.seq ?? 0);
    }
    writeSse(res, 'ready', { seq: client.cursor });
    this.clients.add(client);
    req.once('close', () => this.remove(client));
    this.timer ??= setInterval(() => void this.poll(), this.intervalMs);
  }

  /** Ends every stream (the server is stopping). */
  close(): void {
    for (const client of [...this.clients]) {
      client.res.end();
      this.remove(client);
    }
  }

  get size(): number {
    return this.clients.size;
  }

  private remove(client: Client): void {
    this.clients.delete(client);
    if (this.clients.size > 0 || !this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
    // Nobody watches: start again from the newest event next time, not from here.
    this.position = undefined;
    this.campaignCursors.clear();
  }

  private async poll(): Promise<void> {
    if (this.polling || this.position === undefined) return;
    this.polling = true;
    try {
      const events = await this.store.listEvents({ afterSeq: this.position, limit: BATCH });
      for (const client of this.clients) this.send(client, events);
      const last = events.at(-1)?.seq;
      if (last !== undefined) this.position = last;
      await this.pollCampaignEvents();
      if (++this.ticks % KEEP_ALIVE_TICKS === 0) for (const client of this.clients) writeSseComment(client.res, 'keep-alive');
    } catch (error) {
      this.log('event stream poll failed', { error: (error as Error).message });
    } finally {
      this.polling = false;
    }
  }

  /** New campaign events of the campaigns someone watches (every campaign, for an unfiltered stream). */
  private async pollCampaignEvents(): Promise<void> {
    const watched = new Set<string>();
    let everything = false;
    for (const client of this.clients) {
      if (client.campaign === undefined) everything = true;
      else watched.add(client.campaign);
    }
    if (everything) for (const record of await this.store.listCampaigns()) watched.add(record.name);
    for (const campaign of watched) {
      // A campaign first seen now was created after the streams opened: all its events are new.
      const cursor = this.campaignCursors.get(campaign) ?? 0;
      const fresh = (await this.store.listCampaignEvents(campaign)).filter((event) => (event.seq ?? 0) > cursor);
      if (fresh.length === 0) {
        this.campaignCursors.set(campaign, cursor);
        continue;
      }
      this.campaignCursors.set(campaign, fresh.at(-1)?.seq ?? cursor);
      for (const client of this.clients) {
        if (client.campaign !== undefined && client.campaign !== campaign) continue;
        for (const event of fresh) writeSse(client.res, 'campaign-event', { campaign, seq: event.seq ?? 0, at: event.at, type: event.type, data: event.data });
      }
    }
  }

  private send(client: Client, events: readonly RunEvent[]): void {
    for (const event of events) {
      const seq = event.seq ?? 0;
      if (seq <= client.cursor) continue;
      client.cursor = seq;
      if (client.campaign !== undefined && campaignOf(event.runId) !== client.campaign) continue;
      writeSse(client.res, 'run-event', eventView(event), seq);
    }
    if (client.res.writableLength > MAX_BUFFERED_BYTES) {
      client.res.destroy();
      this.remove(client);
    }
  }
}
