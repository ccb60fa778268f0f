/**
 * CSR approving and signing: kubelet client CSRs (CN system:node:<name>,
 * O system:nodes) from bootstrappers or the node itself are approved; approved
 * CSRs of the built-in signers are signed by the integrator's signer callback.
 */
import type { KubeObject } from "../../api/types.ts";
import type { Condition } from "../../client/types.ts";
import { R } from "../../client/resources.ts";
import { parseCSR } from "../../server/pki/mod.ts";
import { QueueController, startQueueController, type ControllerContext, type RunningController } from "../util/context.ts";
import { nowISO } from "../util/pods.ts";

export interface CSR extends KubeObject {
  spec: { request: string; signerName: string; usages?: string[]; username?: string; groups?: string[]; expirationSeconds?: number };
  status?: { conditions?: Condition[]; certificate?: string };
}

const KUBELET_CLIENT = "kubernetes.io/kube-apiserver-client-kubelet";
const SIGNERS = new Set([KUBELET_CLIENT, "kubernetes.io/kube-apiserver-client", "kubernetes.io/kubelet-serving"]);

/** Whether upstream's csrapproving controller would auto-approve this CSR. */
export function isAutoApprovable(csr: CSR): boolean {
  if (csr.spec.signerName !== KUBELET_CLIENT) return false;
  let subject: { cn: string; o?: string[] };
  try {
    subject = parseCSR(Buffer.from(csr.spec.request, "base64").toString("utf8")).subject;
  } catch {
    return false;
  }
  if (!subject.cn.startsWith("system:node:") || (subject.o ?? []).join(",") !== "system:nodes") return false;
  const usages = new Set(csr.spec.usages ?? []);
  if (![...usages].every((u) => ["digital signature", "key encipherment", "client auth"].includes(u)) || !usages.has("client auth")) return false;
  const groups = csr.spec.groups ?? [];
  // a new node (bootstrap token) asks for its first cert; a node renews its own
  return groups.includes("system:bootstrappers") || csr.spec.username === subject.cn || groups.includes("system:masters");
}

function condition(csr: CSR, type: string): Condition | undefined {
  return csr.status?.conditions?.find((c) => c.type === type && c.status === "True");
}

/** Starts approving (and, with a signer, signing). */
export function startCertificateControllers(ctx: ControllerContext): RunningController {
  const { client } = ctx;
  const informer = ctx.factory.informerFor<CSR>(R.certificatesigningrequests);
  const qc = new QueueController({ name: "csr-controller", sync });
  const off = informer.addEventHandler({ add: qc.enqueue, update: (_o, n) => qc.enqueue(n) });
  async function sync(name: string): Promise<void> {
    const csr = informer.store.get(name);
    if (!csr || condition(csr, "Denied") || condition(csr, "Failed")) return;
    if (!condition(csr, "Approved")) {
      if (!isAutoApprovable(csr)) return;
      const approved: CSR = {
        ...csr,
        status: {
          ...(csr.status ?? {}),
          conditions: [
            ...(csr.status?.conditions ?? []),
            { type: "Approved", status: "True", reason: "AutoApproved", message: "Auto approving kubelet client certificate after SubjectAccessReview.", lastUpdateTime: nowISO(), lastTransitionTime: nowISO() },
          ],
        },
      };
      try {
        await client.update(R.certificatesigningrequests, undefined, approved, { subresource: "approval" });
      } catch (err) {
        // a REST core without the approval hook: conditions through status
        if ((err as { code?: number }).code !== 404) throw err;
        await client.update(R.certificatesigningrequests, undefined, approved, { subresource: "status" });
      }
      return;
    }
    if (csr.status?.certificate || !ctx.settings.signCSR || !SIGNERS.has(csr.spec.signerName)) return;
    const pem = await ctx.settings.signCSR({
      requestPEM: Buffer.from(csr.spec.request, "base64").toString("utf8"),
      signerName: csr.spec.signerName,
      usages: csr.spec.usages ?? [],
      expirationSeconds: csr.spec.expirationSeconds,
    });
    await client.update(R.certificatesigningrequests, undefined, { ...csr, status: { ...(csr.status ?? {}), certificate: Buffer.from(pem).toString("base64") } }, { subresource: "status" });
  }
  return startQueueController(qc, [off]);
}
