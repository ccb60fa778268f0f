// Checks PodSecurity: the check texts for a plain pod at restricted match
// upstream's documented message word for word; through the REST core a
// restricted namespace refuses a privileged pod (also via kubectl) and takes
// a compliant one, baseline refuses host namespaces and hostPath but allows
// what restricted would not, and updates are only re-checked when images change.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject } from "../../../api/types.ts";
import { kubectl } from "../../testenv.ts";
import { podSpec, REFS } from "./common.ts";
import { describeFailures, evaluatePod } from "./podsecuritychecks.ts";
import { eventually, refusal, startPluginServer, testPod, type PluginTestEnv } from "./testsupport.ts";

const restrictedContainer = {
  name: "c",
  image: "busybox",
  securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
};

describe("PodSecurity checks", () => {
  it("words a plain pod's restricted failures as upstream", () => {
    const pod = testPod("nginx", { containers: [{ name: "nginx", image: "nginx" }] });
    const text = describeFailures(evaluatePod("restricted", { spec: podSpec(pod), annotations: {} }));
    assert.equal(
      text,
      'allowPrivilegeEscalation != false (container "nginx" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "nginx" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "nginx" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "nginx" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    );
    assert.deepEqual(evaluatePod("baseline", { spec: podSpec(pod), annotations: {} }), []);
    assert.deepEqual(evaluatePod("restricted", { spec: podSpec(testPod("ok", { containers: [restrictedContainer] })), annotations: {} }), []);
  });

  it("words baseline failures as upstream", () => {
    const pod = testPod("nginx", { hostNetwork: true, containers: [{ name: "nginx", image: "nginx", ports: [{ containerPort: 80, hostPort: 80 }], securityContext: { privileged: true } }] });
    const text = describeFailures(evaluatePod("baseline", { spec: podSpec(pod), annotations: {} }));
    assert.equal(text, 'host namespaces (hostNetwork=true), hostPort (container "nginx" uses hostPort 80), privileged (container "nginx" must not set securityContext.privileged=true)');
  });
});

describe("PodSecurity admission", () => {
  let env: PluginTestEnv;
  const ns = async (name: string, labels: Record<string, string>) => {
    await env.admin.create(REFS.namespaces, undefined, { apiVersion: "v1", kind: "Namespace", metadata: { name, labels } });
    await env.admin.create(REFS.serviceaccounts, name, { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default" } });
  };
  before(async () => {
    env = await startPluginServer();
    await ns("locked", { "pod-security.kubernetes.io/enforce": "restricted" });
    await ns("base", { "pod-security.kubernetes.io/enforce": "baseline", "pod-security.kubernetes.io/enforce-version": "v1.32" });
  });
  after(async () => {
    await env.close();
  });

  it("refuses a privileged pod in a restricted namespace", async () => {
    // privileged with allowPrivilegeEscalation=false is invalid before admission (as upstream), so escalation is left unset
    const { allowPrivilegeEscalation: _unset, ...restrictedContext } = restrictedContainer.securityContext;
    const priv = testPod("priv", { containers: [{ ...restrictedContainer, securityContext: { ...restrictedContext, privileged: true } }] });
    const s = await refusal(env.admin.create(REFS.pods, "locked", priv));
    assert.equal(s.code, 403);
    assert.equal(
      s.message,
      'pods "priv" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "c" must set securityContext.allowPrivilegeEscalation=false), privileged (container "c" must not set securityContext.privileged=true)',
    );
    const r = await kubectl(env.ts, ["-n", "locked", "run", "plain", "--image=nginx"]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /pods "plain" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false/);
    const ok = await env.admin.create(REFS.pods, "locked", testPod("ok", { containers: [restrictedContainer] }));
    assert.equal(ok.metadata.name, "ok", "a compliant pod (with its token volume) is admitted");
  });

  it("holds baseline namespaces to baseline and names the version", async () => {
    await env.admin.create(REFS.pods, "base", testPod("plain"));
    const host = testPod("host", { hostPID: true, volumes: [{ name: "root", hostPath: { path: "/" } }] });
    assert.equal(
      (await refusal(env.admin.create(REFS.pods, "base", host))).message,
      'pods "host" is forbidden: violates PodSecurity "baseline:v1.32": host namespaces (hostPID=true), hostPath volumes (volume "root")',
    );
  });

  it("re-checks updates only when images change", async () => {
    await env.admin.patch(REFS.namespaces, undefined, "base", "merge", { metadata: { labels: { "pod-security.kubernetes.io/enforce": "restricted" } } });
    const newImage = (dryRun: boolean) => env.admin.patch(REFS.pods, "base", "plain", "json", [{ op: "replace", path: "/spec/containers/0/image", value: "busybox:2" }], { dryRun });
    // the plugin reads namespaces from an informer: wait until it has seen the new label
    const s = await eventually(async () => {
      const r = await refusal(newImage(true)).catch(() => undefined);
      return r;
    });
    assert.match(s.message, /^pods "plain" is forbidden: violates PodSecurity "restricted:v1.32": /);
    const labelled = await env.admin.patch<KubeObject>(REFS.pods, "base", "plain", "merge", { metadata: { labels: { touched: "yes" } } });
    assert.equal(labelled.metadata.labels?.touched, "yes", "a metadata-only update is not re-checked");
    assert.equal((await refusal(newImage(false))).code, 403);
  });
});
