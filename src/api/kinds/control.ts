/** rbac, certificates, authentication, authorization, admissionregistration, apiextensions, apiregistration and flowcontrol kinds. */
import type { FieldError, KindDef } from "../kind.ts";
import type { KubeObject } from "../types.ts";
import { asMap, asMaps, asNumber, asString, ensureMap, setDefaults } from "../access.ts";
import { AGE, NAME, age, col, formatLabelSelector, humanDuration, rfc3339 } from "../printing.ts";
import { forbidden, immutable, invalid, notSupported, pathSegmentName, required } from "../validation.ts";
import { validateBinding, validateCertificateSigningRequest, validateCertificateSigningRequestStatus, validateRole, validateWebhookConfiguration } from "../kindvalidation/mod.ts";
import { CREATE_ONLY, define } from "./define.ts";

const rbac = { group: "rbac.authorization.k8s.io", version: "v1" };
const CREATED_AT = col("Created At", { type: "date", description: "CreationTimestamp is a timestamp representing the server time when this object was created." });

function defaultSubjects(o: KubeObject): void {
  for (const s of asMaps(o.subjects)) {
    if (s.apiGroup) continue;
    // upstream defaults a ServiceAccount's group to "", which its omitempty JSON never shows
    if (s.kind === "ServiceAccount") delete s.apiGroup;
    else s.apiGroup = "rbac.authorization.k8s.io";
  }
}

function bindingRow(o: KubeObject): unknown[] {
  const ref = asMap(o.roleRef) ?? {};
  const subjects = asMaps(o.subjects);
  const users = subjects.filter((s) => s.kind === "User").map((s) => asString(s.name)).join(", ");
  const groups = subjects.filter((s) => s.kind === "Group").map((s) => asString(s.name)).join(", ");
  const sas = subjects.filter((s) => s.kind === "ServiceAccount").map((s) => `${asString(s.namespace)}:${asString(s.name)}`).join(", ");
  return [o.metadata.name ?? "", `${asString(ref.kind)}/${asString(ref.name)}`, age(o), users, groups, sas];
}

const bindingColumns = [NAME, col("Role", { type: "string", description: "Role" }), AGE, col("Users", { type: "string", description: "Users in the roleBinding", priority: 1 }), col("Groups", { type: "string", description: "Groups in the roleBinding", priority: 1 }), col("ServiceAccounts", { type: "string", description: "ServiceAccounts in the roleBinding", priority: 1 })];

function csrCondition(o: KubeObject): string {
  const types = asMaps(asMap(o.status)?.conditions).map((c) => asString(c.type));
  let status = types.includes("Denied") ? "Denied" : types.includes("Approved") ? "Approved" : "Pending";
  if (types.includes("Failed")) status += ",Failed";
  if (asString(asMap(o.status)?.certificate)) status += ",Issued";
  return status;
}

function csrDuration(o: KubeObject): string {
  const s = asNumber(asMap(o.spec)?.expirationSeconds);
  return s === undefined ? "<none>" : humanDuration(s * 1000);
}

function validateCrd(o: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const spec = asMap(o.spec) ?? {};
  const names = asMap(spec.names) ?? {};
  const group = asString(spec.group);
  const plural = asString(names.plural);
  if (!group) errs.push(required("spec.group"));
  else if (!group.includes(".")) errs.push(invalid("spec.group", { value: group, detail: "should be a domain with at least one dot" }));
  if (!plural) errs.push(required("spec.names.plural"));
  if (!asString(names.kind)) errs.push(required("spec.names.kind"));
  if (!asString(names.listKind)) errs.push(required("spec.names.listKind"));
  const expect = `${plural}.${group}`;
  if (o.metadata.name && plural && group && o.metadata.name !== expect) errs.push(invalid("metadata.name", { value: o.metadata.name, detail: `must be spec.names.plural+"."+spec.group` }));
  const scope = spec.scope;
  if (scope !== "Cluster" && scope !== "Namespaced") errs.push(notSupported("spec.scope", { value: scope ?? "", supported: ["Cluster", "Namespaced"] }));
  const versions = asMaps(spec.versions);
  if (!versions.length) errs.push(invalid("spec.versions", { value: [], detail: "must have exactly one version marked as storage version" }));
  else if (versions.filter((v) => v.storage === true).length !== 1) errs.push(invalid("spec.versions", { value: versions.map((v) => v.name), detail: "must have exactly one version marked as storage version" }));
  const seen = new Set<string>();
  versions.forEach((v, i) => {
    const n = asString(v.name);
    if (!n) errs.push(required(`spec.versions[${i}].name`));
    else if (seen.has(n)) errs.push({ type: "FieldValueDuplicate", field: "spec.versions", message: `Duplicate value: ${JSON.stringify(n)}` });
    seen.add(n);
    if (!asMap(asMap(v.schema)?.openAPIV3Schema)) errs.push(required(`spec.versions[${i}].schema.openAPIV3Schema`, "schemas are required"));
  });
  if (old) {
    errs.push(...immutable("spec.scope", { value: spec.scope, old: asMap(old.spec)?.scope }));
    const oldNames = asMap(asMap(old.spec)?.names) ?? {};
    errs.push(...immutable("spec.names.plural", { value: plural, old: oldNames.plural }));
  }
  return errs;
}

