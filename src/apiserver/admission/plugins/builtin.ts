/**
 * kube-apiserver's built-in admission plugins as one hook, in upstream's
 * order (see orderedPlugins), then the webhooks (MutatingAdmissionWebhook /
 * ValidatingAdmissionWebhook), and ResourceQuota last so that only requests
 * every other plugin let through are charged. NamespaceLifecycle's create
 * check stays in the REST core (so it stays on when the plugin is disabled); DefaultTolerationSeconds is applied by the
 * Pod defaults (src/api/pods.ts).
 */
import type { Client } from "../../../client/client.ts";
import { SharedInformerFactory } from "../../../client/factory.ts";
import type { AdmissionAttributes, AdmissionHook } from "../../rest/context.ts";
import { certificateApprovalAdmission, certificateSigningAdmission, certificateSubjectRestrictionAdmission } from "./certificates.ts";
import { chainAdmission } from "./chain.ts";
import { defaultIngressClassAdmission } from "./defaultingressclass.ts";
import { defaultStorageClassAdmission } from "./defaultstorageclass.ts";
import { limitRangerAdmission } from "./limitranger.ts";
import { namespaceLifecycleAdmission } from "./namespacelifecycle.ts";
import { nodeRestrictionAdmission } from "./noderestriction.ts";
import { taintNodesByConditionAdmission } from "./nodetaint.ts";
import { podSecurityAdmission, type PodSecurityOptions } from "./podsecurity.ts";
import { priorityAdmission } from "./priority.ts";
import { pvcResizeAdmission } from "./pvcresize.ts";
import { resourceQuotaAdmission } from "./resourcequota.ts";
import { runtimeClassAdmission } from "./runtimeclass.ts";
import { serviceAccountAdmission } from "./serviceaccount.ts";
import { storageProtectionAdmission } from "./storageprotection.ts";

/** The plugins this module provides, by upstream's names. */
export type BuiltinPluginName =
  | "NamespaceLifecycle"
  | "LimitRanger"
  | "ServiceAccount"
  | "NodeRestriction"
  | "TaintNodesByCondition"
  | "PodSecurity"
  | "Priority"
  | "DefaultStorageClass"
  | "StorageObjectInUseProtection"
  | "PersistentVolumeClaimResize"
  | "RuntimeClass"
  | "CertificateApproval"
  | "CertificateSigning"
  | "CertificateSubjectRestriction"
  | "DefaultIngressClass"
  | "ResourceQuota";

export interface BuiltinAdmissionOptions {
  /** a superuser client (the API server's own in-process client); used only after start() */
  client: Client;
  /** shared informers (default: a factory of its own, started and stopped with the hook) */
  informers?: SharedInformerFactory;
  /** runs where upstream runs the admission webhooks: after PodSecurity, before ResourceQuota */
  webhooks?: AdmissionHook;
  /** PodSecurity's defaults for unlabelled namespaces and its exempt namespaces */
  podSecurity?: Pick<PodSecurityOptions, "defaults" | "exemptNamespaces">;
  /** plugins to leave out (kube-apiserver's --disable-admission-plugins) */
  disable?: BuiltinPluginName[];
  /** how long a new pod waits for its namespace's "default" service account (default 2 s) */
  defaultServiceAccountWaitMs?: number;
}

/** The combined hook with its informers' life cycle. */
export interface BuiltinAdmission extends AdmissionHook {
  /** starts the informers (the API server must be serving in-process requests) */
  start(): void;
  /** resolves once the informers have listed */
  ready(): Promise<void>;
  stop(): void;
}

/** The plugins before the webhooks, in kube-apiserver's order (AllOrderedPlugins). */
function orderedPlugins(opts: BuiltinAdmissionOptions, informers: SharedInformerFactory): [BuiltinPluginName, () => AdmissionHook][] {
  const { client } = opts;
  return [
    ["NamespaceLifecycle", () => namespaceLifecycleAdmission()],
    ["LimitRanger", () => limitRangerAdmission({ client, informers })],
    ["ServiceAccount", () => serviceAccountAdmission({ client, informers, defaultWaitMs: opts.defaultServiceAccountWaitMs })],
    ["NodeRestriction", () => nodeRestrictionAdmission({ client })],
    ["TaintNodesByCondition", () => taintNodesByConditionAdmission()],
    ["PodSecurity", () => podSecurityAdmission({ client, informers, ...opts.podSecurity })],
    ["Priority", () => priorityAdmission({ client, informers })],
    ["DefaultStorageClass", () => defaultStorageClassAdmission({ client, informers })],
    ["StorageObjectInUseProtection", () => storageProtectionAdmission()],
    ["PersistentVolumeClaimResize", () => pvcResizeAdmission({ client, informers })],
    ["RuntimeClass", () => runtimeClassAdmission({ client, informers })],
    ["CertificateApproval", () => certificateApprovalAdmission({ client })],
    ["CertificateSigning", () => certificateSigningAdmission({ client })],
    ["CertificateSubjectRestriction", () => certificateSubjectRestrictionAdmission()],
    ["DefaultIngressClass", () => defaultIngressClassAdmission({ client, informers })],
  ];
}

/** Builds the built-in admission chain (with the webhooks in their place). */
export function createBuiltinAdmission(opts: BuiltinAdmissionOptions): BuiltinAdmission {
  const { client } = opts;
  const own = !opts.informers;
  const informers = opts.informers ?? new SharedInformerFactory(client);
  const off = new Set(opts.disable ?? []);
  const hooks: AdmissionHook[] = [];
  for (const [name, make] of orderedPlugins(opts, informers)) if (!off.has(name)) hooks.push(make());
  if (opts.webhooks) hooks.push(opts.webhooks);
  if (!off.has("ResourceQuota")) hooks.push(resourceQuotaAdmission({ client, informers }));
  const chain = chainAdmission(hooks);
  return {
    mutate: (attrs: AdmissionAttributes) => chain.mutate(attrs),
    validate: (attrs: AdmissionAttributes) => chain.validate(attrs),
    start() {
      informers.start();
    },
    ready: () => informers.waitForSync(),
    stop() {
      if (own) informers.stop();
    },
  };
}
