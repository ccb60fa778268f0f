/** `k3s kubectl`: kubectl with the admin kubeconfig unless the user chose one. */
import { accessSync, constants } from "node:fs";
import { join } from "node:path";
import { defaultDataDir, hostFacts } from "../build.ts";
import { DEFAULT_KUBECONFIG } from "../flags.ts";
import { execPassthrough } from "./exec.ts";

function readable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/** The kubeconfig k3s kubectl uses: $KUBECONFIG, else k3s.yaml, else the data dir's admin.kubeconfig. */
export function kubectlKubeconfig(env: NodeJS.ProcessEnv): string | undefined {
  if (env.KUBECONFIG) return undefined;
  if (readable(DEFAULT_KUBECONFIG)) return DEFAULT_KUBECONFIG;
  const dataDir = env.K3S_DATA_DIR || defaultDataDir(hostFacts());
  const cred = join(dataDir, "server", "cred", "admin.kubeconfig");
  return readable(cred) ? cred : DEFAULT_KUBECONFIG;
}

/** Runs kubectl with `args`; returns its exit code. */
export function runKubectl(args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const explicit = args.some((a) => a === "--kubeconfig" || a.startsWith("--kubeconfig="));
  const kubeconfig = explicit ? undefined : kubectlKubeconfig(env);
  return execPassthrough("kubectl", args, {
    env: kubeconfig ? { ...env, KUBECONFIG: kubeconfig } : env,
    missingHint: "install kubectl (the README's set-up does)",
  });
}
