/** The startup, liveness and readiness probes of one container instance, with upstream's periods and thresholds. */
import type { CriClient } from "./cri/mod.ts";
import { runAction } from "./probes.ts";
import type { ContainerSpec, Probe } from "./types.ts";

type Kind = "Startup" | "Liveness" | "Readiness";

/** What the probes run against and whom they tell. */
export interface ProbeSetOptions {
  cri: CriClient;
  container: ContainerSpec;
  containerId: string;
  host: string;
  /** started/ready changed */
  onChange(): void;
  /** a probe failed (Readiness: each failure; others: threshold reached, the container must be killed) */
  onFailure(kind: Kind, message: string): void;
}

/** Runs a container's probes until stopped. */
export class ProbeSet {
  readonly containerId: string;
  started: boolean;
  ready: boolean;
  #ac = new AbortController();

  constructor(private readonly o: ProbeSetOptions) {
    this.containerId = o.containerId;
    const c = o.container;
    this.started = !c.startupProbe;
    this.ready = !c.readinessProbe && this.started;
    if (c.startupProbe) void this.#loop("Startup", c.startupProbe);
    if (c.livenessProbe) void this.#loop("Liveness", c.livenessProbe);
    if (c.readinessProbe) void this.#loop("Readiness", c.readinessProbe);
  }

  /** Whether nothing is waiting on a probe result. */
  settled(): boolean {
    return true;
  }

  /** Stops every probe loop. */
  stop(): void {
    this.#ac.abort();
  }

  #sleep(ms: number): Promise<void> {
    const signal = this.#ac.signal;
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const t = setTimeout(done, ms);
      function done(): void {
        clearTimeout(t);
        signal.removeEventListener("abort", done);
        resolve();
      }
      signal.addEventListener("abort", done, { once: true });
    });
  }

  async #loop(kind: Kind, p: Probe): Promise<void> {
    const period = (p.periodSeconds ?? 10) * 1000;
    const failureThreshold = p.failureThreshold ?? 3;
    const successThreshold = kind === "Readiness" ? (p.successThreshold ?? 1) : 1;
    let successes = 0;
    let failures = 0;
    await this.#sleep((p.initialDelaySeconds ?? 0) * 1000);
    while (!this.#ac.signal.aborted) {
      if (kind !== "Startup" && !this.started) {
        await this.#sleep(Math.min(period, 1000));
        continue;
      }
      const r = await runAction(p, { cri: this.o.cri, containerId: this.containerId, container: this.o.container, host: this.o.host, timeoutSeconds: p.timeoutSeconds ?? 1 });
      if (this.#ac.signal.aborted) return;
      if (r.ok) {
        successes++;
        failures = 0;
      } else {
        failures++;
        successes = 0;
      }
      if (kind === "Startup") {
        if (r.ok) {
          this.started = true;
          if (!this.o.container.readinessProbe) this.ready = true;
          this.o.onChange();
          return;
        }
        if (failures >= failureThreshold) return this.o.onFailure(kind, r.message);
      } else if (kind === "Liveness") {
        if (failures >= failureThreshold) return this.o.onFailure(kind, r.message);
      } else {
        const before = this.ready;
        if (r.ok && successes >= successThreshold) this.ready = true;
        if (!r.ok) {
          this.o.onFailure(kind, r.message);
          if (failures >= failureThreshold) this.ready = false;
        }
        if (before !== this.ready) this.o.onChange();
      }
      await this.#sleep(period);
    }
  }
}
