/** /healthz, /livez and /readyz with named checks that other components register. */
import type { ApiResponse } from "./request.ts";

/** A check: resolves when healthy, throws (or rejects) with the reason when not. */
export type HealthCheck = () => Promise<void> | void;

export interface HealthCheckOptions {
  /** which endpoints run it (default all three) */
  endpoints?: ("healthz" | "livez" | "readyz")[];
}

/** The registered checks, in registration order. */
export class HealthChecks {
  #checks = new Map<string, { fn: HealthCheck; endpoints: string[] }>();

  constructor() {
    this.register("ping", () => undefined);
  }

  /** adds (or replaces) a named check */
  register(name: string, fn: HealthCheck, opts: HealthCheckOptions = {}): void {
    this.#checks.set(name, { fn, endpoints: opts.endpoints ?? ["healthz", "livez", "readyz"] });
  }

  unregister(name: string): void {
    this.#checks.delete(name);
  }

  /** serves /<endpoint>[/<check>] with ?verbose and ?exclude= as upstream */
  async serve(path: string, query: URLSearchParams): Promise<ApiResponse | undefined> {
    const m = /^\/(healthz|livez|readyz)(?:\/(.+))?$/.exec(path);
    if (!m) return undefined;
    const endpoint = m[1];
    const only = m[2];
    const exclude = new Set(query.getAll("exclude"));
    const checks = [...this.#checks.entries()].filter(([name, c]) => c.endpoints.includes(endpoint) && !exclude.has(name) && (!only || name === only));
    if (only && checks.length === 0) return text(404, "404 page not found\n");
    const lines: string[] = [];
    let failed = false;
    for (const [name, c] of checks) {
      try {
        await c.fn();
        lines.push(`[+]${name} ok`);
      } catch {
        failed = true;
        lines.push(`[-]${name} failed: reason withheld`);
      }
    }
    if (only) return text(failed ? 500 : 200, failed ? `internal server error: ${only} failed\n` : "ok");
    if (failed) return text(500, `${lines.join("\n")}\n${endpoint} check failed\n`);
    if (query.has("verbose")) return text(200, `${lines.join("\n")}\n${endpoint} check passed\n`);
    return text(200, "ok");
  }
}

function text(status: number, body: string): ApiResponse {
  return { status, headers: { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" }, body: Buffer.from(body) };
}
