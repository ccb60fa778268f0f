/**
 * The EndpointSlice controller: discovery.k8s.io/v1 slices (at most 100
 * endpoints each, grouped by port set) for every selector Service, owned by
 * the Service and labelled kubernetes.io/service-name.
 */
import type { KubeObject } from "../../api/types.ts";
import type { Pod, Service } from "../../client/types.ts";
import { R } from "../../client/resources.ts";
import { Lister } from "../../client/lister.ts";
import { selectorFromMap } from "../../client/selectors.ts";
import { canonicalJSON } from "../util/hash.ts";
import { newControllerRef } from "../util/owners.ts";
import { QueueController, startQueueController, type ControllerContext, type RunningController } from "../util/context.ts";
import { podEndpoints, portsKey, type PodEndpoint } from "../endpoints/compute.ts";

const MANAGED_BY = "endpointslice.kubernetes.io/managed-by";
const CONTROLLER = "endpointslice-controller.k8s.io";
const SERVICE_NAME = "kubernetes.io/service-name";
const MAX_PER_SLICE = 100;

interface DesiredSlice {
  addressType: string;
  endpoints: unknown[];
  ports: unknown[];
}

/** The slices a service should have, in a stable order. */
export function desiredSlices(svc: Service, eps: PodEndpoint[]): DesiredSlice[] {
  const groups = new Map<string, { ports: PodEndpoint["ports"]; eps: PodEndpoint[] }>();
  for (const ep of eps) {
    if (ep.ports.length === 0 && (svc.spec.ports ?? []).length > 0) continue;
    const family = ep.ip.includes(":") ? "IPv6" : "IPv4";
    const key = `${family}|${portsKey(ep.ports)}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports: ep.ports, eps: [] }));
    g.eps.push(ep);
  }
  const out: DesiredSlice[] = [];
  for (const [key, g] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const sorted = [...g.eps].sort((a, b) => a.ip.localeCompare(b.ip));
    for (let i = 0; i < sorted.length; i += MAX_PER_SLICE) {
      out.push({
        addressType: key.split("|")[0],
        endpoints: sorted.slice(i, i + MAX_PER_SLICE).map((ep) => ({
          addresses: [ep.ip],
          conditions: { ready: ep.ready, serving: ep.serving, terminating: ep.terminating },
          ...(ep.pod.spec.hostname && ep.pod.spec.subdomain === svc.metadata.name ? { hostname: ep.pod.spec.hostname } : {}),
          ...(ep.pod.spec.nodeName ? { nodeName: ep.pod.spec.nodeName } : {}),
          targetRef: { kind: "Pod", namespace: ep.pod.metadata.namespace, name: ep.pod.metadata.name, uid: ep.pod.metadata.uid },
        })),
        ports: g.ports.map((p) => ({ name: p.name ?? "", port: p.port, protocol: p.protocol, ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) })),
      });
    }
  }
  return out;
}

/** Starts the controller. */
export function startEndpointSliceController(ctx: ControllerContext): RunningController {
  const { client } = ctx;
  const svcInformer = ctx.factory.informerFor<Service>(R.services);
  const podInformer = ctx.factory.informerFor<Pod>(R.pods);
  const sliceInformer = ctx.factory.informerFor(R.endpointslices);
  const svcLister = new Lister(svcInformer);
  const podLister = new Lister(podInformer);
  const qc = new QueueController({ name: "endpointslice-controller", workers: 4, sync });
  const servicesFor = (pod: Pod): void => {
    for (const s of svcLister.list(pod.metadata.namespace ?? "")) {
      if (s.spec.selector && selectorFromMap(s.spec.selector).matches(pod.metadata.labels)) qc.enqueue(s);
    }
  };
  const bySlice = (s: KubeObject): void => {
    const svc = s.metadata.labels?.[SERVICE_NAME];
    if (svc && s.metadata.labels?.[MANAGED_BY] === CONTROLLER) qc.queue.add(`${s.metadata.namespace}/${svc}`);
  };
  const offs = [
    svcInformer.addEventHandler({ add: qc.enqueue, update: (_o, n) => qc.enqueue(n), delete: qc.enqueue }),
    podInformer.addEventHandler({ add: servicesFor, update: (o, n) => (servicesFor(o), servicesFor(n)), delete: servicesFor }),
    sliceInformer.addEventHandler({ update: (_o, n) => bySlice(n), delete: bySlice }),
  ];

  async function sync(key: string): Promise<void> {
    const [namespace, name] = key.split("/");
    const svc = svcInformer.store.get(key);
    // slices are owned by the service: the garbage collector removes them with it
    if (!svc || !svc.spec.selector) return;
    const pods = podLister.list(namespace, selectorFromMap(svc.spec.selector));
    const want = desiredSlices(svc, podEndpoints(svc, pods));
    // read live: a slice created a moment ago may not be in the cache yet
    const have = (await client.list(R.endpointslices, namespace, { labelSelector: `${SERVICE_NAME}=${name},${MANAGED_BY}=${CONTROLLER}` })).items.sort((a, b) =>
      (a.metadata.name ?? "").localeCompare(b.metadata.name ?? ""),
    );
    const labels = { ...(svc.metadata.labels ?? {}), [SERVICE_NAME]: name, [MANAGED_BY]: CONTROLLER };
    const slices = want.length ? want : [{ addressType: "IPv4", endpoints: [], ports: [] }];
    for (let i = 0; i < slices.length; i++) {
      const d = slices[i];
      const cur = have[i];
      if (cur) {
        const same = canonicalJSON([cur.addressType, cur.endpoints ?? [], cur.ports ?? [], cur.metadata.labels]) === canonicalJSON([d.addressType, d.endpoints, d.ports, labels]);
        if (same) continue;
        if (cur.addressType !== d.addressType) {
          await client.delete(R.endpointslices, namespace, cur.metadata.name ?? "").catch(() => undefined);
        } else {
          await client.update(R.endpointslices, namespace, { ...cur, metadata: { ...cur.metadata, labels }, endpoints: d.endpoints, ports: d.ports });
          continue;
        }
      }
      await client.create(R.endpointslices, namespace, {
        apiVersion: "discovery.k8s.io/v1",
        kind: "EndpointSlice",
        metadata: { generateName: `${name}-`, namespace, labels, ownerReferences: [newControllerRef(svc, { apiVersion: "v1", kind: "Service" })] },
        addressType: d.addressType,
        endpoints: d.endpoints,
        ports: d.ports,
      });
    }
    for (const extra of have.slice(slices.length)) await client.delete(R.endpointslices, namespace, extra.metadata.name ?? "").catch(() => undefined);
  }

  return startQueueController(qc, offs);
}
