// Checks the certificate admission plugins against the real REST core with
// an authorizer that grants signer permissions by name or domain wildcard:
// approving needs "approve", issuing needs "sign", and a kube-apiserver-client
// CSR may not ask for system:masters.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject, UserInfo } from "../../../api/types.ts";
import type { Client, ResourceRef } from "../../../client/client.ts";
import { createCSR, generateKey } from "../../../server/pki/mod.ts";
import { reviewPaths } from "../../auth/handlers.ts";
import type { AuthzAttributes, Authorizer } from "../../auth/types.ts";
import { refusal, startPluginServer, type PluginTestEnv } from "./testsupport.ts";

const CSRS: ResourceRef = { group: "certificates.k8s.io", version: "v1", resource: "certificatesigningrequests", namespaced: false };
const user = (name: string): UserInfo => ({ username: name, groups: ["system:authenticated"] });

/** Superusers may do anything; anyone may write CSRs; signer verbs as each test user is granted. */
const authorizer: Authorizer = {
  async authorize(a: AuthzAttributes) {
    if (a.user.groups.includes("system:masters")) return { allowed: true };
    if (a.resource === "certificatesigningrequests") return { allowed: true };
    if (a.resource !== "signers" || a.apiGroup !== "certificates.k8s.io") return { allowed: false };
    if (a.user.username === "approver" && a.verb === "approve" && a.name === "example.com/*") return { allowed: true };
    if (a.user.username === "signer" && a.verb === "sign" && a.name === "example.com/my-signer") return { allowed: true };
    return { allowed: false };
  },
};

const csr = (name: string, signerName: string, o: string[] = []): KubeObject => ({
  apiVersion: "certificates.k8s.io/v1",
  kind: "CertificateSigningRequest",
  metadata: { name },
  spec: { request: Buffer.from(createCSR(generateKey(), { subject: { cn: name, o } })).toString("base64"), signerName, usages: ["client auth"] },
});

function approved(obj: KubeObject): KubeObject {
  const conditions = [{ type: "Approved", status: "True", reason: "Test", message: "ok", lastUpdateTime: new Date().toISOString() }];
  return { ...obj, status: { conditions } };
}

describe("certificate admission plugins", () => {
  let env: PluginTestEnv;
  let approver: Client;
  let signer: Client;
  let stranger: Client;
  before(async () => {
    env = await startPluginServer({ disable: ["PodSecurity"], authorizer: () => authorizer });
    // the plugins ask through SubjectAccessReviews, served as the API server serves them
    for (const p of reviewPaths({ authorizer })) env.ts.api.registerPath(p.prefix, p.handler);
    [approver, signer, stranger] = [env.as(user("approver")), env.as(user("signer")), env.as(user("stranger"))];
  });
  after(async () => {
    await env.close();
  });

  it("approving needs approve on the signer, by name or domain wildcard", async () => {
    const obj = await env.admin.create(CSRS, undefined, csr("to-approve", "example.com/my-signer"));
    const r = await refusal(stranger.update(CSRS, undefined, approved(obj), { subresource: "approval" }));
    assert.equal(r.code, 403);
    assert.equal(r.message, 'certificatesigningrequests.certificates.k8s.io "to-approve" is forbidden: user not permitted to approve requests with signerName "example.com/my-signer"');
    // a certificate smuggled in through /approval is dropped: issuing is /status's, under "sign"
    const smuggled = approved(obj);
    (smuggled.status as { certificate?: string }).certificate = Buffer.from("forged").toString("base64");
    const done = await approver.update(CSRS, undefined, smuggled, { subresource: "approval" });
    assert.equal((done.status as { conditions: { type: string }[] }).conditions[0].type, "Approved");
    assert.equal((done.status as { certificate?: string }).certificate, undefined);
    assert.equal(((await env.admin.get(CSRS, undefined, "to-approve")).status as { certificate?: string }).certificate, undefined);
  });

  it("issuing a certificate needs sign on the signer; conditions alone do not", async () => {
    const obj = await env.admin.update(CSRS, undefined, approved(await env.admin.create(CSRS, undefined, csr("to-sign", "example.com/my-signer"))), { subresource: "approval" });
    const issued = { ...obj, status: { ...(obj.status as object), certificate: Buffer.from("not checked here").toString("base64") } };
    const r = await refusal(approver.update(CSRS, undefined, issued, { subresource: "status" }));
    assert.equal(r.message, 'certificatesigningrequests.certificates.k8s.io "to-sign" is forbidden: user not permitted to sign requests with signerName "example.com/my-signer"');
    await stranger.update(CSRS, undefined, obj, { subresource: "status" });
    const signed = await signer.update(CSRS, undefined, { ...issued, metadata: (await env.admin.get(CSRS, undefined, "to-sign")).metadata }, { subresource: "status" });
    assert.ok((signed.status as { certificate?: string }).certificate);
  });

  it("refuses a kube-apiserver-client CSR for system:masters", async () => {
    const r = await refusal(env.admin.create(CSRS, undefined, csr("root", "kubernetes.io/kube-apiserver-client", ["system:masters"])));
    assert.equal(r.code, 403);
    assert.equal(r.message, 'certificatesigningrequests.certificates.k8s.io "root" is forbidden: use of kubernetes.io/kube-apiserver-client signer with system:masters group is not allowed');
    await env.admin.create(CSRS, undefined, csr("dev", "kubernetes.io/kube-apiserver-client", ["devs"]));
    await env.admin.create(CSRS, undefined, csr("other-signer", "example.com/my-signer", ["system:masters"]));
  });
});