function apiServiceAvailable(o: KubeObject): string {
  const c = asMaps(asMap(o.status)?.conditions).find((x) => x.type === "Available");
  if (!c) return "Unknown";
  if (c.status === "True") return "True";
  return asString(c.reason) ? `${asString(c.status)} (${asString(c.reason)})` : asString(c.status);
}

function defaultWebhooks(o: KubeObject, mutating: boolean): void {
  for (const w of asMaps(o.webhooks)) {
    setDefaults(w, { failurePolicy: "Fail" });
    setDefaults(w, { matchPolicy: "Equivalent" });
    if (!asMap(w.namespaceSelector)) w.namespaceSelector = {};
    if (!asMap(w.objectSelector)) w.objectSelector = {};
    setDefaults(w, { timeoutSeconds: 10 });
    if (mutating) setDefaults(w, { reinvocationPolicy: "Never" });
    for (const r of asMaps(w.rules)) setDefaults(r, { scope: "*" });
    const svc = asMap(asMap(w.clientConfig)?.service);
    if (svc) setDefaults(svc, { port: 443 });
  }
}

const REVIEW = { verbs: CREATE_ONLY, columns: undefined, row: undefined, nameRule: () => [] as string[] };

/** Review kinds keep no name and never stored: their validation is the payload's. */
function reviewValidate(): FieldError[] {
  return [];
}

