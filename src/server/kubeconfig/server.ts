/** The server's kubeconfigs: the admin one for users and the component ones in server/cred. */
import { isIP } from "node:net";
import { join } from "node:path";
import type { ServerConfig } from "../config.ts";
import type { CertFiles } from "../pki/ensure.ts";
import type { ServerPKI } from "../pki/server.ts";
import { writeFileKubeconfig, writeKubeconfig } from "./kubeconfig.ts";

/** Paths of the kubeconfigs the server wrote. */
export interface ServerKubeconfigs {
  /** --write-kubeconfig (default /etc/rancher/k3s/k3s.yaml), embedded certificates */
  admin: string;
  /** server/cred/admin.kubeconfig and friends, referencing server/tls files */
  credAdmin: string;
  controller: string;
  scheduler: string;
  apiServer: string;
  supervisor: string;
  k3sController: string;
}

/** The URL local clients reach the API on: loopback, unless the server binds one specific address. */
export function localAPIServerURL(config: ServerConfig): string {
  const bind = config.bindAddress;
  const host = !bind || bind === "0.0.0.0" || bind === "::" ? "127.0.0.1" : isIP(bind) === 6 ? `[${bind}]` : bind;
  return `https://${host}:${config.httpsListenPort}`;
}

/** Writes the admin kubeconfig and server/cred/*.kubeconfig; rewrites only what changed. */
export async function ensureServerKubeconfigs(config: ServerConfig, pki: ServerPKI): Promise<ServerKubeconfigs> {
  const server = localAPIServerURL(config);
  const credDir = join(config.dataDir, "server", "cred");
  const component = (name: string, files: CertFiles): string => {
    const path = join(credDir, `${name}.kubeconfig`);
    writeFileKubeconfig(path, { server, caPath: pki.serverCA.certPath, certPath: files.certPath, keyPath: files.keyPath });
    return path;
  };
  writeKubeconfig(config.writeKubeconfig, {
    server,
    caPEM: pki.serverCA.certPEM,
    certPEM: pki.clientAdmin.certPEM,
    keyPEM: pki.clientAdmin.keyPEM,
    mode: config.writeKubeconfigMode,
  });
  return {
    admin: config.writeKubeconfig,
    credAdmin: component("admin", pki.clientAdmin),
    controller: component("controller", pki.clientController),
    scheduler: component("scheduler", pki.clientScheduler),
    apiServer: component("api-server", pki.clientKubeAPIServer),
    supervisor: component("supervisor", pki.clientSupervisor),
    k3sController: component("k3scontroller", pki.clientK3sController),
  };
}
