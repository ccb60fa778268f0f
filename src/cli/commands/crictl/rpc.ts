/**
 * The few CRI calls crictl needs that the kubelet's CriClient does not offer:
 * the verbose status calls, whose `info` map carries the runtime's extra
 * detail (pid, runtime spec, config) that `crictl inspect` prints. They run
 * on the CriClient's own channel, encoded with the same CRI proto text.
 */
import * as grpc from "@grpc/grpc-js";
import type protobuf from "protobufjs";
import { CriError, type CriClient } from "../../../kubelet/cri/mod.ts";
import { criType } from "./proto.ts";
import type { ContainerStatus, FilesystemUsage, Image, PodSandboxStatus, RuntimeCondition } from "../../../kubelet/cri/mod.ts";

function types(request: string, response: string): { req: protobuf.Type; res: protobuf.Type } {
  return { req: criType(request), res: criType(response) };
}

/** A status answer: the message and the runtime's info map. */
export interface WithInfo<T> {
  status: T;
  info: Record<string, string>;
}

/** Calls the CRI beside a CriClient, on its channel (closing the CriClient closes it too). */
export class VerboseCri {
  readonly #client: grpc.Client;

  constructor(cri: CriClient) {
    this.#client = new grpc.Client("unix:///unused", grpc.credentials.createInsecure(), { channelOverride: cri.channel });
  }

  /** Resolves once the runtime's socket is connected, or rejects after timeoutMs. */
  waitReady(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => this.#client.waitForReady(Date.now() + timeoutMs, (err) => (err ? reject(err) : resolve())));
  }

  #call<T>(service: "RuntimeService" | "ImageService", method: string, req: object, timeoutMs: number): Promise<T> {
    const t = types(`${method}Request`, `${method}Response`);
    const serialize = (v: object): Buffer => Buffer.from(t.req.encode(t.req.fromObject(v)).finish());
    const deserialize = (b: Buffer): T => t.res.toObject(t.res.decode(b), { longs: String, enums: String, defaults: true, arrays: true, objects: true }) as T;
    return new Promise((resolve, reject) => {
      this.#client.makeUnaryRequest(`/runtime.v1.${service}/${method}`, serialize, deserialize, req, new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (err, res) => {
        if (err) reject(new CriError(method, err.code, err.details || err.message));
        else resolve(res as T);
      });
    });
  }

  /** ContainerStatus with verbose info. */
  async containerStatus(id: string, verbose: boolean, timeoutMs: number): Promise<WithInfo<ContainerStatus>> {
    const r = await this.#call<{ status: ContainerStatus; info: Record<string, string> }>("RuntimeService", "ContainerStatus", { container_id: id, verbose }, timeoutMs);
    return { status: r.status, info: r.info ?? {} };
  }

  /** PodSandboxStatus with verbose info. */
  async podSandboxStatus(id: string, verbose: boolean, timeoutMs: number): Promise<WithInfo<PodSandboxStatus>> {
    const r = await this.#call<{ status: PodSandboxStatus; info: Record<string, string> }>("RuntimeService", "PodSandboxStatus", { pod_sandbox_id: id, verbose }, timeoutMs);
    return { status: r.status, info: r.info ?? {} };
  }

  /** ImageStatus with verbose info; status is null when the image is absent. */
  async imageStatus(image: string, verbose: boolean, timeoutMs: number): Promise<WithInfo<Image | null>> {
    const r = await this.#call<{ image: Image | null; info: Record<string, string> }>("ImageService", "ImageStatus", { image: { image }, verbose }, timeoutMs);
    return { status: r.image ?? null, info: r.info ?? {} };
  }

  /** Status (runtime conditions) with verbose info. */
  async status(verbose: boolean, timeoutMs: number): Promise<WithInfo<{ conditions: RuntimeCondition[] }>> {
    const r = await this.#call<{ status: { conditions: RuntimeCondition[] } | null; info: Record<string, string> }>("RuntimeService", "Status", { verbose }, timeoutMs);
    return { status: r.status ?? { conditions: [] }, info: r.info ?? {} };
  }

  /** ImageFsInfo with both lists (the kubelet's client keeps only the image filesystems). */
  imageFsInfo(timeoutMs: number): Promise<{ image_filesystems: FilesystemUsage[]; container_filesystems: FilesystemUsage[] }> {
    return this.#call("ImageService", "ImageFsInfo", {}, timeoutMs);
  }
}
