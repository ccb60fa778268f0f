/** Builds KindDefs from the few facts that differ between kinds. */
import type { FieldError, KindDef, StrategyContext } from "../kind.ts";
import type { KubeObject } from "../types.ts";
import { AGE, NAME, age } from "../printing.ts";
import { type NameRule, dns1123Subdomain, validateMetaNames, validateObjectMetaUpdate } from "../validation.ts";

/** The OpenAPI definition prefix of an API group/version. */
export function definitionPrefix(group: string, version: string): string {
  if (group === "") return `io.k8s.api.core.${version}`;
  if (group === "apiextensions.k8s.io") return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${version}`;
  if (group === "apiregistration.k8s.io") return `io.k8s.kube-aggregator.pkg.apis.apiregistration.${version}`;
  const short = group.replace(/\.k8s\.io$/, "").replace(/\.apiserver$/, "").replace(/^rbac\.authorization$/, "rbac");
  const pkg = group === "flowcontrol.apiserver.k8s.io" ? "flowcontrol" : short.split(".")[0] === "rbac" ? "rbac" : short;
  return `io.k8s.api.${pkg}.${version}`;
}

export interface KindSpec extends Partial<Omit<KindDef, "validate">> {
  group: string;
  version: string;
  kind: string;
  resource: string;
  namespaced: boolean;
  /** name rule (default: DNS-1123 subdomain) */
  nameRule?: NameRule;
  /** kind-specific validation beyond ObjectMeta */
  validateSpec?(obj: KubeObject, old: KubeObject | undefined, ctx: StrategyContext): FieldError[];
}

/** A KindDef with upstream's common parts filled in (list kind, schema, meta validation, NAME/AGE printer). */
export function define(spec: KindSpec): KindDef {
  const { nameRule = dns1123Subdomain, validateSpec, ...rest } = spec;
  const def: KindDef = {
    listKind: `${spec.kind}List`,
    singular: spec.kind.toLowerCase(),
    schemaRef: `${definitionPrefix(spec.group, spec.version)}.${spec.kind}`,
    columns: [NAME, AGE],
    row: (o) => [o.metadata.name ?? "", age(o)],
    ...rest,
    // the REST core checks what every kind shares (presence, labels, annotations, owners);
    // a kind adds its name rule, as upstream passes a name function to ValidateObjectMeta
    validate(obj, old, ctx) {
      const errs = ctx.subresource === "" ? validateMetaNames(obj.metadata, { namespaced: spec.namespaced, nameRule }) : [];
      if (old) errs.push(...validateObjectMetaUpdate(obj.metadata, old.metadata));
      if (validateSpec) errs.push(...validateSpec(obj, old, ctx));
      return errs;
    },
  };
  return def;
}

/** Verbs of create-only review kinds (TokenReview, SubjectAccessReview, ...). */
export const CREATE_ONLY = ["create"];
