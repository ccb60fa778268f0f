/**
 * Controller expectations: after asking for N creations or deletions, a
 * controller waits until its informer has seen them before acting again, so
 * a stale cache cannot make it create twice. Expire after 5 minutes.
 */

interface Expectation {
  add: number;
  del: number;
  at: number;
  /** keys of pods expected to be deleted, so a delete event is counted once */
  deleting: Set<string>;
}

const TTL_MS = 5 * 60 * 1000;

/** Per-controller-key outstanding creations and deletions. */
export class Expectations {
  private items = new Map<string, Expectation>();

  /** Whether the key may sync (nothing outstanding, or expired). */
  satisfied(key: string): boolean {
    const e = this.items.get(key);
    if (!e) return true;
    if ((e.add <= 0 && e.del <= 0) || Date.now() - e.at > TTL_MS) return true;
    return false;
  }

  expectCreations(key: string, n: number): void {
    this.items.set(key, { add: n, del: 0, at: Date.now(), deleting: new Set() });
  }

  expectDeletions(key: string, podKeys: string[]): void {
    this.items.set(key, { add: 0, del: podKeys.length, at: Date.now(), deleting: new Set(podKeys) });
  }

  creationObserved(key: string): void {
    const e = this.items.get(key);
    if (e) e.add--;
  }

  deletionObserved(key: string, podKey: string): void {
    const e = this.items.get(key);
    if (e && e.deleting.delete(podKey)) e.del--;
  }

  /** A creation that failed will never be observed. */
  lowerCreations(key: string, n: number): void {
    const e = this.items.get(key);
    if (e) e.add -= n;
  }

  delete(key: string): void {
    this.items.delete(key);
  }
}
