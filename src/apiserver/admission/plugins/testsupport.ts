/**
 * Test support for the plugins' tests (not used at run time): the REST core
 * over the built-in kinds and a real SQLite datastore, with the built-in
 * admission chain wired as src/server/control.ts will wire it, and clients
 * that speak as any user through the in-process transport.
 */
import { builtinKinds, builtinSchemas, decodeProtobuf } from "../../../api/mod.ts";
import type { KubeObject, UserInfo } from "../../../api/types.ts";
import { ApiError, type Client } from "../../../client/client.ts";
import { inProcessClient } from "../../../client/inprocess.ts";
import type { Authorizer } from "../../auth/types.ts";
import type { ApiHandler } from "../../request.ts";
import type { AdmissionHook } from "../../rest/context.ts";
import { startTestServer, type TestServer } from "../../testenv.ts";
import { createBuiltinAdmission, type BuiltinAdmission, type BuiltinAdmissionOptions } from "./builtin.ts";
import { REFS } from "./common.ts";

/** A superuser, as the API server's own client is. */
export const SYSTEM: UserInfo = { username: "system:apiserver", groups: ["system:masters", "system:authenticated"] };

/** A kubelet's identity. */
export function nodeUser(name: string): UserInfo {
  return { username: `system:node:${name}`, groups: ["system:nodes", "system:authenticated"] };
}

export interface PluginTestEnv {
  ts: TestServer;
  admin: Client;
  admission: BuiltinAdmission;
  /** a client speaking as `user` (authorized by the env's authorizer, if any) */
  as(user: UserInfo): Client;
  close(): Promise<void>;
}

export interface PluginTestOptions extends Omit<BuiltinAdmissionOptions, "client"> {
  /** builds the authorizer once a superuser client exists */
  authorizer?: (admin: Client) => Authorizer;
  /** more hooks after the built-in chain */
  extra?: AdmissionHook;
}

/** Starts the API server with the built-in admission plugins; namespace "default" exists with its "default" service account. */
export async function startPluginServer(opts: PluginTestOptions = {}): Promise<PluginTestEnv> {
  let handler: ApiHandler | undefined;
  const lazy: ApiHandler = (req) => {
    if (!handler) throw new Error("api server not started");
    return handler(req);
  };
  const admin = inProcessClient(lazy, SYSTEM);
  const admission = createBuiltinAdmission({ ...opts, client: admin });
  const schemas = builtinSchemas();
  const ts = await startTestServer({
    kinds: builtinKinds(),
    schemas,
    protobuf: (_k, body) => decodeProtobuf(schemas, body),
    admission,
    authorizer: opts.authorizer?.(admin),
  });
  handler = ts.api.handler;
  admission.start();
  await admission.ready();
  await admin.create(REFS.serviceaccounts, "default", { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default" } });
  return {
    ts,
    admin,
    admission,
    as: (user) => inProcessClient(ts.api.handler, user),
    async close() {
      admission.stop();
      await ts.close();
    },
  };
}

/** A pod with one container per entry (name → resources). */
export function testPod(name: string, spec: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: "v1", kind: "Pod", metadata: { name }, spec: { containers: [{ name: "c", image: "busybox" }], ...spec } };
}

/** The Status of a rejected call (fails the test when the call succeeds). */
export async function refusal(call: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await call;
  } catch (err) {
    if (err instanceof ApiError) return { code: err.code, message: err.status.message ?? "" };
    throw err;
  }
  throw new Error("expected the request to be refused");
}

/** Polls until `check` returns a value (not undefined), or fails after `ms`. */
export async function eventually<T>(check: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}
