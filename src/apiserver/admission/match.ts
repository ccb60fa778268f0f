/** Which webhooks a request goes to: rules (operations, groups, versions, resources, scope) and label selectors. */
import type { KubeObject } from "../../api/types.ts";
import { selectorFromLabelSelector } from "../../client/selectors.ts";
import type { AdmissionAttributes } from "../rest/context.ts";
import type { Webhook, WebhookRule } from "./types.ts";

function anyOf(list: string[] | undefined, value: string): boolean {
  return (list ?? []).some((v) => v === "*" || v === value);
}

function resourceMatches(patterns: string[] | undefined, resource: string, subresource: string): boolean {
  for (const p of patterns ?? []) {
    const [res, sub] = p.split("/", 2);
    if (res !== "*" && res !== resource) continue;
    if (sub === undefined ? subresource === "" : sub === "*" || sub === subresource) return true;
  }
  return false;
}

/** Whether one rule covers the request. */
export function ruleMatches(rule: WebhookRule, a: Pick<AdmissionAttributes, "operation" | "kind" | "subresource">): boolean {
  if (!anyOf(rule.operations, a.operation)) return false;
  if (!anyOf(rule.apiGroups, a.kind.group)) return false;
  if (!anyOf(rule.apiVersions, a.kind.version)) return false;
  if (!resourceMatches(rule.resources, a.kind.resource, a.subresource)) return false;
  const scope = rule.scope ?? "*";
  if (scope === "Cluster") return !a.kind.namespaced;
  if (scope === "Namespaced") return a.kind.namespaced;
  return true;
}

/** Resources webhooks never see, as upstream: the webhook configurations themselves. */
export function exempt(a: Pick<AdmissionAttributes, "kind">): boolean {
  return a.kind.group === "admissionregistration.k8s.io";
}

export interface SelectorInputs {
  /** the request's namespace labels (namespaced resources), undefined when unknown */
  namespaceLabels?: Record<string, string>;
}

/** Whether the namespace and object selectors of a webhook admit the request. */
export function selectorsMatch(w: Webhook, a: Pick<AdmissionAttributes, "kind" | "object" | "oldObject"> & SelectorInputs): boolean {
  const labelsOf = (o: KubeObject | undefined): Record<string, string> => o?.metadata.labels ?? {};
  const objSel = selectorFromLabelSelector(w.objectSelector ?? {});
  // an absent object (old on create, new on delete) matches nothing, as upstream
  const objMatches = (o: KubeObject | undefined): boolean => o !== undefined && objSel.matches(labelsOf(o));
  if (!objSel.empty && !objMatches(a.object) && !objMatches(a.oldObject)) return false;
  const nsSel = selectorFromLabelSelector(w.namespaceSelector ?? {});
  if (nsSel.empty) return true;
  if (a.kind.group === "" && a.kind.resource === "namespaces") return nsSel.matches(labelsOf(a.object ?? a.oldObject));
  // cluster-scoped resources other than namespaces are not subject to namespace selectors
  if (!a.kind.namespaced) return true;
  return nsSel.matches(a.namespaceLabels ?? {});
}
