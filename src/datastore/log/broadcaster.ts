/** Fans committed rows out to watchers, each with its key range. */
import type { WatchEvent } from "../backend.ts";
import { inRange, isInternalRow, rowToEvent } from "./events.ts";
import type { Row } from "./store.ts";

/** One watcher's subscription. */
export interface Subscriber {
  start: string;
  end?: string;
  /** receives the events of one commit (never empty) */
  deliver(events: WatchEvent[]): void;
}

/** the set of live watchers */
export class Broadcaster {
  private subs = new Set<Subscriber>();

  subscribe(sub: Subscriber): () => void {
    this.subs.add(sub);
    return () => this.subs.delete(sub);
  }

  get size(): number {
    return this.subs.size;
  }

  /** delivers rows (ascending ids, all committed) to every matching watcher */
  publish(rows: Row[]): void {
    if (this.subs.size === 0) return;
    const events: WatchEvent[] = [];
    for (const row of rows) if (!isInternalRow(row)) events.push(rowToEvent(row));
    if (events.length === 0) return;
    for (const sub of this.subs) {
      const mine = events.filter((e) => inRange(e.kv.key, sub.start, sub.end));
      if (mine.length) sub.deliver(mine);
    }
  }
}
