/** A tiny HTTPS JSON client for CLI subcommands, authenticated by a kubeconfig's client certificate. */
import { request } from "node:https";
import { loadKubeconfig } from "../../server/kubeconfig/mod.ts";
import { CliError } from "../errors.ts";

/** One API call. */
export interface ApiCall {
  method: "GET" | "POST" | "PUT" | "DELETE";
  path: string;
  body?: unknown;
  /** replaces the kubeconfig's credentials: HTTP basic auth "user:password" */
  basicAuth?: string;
  /** replaces the kubeconfig's server */
  server?: string;
}

/** Status code and parsed JSON (or text) of a response. */
export interface ApiResult {
  status: number;
  body: unknown;
  text: string;
}

/** Sends one request using the kubeconfig's server, CA and client certificate. */
export function callAPI(kubeconfigPath: string, call: ApiCall): Promise<ApiResult> {
  let kc;
  try {
    kc = loadKubeconfig(kubeconfigPath);
  } catch (err) {
    throw new CliError(`cannot read kubeconfig ${kubeconfigPath}: ${(err as Error).message}`, 1);
  }
  const url = new URL(call.path, call.server ?? kc.server);
  const payload = call.body === undefined ? undefined : Buffer.from(JSON.stringify(call.body));
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: call.method,
        ca: kc.caPEM,
        cert: call.basicAuth ? undefined : kc.certPEM,
        key: call.basicAuth ? undefined : kc.keyPEM,
        rejectUnauthorized: !kc.insecureSkipTLSVerify,
        headers: {
          accept: "application/json",
          ...(payload ? { "content-type": "application/json", "content-length": String(payload.length) } : {}),
          ...(call.basicAuth ? { authorization: `Basic ${Buffer.from(call.basicAuth).toString("base64")}` } : {}),
          ...(kc.token && !call.basicAuth ? { authorization: `Bearer ${kc.token}` } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: res.statusCode ?? 0, body, text });
        });
      },
    );
    req.on("error", (err) => reject(new CliError(`cannot reach ${url.origin}: ${err.message}`, 1)));
    if (payload) req.write(payload);
    req.end();
  });
}

/** The message of a Kubernetes Status body, else the raw text. */
export function statusMessage(result: ApiResult): string {
  const body = result.body as { message?: unknown } | undefined;
  return typeof body?.message === "string" ? body.message : result.text.trim() || `http ${result.status}`;
}
