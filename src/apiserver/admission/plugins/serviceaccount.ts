/**
 * ServiceAccount admission (upstream plugin/pkg/admission/serviceaccount):
 * a new Pod runs as "default" unless it names a service account, which must
 * exist; unless automounting is off (pod first, then service account) every
 * container and init container mounts the projected kube-api-access-<5>
 * volume (bound token, cluster CA, namespace) read-only at the well-known path.
 */
import { randomInt } from "node:crypto";
import type { KubeObject } from "../../../api/types.ts";
import type { Client } from "../../../client/client.ts";
import { Lister } from "../../../client/lister.ts";
import type { SharedInformerFactory } from "../../../client/factory.ts";
import type { AdmissionAttributes, AdmissionHook } from "../../rest/context.ts";
import { admissionForbidden, getOrUndefined, isCore, MIRROR_POD_ANNOTATION, podSpec, REFS, type Container, type PodSpec } from "./common.ts";

/** Where the token, CA and namespace files appear in containers. */
export const SERVICE_ACCOUNT_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
const VOLUME_PREFIX = "kube-api-access-";
/** Upstream's WarnOnlyBoundTokenExpirationSeconds: 1 h + 7 s, so kubelets refresh before legacy clients notice. */
const TOKEN_EXPIRATION_SECONDS = 3607;
/** Upstream's utilrand alphabet: no vowels, no confusable characters. */
const ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";

export interface ServiceAccountAdmissionOptions {
  /** reads service accounts live when the cache misses */
  client: Client;
  /** the shared informers the cache comes from */
  informers: SharedInformerFactory;
  /** how long to wait for the "default" service account the controller creates (default 2 s) */
  defaultWaitMs?: number;
}

interface ServiceAccount extends KubeObject {
  automountServiceAccountToken?: boolean;
  imagePullSecrets?: { name: string }[];
}

/** The projected volume source upstream's TokenVolumeSource builds. */
export function tokenVolumeSource(): Record<string, unknown> {
  return {
    defaultMode: 420,
    sources: [
      { serviceAccountToken: { expirationSeconds: TOKEN_EXPIRATION_SECONDS, path: "token" } },
      { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
      { downwardAPI: { items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }] } },
    ],
  };
}

function randomSuffix(n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += ALPHANUMS[randomInt(ALPHANUMS.length)];
  return s;
}

/** Adds the token volume and its mounts where missing (upstream's mountServiceAccountToken). */
export function mountServiceAccountToken(spec: PodSpec): void {
  const existing = (spec.volumes ?? []).find((v) => v.name.startsWith(VOLUME_PREFIX));
  const volumeName = existing?.name ?? VOLUME_PREFIX + randomSuffix(5);
  let needsVolume = false;
  const mountInto = (containers: Container[] | undefined): void => {
    for (const c of containers ?? []) {
      // a container that mounts something at the path already keeps it
      if ((c.volumeMounts ?? []).some((m) => m.mountPath === SERVICE_ACCOUNT_MOUNT_PATH)) continue;
      (c.volumeMounts ??= []).push({ name: volumeName, readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT_PATH });
      needsVolume = true;
    }
  };
  mountInto(spec.initContainers);
  mountInto(spec.containers);
  if (!existing && needsVolume) (spec.volumes ??= []).push({ name: volumeName, projected: tokenVolumeSource() });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Creates the ServiceAccount admission plugin. */
export function serviceAccountAdmission(opts: ServiceAccountAdmissionOptions): AdmissionHook {
  const lister = new Lister<ServiceAccount>(opts.informers.informerFor<ServiceAccount>(REFS.serviceaccounts));
  const defaultWaitMs = opts.defaultWaitMs ?? 2000;

  async function lookup(namespace: string, name: string): Promise<ServiceAccount | undefined> {
    const cached = lister.get(namespace, name);
    if (cached) return cached;
    // the cache may lag a create; "default" may not exist yet in a new namespace, so wait for the controller
    const deadline = Date.now() + (name === "default" ? defaultWaitMs : 0);
    for (;;) {
      const live = await getOrUndefined<ServiceAccount>(opts.client, { ref: REFS.serviceaccounts, namespace, name });
      if (live) return live;
      if (Date.now() >= deadline) return undefined;
      await sleep(100 + randomInt(100));
    }
  }

  return {
    async mutate(attrs: AdmissionAttributes): Promise<void> {
      if (attrs.operation !== "CREATE" || !isCore(attrs, "pods") || !attrs.object) return;
      const pod = attrs.object;
      // mirror pods stand for static pods, which may not use API objects
      if (pod.metadata.annotations?.[MIRROR_POD_ANNOTATION] !== undefined) return;
      const spec = podSpec(pod);
      if (!spec.serviceAccountName) spec.serviceAccountName = spec.serviceAccount || "default";
      spec.serviceAccount = spec.serviceAccountName;
      pod.spec = spec;
      const sa = await lookup(attrs.namespace, spec.serviceAccountName);
      if (!sa) {
        const name = spec.serviceAccountName;
        throw admissionForbidden(attrs, `error looking up service account ${attrs.namespace}/${name}: serviceaccount "${name}" not found`);
      }
      const automount = spec.automountServiceAccountToken ?? sa.automountServiceAccountToken ?? true;
      if (automount) mountServiceAccountToken(spec);
      if ((spec.imagePullSecrets ?? []).length === 0 && (sa.imagePullSecrets ?? []).length > 0) {
        spec.imagePullSecrets = sa.imagePullSecrets!.map((s) => ({ name: s.name }));
      }
    },
    async validate(attrs: AdmissionAttributes): Promise<void> {
      if (attrs.operation !== "CREATE" || !isCore(attrs, "pods") || !attrs.object) return;
      const pod = attrs.object;
      if (pod.metadata.annotations?.[MIRROR_POD_ANNOTATION] === undefined) return;
      const spec = podSpec(pod);
      if (spec.serviceAccountName) throw admissionForbidden(attrs, "a mirror pod may not reference service accounts");
      if ((spec.volumes ?? []).some((v) => v.name.startsWith(VOLUME_PREFIX) || v.projected !== undefined && JSON.stringify(v.projected).includes("serviceAccountToken"))) {
        throw admissionForbidden(attrs, "a mirror pod may not use ServiceAccountToken volume projections");
      }
    },
  };
}
