/** The Endpoints controller: core/v1 Endpoints mirror each selector Service's pods. */
import type { KubeObject } from "../../api/types.ts";
import type { Pod, Service } from "../../client/types.ts";
import { R } from "../../client/resources.ts";
import { Lister } from "../../client/lister.ts";
import { objectKey } from "../../client/store.ts";
import { selectorFromMap } from "../../client/selectors.ts";
import { canonicalJSON } from "../util/hash.ts";
import { QueueController, startQueueController, type ControllerContext, type RunningController } from "../util/context.ts";
import { podEndpoints, portsKey, type PodEndpoint } from "./compute.ts";

interface EndpointAddress {
  ip: string;
  nodeName?: string;
  hostname?: string;
  targetRef: { kind: "Pod"; namespace?: string; name?: string; uid?: string };
}

/** Endpoints subsets: addresses grouped by the ports they serve, sorted for stable output. */
export function buildSubsets(svc: Service, eps: PodEndpoint[]): unknown[] {
  const groups = new Map<string, { ports: PodEndpoint["ports"]; addresses: EndpointAddress[]; notReadyAddresses: EndpointAddress[] }>();
  for (const ep of eps) {
    if (ep.terminating && !svc.spec.publishNotReadyAddresses) continue;
    if (ep.ports.length === 0 && (svc.spec.ports ?? []).length > 0) continue;
    const key = portsKey(ep.ports);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports: ep.ports, addresses: [], notReadyAddresses: [] }));
    const p = ep.pod;
    const addr: EndpointAddress = {
      ip: ep.ip,
      ...(p.spec.nodeName ? { nodeName: p.spec.nodeName } : {}),
      ...(p.spec.hostname && p.spec.subdomain === svc.metadata.name ? { hostname: p.spec.hostname } : {}),
      targetRef: { kind: "Pod", namespace: p.metadata.namespace, name: p.metadata.name, uid: p.metadata.uid },
    };
    (ep.ready ? g.addresses : g.notReadyAddresses).push(addr);
  }
  const byIP = (a: EndpointAddress, b: EndpointAddress): number => a.ip.localeCompare(b.ip);
  return [...groups.values()].map((g) => ({
    ...(g.addresses.length ? { addresses: g.addresses.sort(byIP) } : {}),
    ...(g.notReadyAddresses.length ? { notReadyAddresses: g.notReadyAddresses.sort(byIP) } : {}),
    ports: g.ports.map((p) => ({ name: p.name || undefined, port: p.port, protocol: p.protocol, ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) })),
  }));
}

/** Starts the controller. */
export function startEndpointsController(ctx: ControllerContext): RunningController {
  const { client } = ctx;
  const svcInformer = ctx.factory.informerFor<Service>(R.services);
  const podInformer = ctx.factory.informerFor<Pod>(R.pods);
  const epInformer = ctx.factory.informerFor(R.endpoints);
  const svcLister = new Lister(svcInformer);
  const podLister = new Lister(podInformer);
  const qc = new QueueController({ name: "endpoint-controller", workers: 4, sync });
  const servicesFor = (pod: Pod): void => {
    for (const s of svcLister.list(pod.metadata.namespace ?? "")) {
      if (s.spec.selector && selectorFromMap(s.spec.selector).matches(pod.metadata.labels)) qc.enqueue(s);
    }
  };
  const offs = [
    svcInformer.addEventHandler({ add: qc.enqueue, update: (_o, n) => qc.enqueue(n), delete: qc.enqueue }),
    podInformer.addEventHandler({ add: servicesFor, update: (o, n) => (servicesFor(o), servicesFor(n)), delete: servicesFor }),
    epInformer.addEventHandler({ delete: (ep) => qc.queue.add(objectKey(ep)) }),
  ];

  async function sync(key: string): Promise<void> {
    const svc = svcInformer.store.get(key);
    const current = epInformer.store.get(key);
    const [namespace, name] = key.split("/");
    if (!svc) {
      if (current) await client.delete(R.endpoints, namespace, name).catch(() => undefined);
      return;
    }
    // services without a selector have user-managed endpoints
    if (!svc.spec.selector) return;
    const pods = podLister.list(namespace, selectorFromMap(svc.spec.selector));
    const subsets = buildSubsets(svc, podEndpoints(svc, pods));
    const labels = { ...(svc.metadata.labels ?? {}) };
    if (current && canonicalJSON((current as KubeObject).subsets ?? []) === canonicalJSON(subsets) && canonicalJSON(current.metadata.labels ?? {}) === canonicalJSON(labels)) return;
    const body: KubeObject = {
      apiVersion: "v1",
      kind: "Endpoints",
      metadata: { ...(current?.metadata ?? { name, namespace }), labels },
      subsets,
    };
    try {
      if (current) await client.update(R.endpoints, namespace, body);
      else await client.create(R.endpoints, namespace, body);
    } catch (err) {
      if ((err as { code?: number }).code === 409 || (err as { code?: number }).code === 404) {
        qc.queue.addAfter(key, 100);
        return;
      }
      throw err;
    }
  }

  return startQueueController(qc, offs);
}