/** The kinds of the control-plane API groups. */
export function controlKinds(): KindDef[] {
  const reviewNames: { group: string; kind: string; resource: string }[] = [
    { group: "authentication.k8s.io", kind: "TokenReview", resource: "tokenreviews" },
    { group: "authentication.k8s.io", kind: "SelfSubjectReview", resource: "selfsubjectreviews" },
    { group: "authorization.k8s.io", kind: "SubjectAccessReview", resource: "subjectaccessreviews" },
    { group: "authorization.k8s.io", kind: "SelfSubjectAccessReview", resource: "selfsubjectaccessreviews" },
    { group: "authorization.k8s.io", kind: "SelfSubjectRulesReview", resource: "selfsubjectrulesreviews" },
  ];
  const reviews: KindDef[] = reviewNames.map((r) => ({ ...define({ ...r, ...REVIEW, version: "v1", namespaced: false }), validate: reviewValidate }));
  reviews.push({ ...define({ group: "authorization.k8s.io", version: "v1", kind: "LocalSubjectAccessReview", resource: "localsubjectaccessreviews", namespaced: true, ...REVIEW }), validate: reviewValidate });
  return [
    define({
      ...rbac, kind: "Role", resource: "roles", namespaced: true, nameRule: pathSegmentName,
      validateSpec: (o) => validateRole(o, true),
      columns: [NAME, CREATED_AT], row: (o) => [o.metadata.name ?? "", rfc3339(o.metadata.creationTimestamp)],
    }),
    define({
      ...rbac, kind: "ClusterRole", resource: "clusterroles", namespaced: false, nameRule: pathSegmentName,
      validateSpec: (o) => validateRole(o, false),
      columns: [NAME, CREATED_AT], row: (o) => [o.metadata.name ?? "", rfc3339(o.metadata.creationTimestamp)],
    }),
    define({
      ...rbac, kind: "RoleBinding", resource: "rolebindings", namespaced: true, nameRule: pathSegmentName,
      defaults: defaultSubjects, validateSpec: (o, old) => validateBinding(o, { old, namespaced: true }),
      columns: bindingColumns, row: bindingRow,
    }),
    define({
      ...rbac, kind: "ClusterRoleBinding", resource: "clusterrolebindings", namespaced: false, nameRule: pathSegmentName,
      defaults: defaultSubjects, validateSpec: (o, old) => validateBinding(o, { old, namespaced: false }),
      columns: bindingColumns, row: bindingRow,
    }),
    define({
      group: "certificates.k8s.io", version: "v1", kind: "CertificateSigningRequest", resource: "certificatesigningrequests", namespaced: false, shortNames: ["csr"],
      // upstream takes any name ("node-csr-" + base64url from kubelets); it only has to be a path segment here
      statusSubresource: true, extraSubresources: ["approval"], nameRule: pathSegmentName,
      validateSpec: (o, old, ctx) => {
        if (ctx.subresource === "") return validateCertificateSigningRequest(o, old);
        return old ? validateCertificateSigningRequestStatus(o, old, ctx.subresource) : [];
      },
      prepareForCreate(obj, ctx) {
        // the requesting user is recorded by the server, never taken from the client
        const spec = ensureMap(obj, "spec");
        spec.username = ctx.user.username;
        if (ctx.user.uid) spec.uid = ctx.user.uid;
        else delete spec.uid;
        spec.groups = ctx.user.groups;
        if (ctx.user.extra) spec.extra = ctx.user.extra;
        else delete spec.extra;
        obj.status = {};
      },
      prepareForUpdate(obj, old, ctx) {
        if (ctx.subresource === "") obj.status = old.status;
        else obj.spec = old.spec;
        // /approval changes only the conditions (upstream's csrApprovalStrategy): issuing stays with /status and its "sign" check
        if (ctx.subresource === "approval") obj.status = { ...(asMap(obj.status) ?? {}), certificate: asMap(old.status)?.certificate };
      },
      columns: [NAME, AGE, col("SignerName", { type: "string", description: "Only one signer name is supported" }), col("Requestor", { type: "string", description: "Name of the user that requested this certificate" }),
        col("RequestedDuration", { type: "string", description: "Duration the requestor wants the certificate to be valid for" }), col("Condition", { type: "string", description: "Most recent condition on the certificate (Approved, Denied, Failed, Pending, Issued)" })],
      row: (o) => [o.metadata.name ?? "", age(o), asString(asMap(o.spec)?.signerName) || "<none>", asString(asMap(o.spec)?.username), csrDuration(o), csrCondition(o)],
      selectableFields: (o) => ({ "spec.signerName": asString(asMap(o.spec)?.signerName) }),
    }),
    ...reviews,
    define({
      group: "admissionregistration.k8s.io", version: "v1", kind: "ValidatingWebhookConfiguration", resource: "validatingwebhookconfigurations", namespaced: false, categories: ["api-extensions"],
      defaults: (o) => defaultWebhooks(o, false), validateSpec: (o) => validateWebhookConfiguration(o, false),
      columns: [NAME, col("Webhooks", { type: "integer", description: "Webhooks indicates the number of webhooks in the configuration" }), AGE],
      row: (o) => [o.metadata.name ?? "", asMaps(o.webhooks).length, age(o)],
    }),
    define({
      group: "admissionregistration.k8s.io", version: "v1", kind: "MutatingWebhookConfiguration", resource: "mutatingwebhookconfigurations", namespaced: false, categories: ["api-extensions"],
      defaults: (o) => defaultWebhooks(o, true), validateSpec: (o) => validateWebhookConfiguration(o, true),
      columns: [NAME, col("Webhooks", { type: "integer", description: "Webhooks indicates the number of webhooks in the configuration" }), AGE],
      row: (o) => [o.metadata.name ?? "", asMaps(o.webhooks).length, age(o)],
    }),
    define({
      group: "admissionregistration.k8s.io", version: "v1", kind: "ValidatingAdmissionPolicy", resource: "validatingadmissionpolicies", namespaced: false,
      categories: ["api-extensions"], statusSubresource: true,
      defaults(o) {
        const spec = ensureMap(o, "spec");
        setDefaults(spec, { failurePolicy: "Fail" });
        const mc = ensureMap(spec, "matchConstraints");
        setDefaults(mc, { matchPolicy: "Equivalent" });
        if (!asMap(mc.namespaceSelector)) mc.namespaceSelector = {};
        if (!asMap(mc.objectSelector)) mc.objectSelector = {};
      },
      columns: [NAME, col("Validations", { type: "integer", description: "Validations indicates the number of validation rules in the policy" }), col("ParamKind", { type: "string", description: "ParamKind specifies the kind of resources used to parameterize this policy" }), AGE],
      row(o) {
        const spec = asMap(o.spec) ?? {};
        const pk = asMap(spec.paramKind);
        return [o.metadata.name ?? "", asMaps(spec.validations).length, pk ? `${asString(pk.apiVersion)}/${asString(pk.kind)}` : "<unset>", age(o)];
      },
    }),
    define({
      group: "admissionregistration.k8s.io", version: "v1", kind: "ValidatingAdmissionPolicyBinding", resource: "validatingadmissionpolicybindings", namespaced: false, categories: ["api-extensions"],
      validateSpec: (o) => (asString(asMap(o.spec)?.policyName) ? [] : [required("spec.policyName")]),
      columns: [NAME, col("PolicyName", { type: "string", description: "PolicyName indicates the policy definition which the policy binding binded to" }), col("ParamRef", { type: "string", description: "ParamRef indicates the param resource which sets the configration param" }), AGE],
      row(o) {
        const spec = asMap(o.spec) ?? {};
        const pr = asMap(spec.paramRef);
        let ref = "<unset>";
        if (pr && asString(pr.name)) ref = asString(pr.namespace) ? `${asString(pr.namespace)}/${asString(pr.name)}` : `*/${asString(pr.name)}`;
        else if (pr && asMap(pr.selector)) ref = formatLabelSelector(pr.selector).replace("<none>", "");
        return [o.metadata.name ?? "", asString(spec.policyName), ref, age(o)];
      },
    }),
    define({
      group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition", resource: "customresourcedefinitions", namespaced: false,
      shortNames: ["crd", "crds"], categories: ["api-extensions"], statusSubresource: true,
      defaults(o) {
        const spec = ensureMap(o, "spec");
        const conv = ensureMap(spec, "conversion");
        setDefaults(conv, { strategy: "None" });
        const names = ensureMap(spec, "names");
        if (asString(names.kind)) setDefaults(names, { listKind: `${asString(names.kind)}List` });
        if (asString(names.kind)) setDefaults(names, { singular: asString(names.kind).toLowerCase() });
      },
      validateSpec: (o, old, ctx) => (ctx.subresource === "status" ? [] : validateCrd(o, old)),
      prepareForCreate(o) {
        o.status = { acceptedNames: { kind: "", plural: "" }, conditions: [], storedVersions: [] };
      },
      prepareForUpdate(o, old, ctx) {
        if (ctx.subresource === "status") o.spec = old.spec;
        else if (ctx.subresource === "") o.status = old.status;
      },
      columns: [NAME, col("Created At", { type: "date", description: "CreationTimestamp is a timestamp representing the server time when this object was created." })],
      row: (o) => [o.metadata.name ?? "", rfc3339(o.metadata.creationTimestamp)],
    }),
    define({
      group: "apiregistration.k8s.io", version: "v1", kind: "APIService", resource: "apiservices", namespaced: false, categories: ["api-extensions"], statusSubresource: true,
      validateSpec(o, _old, ctx) {
        if (ctx.subresource === "status") return [];
        const spec = asMap(o.spec) ?? {};
        const errs: FieldError[] = [];
        const version = asString(spec.version);
        const group = asString(spec.group);
        const expect = `${version}.${group}`;
        if (o.metadata.name && o.metadata.name !== expect) errs.push(invalid("metadata.name", { value: o.metadata.name, detail: `must be ${expect}` }));
        if (!version) errs.push(required("spec.version"));
        const gpm = asNumber(spec.groupPriorityMinimum) ?? 0;
        if (gpm <= 0 || gpm > 20000) errs.push(invalid("spec.groupPriorityMinimum", { value: gpm, detail: "must be positive and less than 20000" }));
        const vp = asNumber(spec.versionPriority) ?? 0;
        if (vp <= 0 || vp > 1000) errs.push(invalid("spec.versionPriority", { value: vp, detail: "must be positive and less than 1000" }));
        if (!asMap(spec.service) && spec.insecureSkipTLSVerify) errs.push(forbidden("spec.insecureSkipTLSVerify", "local APIServices may not have insecureSkipTLSVerify"));
        return errs;
      },
      prepareForCreate(o) {
        o.status = {};
      },
      prepareForUpdate(o, old, ctx) {
        if (ctx.subresource === "status") o.spec = old.spec;
        else if (ctx.subresource === "") o.status = old.status;
      },
      columns: [NAME, col("Service", { type: "string", description: "The reference to the service that hosts this API endpoint." }), col("Available", { type: "string", description: "Whether this service is available." }), AGE],
      row(o) {
        const svc = asMap(asMap(o.spec)?.service);
        return [o.metadata.name ?? "", svc ? `${asString(svc.namespace)}/${asString(svc.name)}` : "Local", apiServiceAvailable(o), age(o)];
      },
    }),
    define({
      group: "flowcontrol.apiserver.k8s.io", version: "v1", kind: "FlowSchema", resource: "flowschemas", namespaced: false, statusSubresource: true,
      defaults: (o) => setDefaults(ensureMap(o, "spec"), { matchingPrecedence: 1000 }),
      validateSpec(o, _old, ctx) {
        if (ctx.subresource === "status") return [];
        const spec = asMap(o.spec) ?? {};
        const errs: FieldError[] = [];
        if (!asString(asMap(spec.priorityLevelConfiguration)?.name)) errs.push(required("spec.priorityLevelConfiguration.name"));
        const mp = asNumber(spec.matchingPrecedence) ?? 0;
        if (mp <= 0 || mp > 10000) errs.push(invalid("spec.matchingPrecedence", { value: mp, detail: "must be between 1 and 10000, inclusive" }));
        return errs;
      },
      columns: [NAME, col("PriorityLevel", { type: "string", description: "Name of the priority level" }), col("MatchingPrecedence", { type: "string", description: "Matching precedence of the flow schema" }),
        col("DistinguisherMethod", { type: "string", description: "How this flow schema distinguishes flows" }), AGE, col("MissingPL", { type: "string", description: "References a broken or non-existent PriorityLevelConfiguration" })],
      row(o) {
        const spec = asMap(o.spec) ?? {};
        const dm = asString(asMap(spec.distinguisherMethod)?.type) || "<none>";
        const dangling = asMaps(asMap(o.status)?.conditions).find((c) => c.type === "Dangling");
        return [o.metadata.name ?? "", asString(asMap(spec.priorityLevelConfiguration)?.name), asNumber(spec.matchingPrecedence) ?? 0, dm, age(o), dangling ? asString(dangling.status) : "?"];
      },
    }),
    define({
      group: "flowcontrol.apiserver.k8s.io", version: "v1", kind: "PriorityLevelConfiguration", resource: "prioritylevelconfigurations", namespaced: false, statusSubresource: true,
      defaults(o) {
        const spec = ensureMap(o, "spec");
        if (spec.type !== "Limited") return;
        const lim = ensureMap(spec, "limited");
        setDefaults(lim, { nominalConcurrencyShares: 30 });
        if (lim.lendablePercent === undefined) lim.lendablePercent = 0;
        const lr = ensureMap(lim, "limitResponse");
        setDefaults(lr, { type: "Reject" });
        if (lr.type === "Queue") {
          const q = ensureMap(lr, "queuing");
          setDefaults(q, { queues: 64 });
          setDefaults(q, { handSize: 8 });
          setDefaults(q, { queueLengthLimit: 50 });
        }
      },
      validateSpec(o) {
        const t = asMap(o.spec)?.type;
        return t === "Exempt" || t === "Limited" ? [] : [notSupported("spec.type", { value: t ?? "", supported: ["Exempt", "Limited"] })];
      },
      columns: [NAME, col("Type", { type: "string", description: "Type of this priority level" }), col("NominalConcurrencyShares", { type: "string", description: "NominalConcurrencyShares of this priority level" }),
        col("Queues", { type: "string", description: "Number of queues of this priority level" }), col("HandSize", { type: "string", description: "Hand size of this priority level" }),
        col("QueueLengthLimit", { type: "string", description: "Length limit of each queue of this priority level" }), AGE],
      row(o) {
        const spec = asMap(o.spec) ?? {};
        const lim = asMap(spec.limited);
        const q = asMap(asMap(lim?.limitResponse)?.queuing);
        const n = (v: unknown) => (lim ? v ?? 0 : "<none>");
        const qn = (v: unknown) => (q ? v ?? 0 : "<none>");
        return [o.metadata.name ?? "", asString(spec.type), n(lim?.nominalConcurrencyShares), qn(q?.queues), qn(q?.handSize), qn(q?.queueLengthLimit), age(o)];
      },
    }),
  ];
}

