/**
 * DefaultIngressClass admission (upstream plugin/pkg/admission/network/
 * defaultingressclass): a new Ingress with no spec.ingressClassName and no
 * kubernetes.io/ingress.class annotation gets the IngressClass annotated
 * ingressclass.kubernetes.io/is-default-class=true.
 */
import type { Client } from "../../../client/client.ts";
import type { SharedInformerFactory } from "../../../client/factory.ts";
import type { AdmissionAttributes, AdmissionHook } from "../../rest/context.ts";
import { isResource, REFS } from "./common.ts";
import { annotatedTrue, newestDefault } from "./defaultclass.ts";
import { ClusterLookup } from "./lookup.ts";

/** The annotation that marks the default IngressClass. */
export const DEFAULT_INGRESS_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class";
/** The deprecated annotation an Ingress may name its class with. */
export const INGRESS_CLASS_ANNOTATION = "kubernetes.io/ingress.class";

export interface DefaultIngressClassOptions {
  client: Client;
  informers: SharedInformerFactory;
}

/** Creates the DefaultIngressClass admission plugin. */
export function defaultIngressClassAdmission(opts: DefaultIngressClassOptions): AdmissionHook {
  const classes = new ClusterLookup(opts.informers.informerFor(REFS.ingressclasses), { client: opts.client, ref: REFS.ingressclasses });
  return {
    async mutate(attrs: AdmissionAttributes): Promise<void> {
      if (attrs.operation !== "CREATE" || !isResource(attrs, "networking.k8s.io", "ingresses") || !attrs.object) return;
      const ing = attrs.object;
      const spec = (ing.spec ?? {}) as { ingressClassName?: string | null };
      if (spec.ingressClassName !== undefined && spec.ingressClassName !== null) return;
      if (ing.metadata.annotations?.[INGRESS_CLASS_ANNOTATION] !== undefined) return;
      const def = newestDefault(await classes.list(), (c) => annotatedTrue(c, [DEFAULT_INGRESS_CLASS_ANNOTATION]));
      if (!def) return;
      ing.spec = { ...spec, ingressClassName: def.metadata.name };
    },
    async validate(): Promise<void> {},
  };
}
