/** Starts the controller manager and the scheduler inside `k3s server`. */
import { inProcessClient, SharedInformerFactory } from "../client/mod.ts";
import { startControllerManager } from "../controllers/mod.ts";
import { startScheduler } from "../scheduler/mod.ts";
import { log } from "../util/log.ts";
import type { ServerConfig } from "./config.ts";
import type { ControlPlane } from "./control.ts";
import { CONTROLLER_MANAGER_USER, SCHEDULER_USER } from "./identities.ts";
import type { ServerPKI } from "./pki/mod.ts";
import { csrSigner } from "./csrsigner.ts";
import { componentArg } from "./componentargs.ts";
import { startResourceQuotaController } from "../apiserver/admission/plugins/mod.ts";

export interface ServerControllersOptions {
  config: ServerConfig;
  control: ControlPlane;
  pki: ServerPKI;
}

/** Starts what runs beside the API server; returns their stop function. */
export async function startServerControllers(opts: ServerControllersOptions): Promise<() => Promise<void>> {
  const { config, control, pki } = opts;
  const controllers = componentArg(config.kubeControllerManagerArgs, "controllers");
  const cmClient = inProcessClient(control.api.handler, CONTROLLER_MANAGER_USER);
  // one informer per resource for the controllers and the scheduler alike
  const factory = new SharedInformerFactory(cmClient);
  const cm = await startControllerManager(cmClient, {
    factory,
    clusterCIDR: config.clusterCIDR,
    serviceCIDR: config.serviceCIDR,
    nodeCIDRMaskSize: Number(componentArg(config.kubeControllerManagerArgs, "node-cidr-mask-size") ?? 24),
    controllers: controllers ? controllers.split(",") : undefined,
    rootCAPEM: pki.serverCA.certPEM,
    signCSR: csrSigner(pki),
  });
  // quota usage is the controller manager's job upstream; admission refuses creates under a quota without it
  const quota = startResourceQuotaController(cmClient, { informers: factory });
  log.info("Running kube-controller-manager");
  let scheduler: { stop(): Promise<void> } | undefined;
  if (!config.disableScheduler) {
    scheduler = await startScheduler(inProcessClient(control.api.handler, SCHEDULER_USER), { factory });
    log.info("Running kube-scheduler");
  }
  return async () => {
    await scheduler?.stop();
    await cm.stop();
    quota.stop();
    factory.stop();
  };
}
