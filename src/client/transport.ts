/**
 * The typed Client built once over a minimal transport (raw + stream), so the
 * in-process and HTTPS clients differ only in how bytes move.
 */
import type { KubeList, KubeObject, Status, WatchEventObject } from "../api/types.ts";
import {
  ApiError,
  type Client,
  type DeleteOptions,
  type ListQuery,
  type PatchType,
  type RawRequest,
  type RawResponse,
  type ResourceRef,
  type WatchQuery,
  type WatchStream,
  type WriteOptions,
} from "./client.ts";
import { listQueryParams, resourcePath } from "./paths.ts";
import { ndjsonLines, untilAborted } from "./ndjson.ts";

/** What a transport must provide: whole-body and streamed requests. */
export interface Transport {
  identity: string;
  raw(req: RawRequest): Promise<RawResponse>;
  stream(req: RawRequest, signal: AbortSignal): Promise<{ status: number; headers: Record<string, string>; body: AsyncIterable<Buffer> }>;
}

const patchContentTypes: Record<PatchType, string> = {
  merge: "application/merge-patch+json",
  strategic: "application/strategic-merge-patch+json",
  json: "application/json-patch+json",
  apply: "application/apply-patch+yaml",
};

/** Turns an error response into an ApiError carrying a Status. */
export function errorFromResponse(res: { status: number; body: Buffer }, what: string): ApiError {
  const { status, body } = res;
  let parsed: Status | undefined;
  try {
    const obj = JSON.parse(body.toString("utf8")) as Partial<Status>;
    if (obj && obj.kind === "Status") parsed = obj as Status;
  } catch {
    // not JSON: fall through to a synthetic Status
  }
  return new ApiError(
    parsed ?? {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: `${what}: ${status} ${body.toString("utf8").slice(0, 200)}`,
      reason: status === 404 ? "NotFound" : status === 409 ? "Conflict" : status === 410 ? "Expired" : undefined,
      code: status,
    },
  );
}

function writeQuery(opts: WriteOptions | undefined): Record<string, string | undefined> {
  return {
    fieldManager: opts?.fieldManager,
    dryRun: opts?.dryRun ? "All" : undefined,
    force: opts?.force === undefined ? undefined : String(opts.force),
  };
}

/** Builds the full Client over a transport. */
export function clientOverTransport(t: Transport): Client {
  async function call<R>(req: RawRequest): Promise<R> {
    const res = await t.raw({ accept: "application/json", ...req });
    if (res.status >= 400) throw errorFromResponse(res, `${req.method} ${req.path}`);
    return JSON.parse(res.body.toString("utf8")) as R;
  }
  const client: Client = {
    identity: t.identity,
    raw: (req) => t.raw(req),
    stream: (req, signal) => t.stream(req, signal),
    get<T extends KubeObject>(ref: ResourceRef, namespace: string | undefined, name: string) {
      return call<T>({ method: "GET", path: resourcePath(ref, { namespace, name }) });
    },
    list<T extends KubeObject>(ref: ResourceRef, namespace: string | undefined, query?: ListQuery) {
      return call<KubeList<T>>({ method: "GET", path: resourcePath(ref, { namespace }), query: listQueryParams(query) });
    },
    create<T extends KubeObject>(ref: ResourceRef, namespace: string | undefined, obj: T, opts?: WriteOptions) {
      const name = opts?.subresource ? obj.metadata.name : undefined;
      return call<T>({
        method: "POST",
        path: resourcePath(ref, { namespace, name, subresource: opts?.subresource }),
        query: writeQuery(opts),
        body: obj,
      });
    },
    update<T extends KubeObject>(ref: ResourceRef, namespace: string | undefined, obj: T, opts?: WriteOptions) {
      return call<T>({
        method: "PUT",
        path: resourcePath(ref, { namespace, name: obj.metadata.name, subresource: opts?.subresource }),
        query: writeQuery(opts),
        body: obj,
      });
    },
    patch<T extends KubeObject>(ref: ResourceRef, namespace: string | undefined, name: string, type: PatchType, patch: unknown, opts?: WriteOptions) {
      return call<T>({
        method: "PATCH",
        path: resourcePath(ref, { namespace, name, subresource: opts?.subresource }),
        query: writeQuery(opts),
        body: typeof patch === "string" ? patch : JSON.stringify(patch),
        contentType: patchContentTypes[type],
      });
    },
    delete(ref: ResourceRef, namespace: string | undefined, name: string, opts?: DeleteOptions) {
      const body =
        opts && (opts.propagationPolicy || opts.gracePeriodSeconds !== undefined || opts.preconditions)
          ? { kind: "DeleteOptions", apiVersion: "v1", ...opts }
          : undefined;
      return call<KubeObject | Status>({ method: "DELETE", path: resourcePath(ref, { namespace, name }), body });
    },
    async watch<T extends KubeObject>(ref: ResourceRef, namespace: string | undefined, query?: WatchQuery): Promise<WatchStream<T>> {
      const ac = new AbortController();
      const res = await t.stream(
        { method: "GET", path: resourcePath(ref, { namespace }), query: { ...listQueryParams(query), watch: "true" }, accept: "application/json" },
        ac.signal,
      );
      if (res.status >= 400) {
        const chunks: Buffer[] = [];
        for await (const c of res.body) chunks.push(c);
        ac.abort();
        throw errorFromResponse({ status: res.status, body: Buffer.concat(chunks) }, `watch ${resourcePath(ref, { namespace })}`);
      }
      return watchStreamFrom<T>(res.body, ac);
    },
  };
  return client;
}

function watchStreamFrom<T extends KubeObject>(body: AsyncIterable<Buffer>, ac: AbortController): WatchStream<T> {
  async function* events(): AsyncGenerator<WatchEventObject<T>> {
    try {
      for await (const line of ndjsonLines(untilAborted(body, ac.signal))) {
        if (ac.signal.aborted) return;
        if (line.trim() === "") continue;
        yield JSON.parse(line) as WatchEventObject<T>;
      }
    } catch (err) {
      if (ac.signal.aborted) return;
      throw err;
    } finally {
      ac.abort();
    }
  }
  const it = events();
  return {
    stop: () => {
      ac.abort();
      void it.return(undefined);
    },
    [Symbol.asyncIterator]: () => it,
  };
}
