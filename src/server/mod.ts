/** `k3s server`: brings up the control plane (and the local agent). */
import { mkdirSync, accessSync, constants } from "node:fs";
import { join } from "node:path";
import { K3S_VERSION } from "../cli/version.ts";
import { errorMessage, log, setDebug } from "../util/log.ts";
import { advertisedAPI, advertisedHostPort } from "./advertise.ts";
import { bootstrapCluster } from "./bootstrap.ts";
import type { ServerConfig } from "./config.ts";
import { clusterSettings, startControlPlane, type ControlPlane } from "./control.ts";
import { ensureServerKubeconfigs } from "./kubeconfig/mod.ts";
import { ensureServerPKI } from "./pki/mod.ts";
import { startServerControllers } from "./controllers.ts";
import { kubeletEvictionConfig, startAgent } from "../agent/run.ts";
import { inProcessClient } from "../client/mod.ts";
import { nodeUser } from "./identities.ts";
import { kubeletServingCert } from "../supervisor/mod.ts";
import { checkTokensAgainstCA, ensureTokens } from "./token/mod.ts";

/** A stop function of something the server started, run in reverse order at shutdown. */
type Stopper = () => Promise<void>;

function prepareDataDir(config: ServerConfig): void {
  const server = join(config.dataDir, "server");
  try {
    mkdirSync(server, { recursive: true, mode: 0o700 });
    for (const d of ["db", "manifests", "static/charts", "cred", "tls"]) mkdirSync(join(server, d), { recursive: true, mode: 0o700 });
    accessSync(server, constants.W_OK);
  } catch (err) {
    throw new Error(`data dir ${config.dataDir} cannot be written: ${errorMessage(err)}`);
  }
}

/** Runs the server until the process is told to stop (SIGTERM/SIGINT). */
export async function runServer(config: ServerConfig): Promise<void> {
  setDebug(config.debug);
  log.info(`Starting k3s ${K3S_VERSION}`);
  const stoppers: Stopper[] = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stoppers.reverse()) {
      try {
        await stop();
      } catch (err) {
        log.warn(`shutdown: ${errorMessage(err)}`);
      }
    }
  };
  try {
    // a malformed --kubelet-arg eviction setting stops the server before it touches anything
    if (!config.disableAgent) kubeletEvictionConfig(config.agent.kubeletArgs);
    // empty folders are all a refused start leaves behind; the token check writes nothing
    prepareDataDir(config);
    checkTokensAgainstCA(config);
    const pki = await ensureServerPKI(config);
    for (const c of pki.changed) log.info(`certificate ${c}`);
    const tokens = await ensureTokens(config, pki);
    const control: ControlPlane = await startControlPlane({ config, pki, tokens });
    stoppers.push(() => control.close());
    await bootstrapCluster(control.admin, control.api, clusterSettings(config), advertisedAPI(config));
    const kubeconfigs = await ensureServerKubeconfigs(config, pki);
    log.info(`Wrote kubeconfig ${kubeconfigs.admin}`);
    stoppers.push(await startServerControllers({ config, control, pki }));
    if (!config.disableAgent) {
      const agent = await startAgent(config.agent, {
        client: inProcessClient(control.api.handler, nodeUser(config.agent.nodeName)),
        controlPlane: true,
        labeller: control.admin,
        kubeletTLS: { ...kubeletServingCert(pki, config.agent.nodeName, config.agent.nodeIPs), clientCAPEM: pki.clientCA.certPEM },
      });
      stoppers.push(() => agent.stop());
    }
    log.info(`k3s is up and running`);
    const joinURL = `https://${advertisedHostPort(config)}`;
    log.info(`To join an agent: k3s agent --server ${joinURL} --token-file ${tokens.nodeTokenPath}`);
  } catch (err) {
    await stopAll();
    throw err;
  }
  await waitForSignal();
  log.info("Shutting down");
  const force = setTimeout(() => process.exit(0), 15_000);
  force.unref();
  await stopAll();
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      process.off("SIGTERM", done);
      process.off("SIGINT", done);
      resolve();
    };
    process.on("SIGTERM", done);
    process.on("SIGINT", done);
  });
}
