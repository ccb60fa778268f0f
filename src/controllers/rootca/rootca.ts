/** The root CA publisher: the kube-root-ca.crt ConfigMap in every active namespace. */
import type { KubeObject } from "../../api/types.ts";
import { R } from "../../client/resources.ts";
import { QueueController, startQueueController, type ControllerContext, type RunningController } from "../util/context.ts";

const NAME = "kube-root-ca.crt";
const DESCRIPTION =
  "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.";

/** Starts the publisher; without a CA PEM it does nothing. */
export function startRootCAPublisher(ctx: ControllerContext): RunningController {
  const pem = ctx.settings.rootCAPEM;
  if (!pem) return { stop: async () => undefined };
  const nsInformer = ctx.factory.informerFor(R.namespaces);
  const cmInformer = ctx.factory.informerFor(R.configmaps);
  const qc = new QueueController({ name: "root-ca-cert-publisher", sync });
  const byCM = (cm: KubeObject): void => {
    if (cm.metadata.name === NAME && cm.metadata.namespace) qc.queue.add(cm.metadata.namespace);
  };
  const offs = [
    nsInformer.addEventHandler({ add: qc.enqueue, update: (_o, n) => qc.enqueue(n) }),
    cmInformer.addEventHandler({ update: (_o, n) => byCM(n), delete: byCM }),
  ];
  async function sync(ns: string): Promise<void> {
    const namespace = nsInformer.store.get(ns);
    if (!namespace || namespace.metadata.deletionTimestamp) return;
    const cm = cmInformer.store.get(`${ns}/${NAME}`);
    const data = (cm?.data as Record<string, string> | undefined) ?? {};
    if (cm && data["ca.crt"] === pem && cm.metadata.annotations?.["kubernetes.io/description"] === DESCRIPTION) return;
    const body: KubeObject = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { ...(cm?.metadata ?? { name: NAME, namespace: ns }), annotations: { ...(cm?.metadata.annotations ?? {}), "kubernetes.io/description": DESCRIPTION } },
      data: { "ca.crt": pem },
    };
    try {
      if (cm) await ctx.client.update(R.configmaps, ns, body);
      else await ctx.client.create(R.configmaps, ns, body);
    } catch (err) {
      if ((err as { code?: number }).code !== 409) throw err;
    }
  }
  return startQueueController(qc, offs);
}
