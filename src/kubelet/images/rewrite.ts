/**
 * registries.yaml rewrites, applied by the kubelet because Debian's
 * containerd 1.6 cannot: for an image whose registry has a mirror with a
 * rewrite matching its repository, the list of pulls to try, one per mirror
 * endpoint, each naming the rewritten repository on that endpoint. As in
 * k3s, the first rule (in file order) that matches decides, and endpoints
 * equal to the registry's default endpoint get no rewrite.
 */
import type { AuthConfig } from "../cri/mod.ts";
import { compileGoRegexp, replaceAllGo } from "./goregexp.ts";
import { parseReference, type ImageReference } from "./reference.ts";

/** The part of registries.yaml pulls need (the agent's parsed file fits it). */
export interface PullRegistries {
  mirrors: Record<string, { endpoint?: string[]; rewrite?: Record<string, string> } | null | undefined>;
  configs: Record<string, { auth?: RegistryAuthEntry } | null | undefined>;
}

/** Credentials as registries.yaml writes them under configs.<host>.auth. */
export interface RegistryAuthEntry {
  username?: string;
  password?: string;
  auth?: string;
  identity_token?: string;
  /** k3s's documentation names the bearer token "token" */
  token?: string;
}

/** One pull of a rewritten name from one mirror endpoint. */
export interface RewrittenPull {
  /** the endpoint as written in registries.yaml */
  endpoint: string;
  /** "<endpoint host>/<rewritten repository><tag or digest>" */
  ref: string;
  /** credentials for the endpoint from registries.yaml configs, if any */
  auth?: AuthConfig;
}

interface Rule {
  re: RegExp;
  replacement: string;
}

/** scheme://authority/path of an endpoint, with https by default and /v2 as the path when none is given. */
function canonicalEndpoint(endpoint: string): { url: string; authority: string } {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint) ? endpoint : `https://${endpoint}`;
  const m = /^([^:]+):\/\/([^/]+)(\/.*)?$/.exec(withScheme);
  if (!m) return { url: withScheme, authority: endpoint };
  const path = (m[3] ?? "").replace(/\/+$/, "") || "/v2";
  return { url: `${m[1]!.toLowerCase()}://${m[2]!}${path}`, authority: m[2]! };
}

function isDefaultEndpoint(registry: string, url: string): boolean {
  const defaults = registry === "docker.io" ? ["https://index.docker.io/v2", "https://registry-1.docker.io/v2"] : [`https://${registry}/v2`];
  return defaults.includes(url);
}

function toAuthConfig(a: RegistryAuthEntry | undefined): AuthConfig | undefined {
  if (!a) return undefined;
  const out: AuthConfig = { username: a.username, password: a.password, auth: a.auth, identity_token: a.identity_token ?? a.token };
  return Object.values(out).some((v) => v) ? out : undefined;
}

/** Rewrite rules per registry name, compiled once; an invalid pattern is logged and left out. */
export class RegistryRewrites {
  readonly #rules = new Map<string, Rule[]>();

  constructor(
    private readonly regs: PullRegistries,
    log: (msg: string) => void,
  ) {
    for (const [registry, mirror] of Object.entries(regs.mirrors)) {
      const rules: Rule[] = [];
      for (const [pattern, replacement] of Object.entries(mirror?.rewrite ?? {})) {
        try {
          rules.push({ re: compileGoRegexp(pattern), replacement: String(replacement) });
        } catch (e) {
          log(`registries.yaml: ignoring rewrite ${JSON.stringify(pattern)} of mirror ${registry}: invalid regexp: ${(e as Error).message}`);
        }
      }
      if (rules.length) this.#rules.set(registry, rules);
    }
  }

  /** Whether any mirror has a usable rewrite (else pulls need no planning). */
  get empty(): boolean {
    return this.#rules.size === 0;
  }

  /** The rewritten pulls to try for an image, in endpoint order; empty when no rewrite applies. */
  plan(image: string): RewrittenPull[] {
    if (this.empty) return [];
    let ref: ImageReference;
    try {
      ref = parseReference(image);
    } catch {
      return [];
    }
    // a registry's own entry wins over the "*" wildcard, as k3s does
    const name = this.regs.mirrors[ref.domain] ? ref.domain : this.regs.mirrors["*"] ? "*" : undefined;
    const rule = name === undefined ? undefined : this.#rules.get(name)?.find((r) => r.re.test(ref.path));
    if (!rule) return [];
    const path = replaceAllGo(rule.re, ref.path, rule.replacement).replace(/^\/+/, "");
    const out: RewrittenPull[] = [];
    for (const endpoint of this.regs.mirrors[name!]?.endpoint ?? []) {
      const { url, authority } = canonicalEndpoint(endpoint);
      if (isDefaultEndpoint(ref.domain, url)) continue;
      const cfg = this.regs.configs[authority] ?? this.regs.configs["*"];
      out.push({ endpoint, ref: `${authority}/${path}${ref.suffix}`, auth: toAuthConfig(cfg?.auth ?? undefined) });
    }
    return out;
  }
}
