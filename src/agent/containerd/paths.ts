/** Where the agent's containerd keeps its files, following k3s's layout. */
import { join } from "node:path";

/** The default containerd socket, as k3s uses it. */
export const DEFAULT_CONTAINERD_SOCKET = "/run/k3s/containerd/containerd.sock";
/** The default containerd state dir, as k3s uses it. */
export const DEFAULT_CONTAINERD_STATE = "/run/k3s/containerd";
/** The CNI plugins shipped by Debian's containernetworking-plugins. */
export const DEFAULT_CNI_BIN_DIR = "/usr/lib/cni";

/** Every path under the data dir the containerd supervisor touches. */
export interface ContainerdPaths {
  configDir: string;
  configFile: string;
  templateFile: string;
  certsDir: string;
  root: string;
  logFile: string;
  cniConfDir: string;
  imagesDir: string;
}

/** The k3s layout under <dataDir>/agent. */
export function containerdPaths(dataDir: string): ContainerdPaths {
  const agent = join(dataDir, "agent");
  const configDir = join(agent, "etc", "containerd");
  return {
    configDir,
    configFile: join(configDir, "config.toml"),
    templateFile: join(configDir, "config.toml.tmpl"),
    certsDir: join(configDir, "certs.d"),
    root: join(agent, "containerd"),
    logFile: join(agent, "containerd", "containerd.log"),
    cniConfDir: join(agent, "etc", "cni", "net.d"),
    imagesDir: join(agent, "images"),
  };
}
