/** A typed CRI v1 client over containerd's unix socket (@grpc/grpc-js). */
import * as grpc from "@grpc/grpc-js";
import { fromJSON } from "@grpc/proto-loader";
import protobuf from "protobufjs";
import { CRI_PROTO } from "./proto.ts";
import type {
  AttachRequest,
  AuthConfig,
  Container,
  ContainerConfig,
  ContainerFilter,
  ContainerStats,
  ContainerStatus,
  ExecRequest,
  ExecSyncResult,
  FilesystemUsage,
  Image,
  PodSandbox,
  PodSandboxConfig,
  PodSandboxFilter,
  PodSandboxStatus,
  RuntimeCondition,
  VersionInfo,
} from "./types.ts";

/** A failed CRI call: the gRPC status code and the runtime's message. */
export class CriError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    readonly details: string,
  ) {
    super(`cri ${method}: ${details}`);
  }
  /** grpc NOT_FOUND */
  get notFound(): boolean {
    return this.code === grpc.status.NOT_FOUND;
  }
  /** grpc UNIMPLEMENTED */
  get unimplemented(): boolean {
    return this.code === grpc.status.UNIMPLEMENTED;
  }
}

type Callback = (err: grpc.ServiceError | null, res?: unknown) => void;
type UnaryMethod = (req: object, meta: grpc.Metadata, opts: grpc.CallOptions, cb: Callback) => void;
type ServiceCtor = new (address: string, creds: grpc.ChannelCredentials, options?: grpc.ChannelOptions) => grpc.Client;

let services: { runtime: ServiceCtor; image: ServiceCtor } | undefined;

function loadServices(): { runtime: ServiceCtor; image: ServiceCtor } {
  if (services) return services;
  const root = protobuf.parse(CRI_PROTO, { keepCase: true }).root;
  const def = fromJSON(root.toJSON(), { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true });
  const loaded = grpc.loadPackageDefinition(def) as unknown as { runtime: { v1: Record<string, ServiceCtor> } };
  const v1 = loaded.runtime.v1;
  services = { runtime: v1.RuntimeService!, image: v1.ImageService! };
  return services;
}

/** Per-call options. */
export interface CallOpts {
  /** default 120 s; image pulls get 15 min */
  timeoutMs?: number;
}

/** The CRI RuntimeService and ImageService of one runtime. */
export class CriClient {
  readonly #runtime: grpc.Client;
  readonly #image: grpc.Client;

  constructor(readonly socket: string) {
    const s = loadServices();
    const address = socket.startsWith("unix:") ? socket : `unix://${socket}`;
    const options: grpc.ChannelOptions = {
      "grpc.max_receive_message_length": 64 << 20,
      "grpc.max_send_message_length": 64 << 20,
    };
    this.#runtime = new s.runtime(address, grpc.credentials.createInsecure(), options);
    this.#image = new s.image(address, grpc.credentials.createInsecure(), options);
  }

  #call<T>(svc: grpc.Client, method: string, req: object, opts?: CallOpts): Promise<T> {
    const fn = (svc as unknown as Record<string, UnaryMethod>)[method];
    if (!fn) return Promise.reject(new Error(`cri method ${method} is not defined`));
    const deadline = Date.now() + (opts?.timeoutMs ?? 120_000);
    return new Promise((resolve, reject) => {
      fn.call(svc, req, new grpc.Metadata(), { deadline }, (err, res) => {
        if (err) reject(new CriError(method, err.code, err.details || err.message));
        else resolve(res as T);
      });
    });
  }

  #rt<T>(method: string, req: object, opts?: CallOpts): Promise<T> {
    return this.#call<T>(this.#runtime, method, req, opts);
  }

  #img<T>(method: string, req: object, opts?: CallOpts): Promise<T> {
    return this.#call<T>(this.#image, method, req, opts);
  }

  /** Runtime name and versions. */
  version(opts?: CallOpts): Promise<VersionInfo> {
    return this.#rt("Version", { version: "v1" }, opts);
  }
  /** RuntimeReady / NetworkReady conditions. */
  async status(opts?: CallOpts): Promise<RuntimeCondition[]> {
    const r = await this.#rt<{ status: { conditions: RuntimeCondition[] } | null }>("Status", { verbose: false }, opts);
    return r.status?.conditions ?? [];
  }
  /** The runtime's cgroup driver; containerd 1.6 answers UNIMPLEMENTED, so this falls back to cgroupfs. */
  async cgroupDriver(): Promise<"SYSTEMD" | "CGROUPFS"> {
    try {
      const r = await this.#rt<{ linux: { cgroup_driver: "SYSTEMD" | "CGROUPFS" } | null }>("RuntimeConfig", {});
      return r.linux?.cgroup_driver ?? "CGROUPFS";
    } catch (e) {
      if (e instanceof CriError && e.unimplemented) return "CGROUPFS";
      throw e;
    }
  }
  /** Tells the runtime the node's pod CIDR. */
  async updatePodCIDR(podCIDR: string): Promise<void> {
    await this.#rt("UpdateRuntimeConfig", { runtime_config: { network_config: { pod_cidr: podCIDR } } });
  }
  /** Creates and starts a sandbox; returns its id. */
  async runPodSandbox(config: PodSandboxConfig, runtimeHandler = ""): Promise<string> {
    const r = await this.#rt<{ pod_sandbox_id: string }>("RunPodSandbox", { config, runtime_handler: runtimeHandler }, { timeoutMs: 240_000 });
    return r.pod_sandbox_id;
  }
  /** Stops a sandbox and its containers (idempotent). */
  async stopPodSandbox(id: string): Promise<void> {
    await this.#rt("StopPodSandbox", { pod_sandbox_id: id });
  }
  /** Removes a sandbox (idempotent). */
  async removePodSandbox(id: string): Promise<void> {
    await this.#rt("RemovePodSandbox", { pod_sandbox_id: id });
  }
  /** A sandbox's state and IP. */
  async podSandboxStatus(id: string): Promise<PodSandboxStatus> {
    const r = await this.#rt<{ status: PodSandboxStatus }>("PodSandboxStatus", { pod_sandbox_id: id, verbose: false });
    return r.status;
  }
  /** Sandboxes matching the filter. */
  async listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox[]> {
    const r = await this.#rt<{ items: PodSandbox[] }>("ListPodSandbox", filter ? { filter } : {});
    return r.items;
  }
  /** Creates a container in a sandbox; returns its id. */
  async createContainer(req: { pod_sandbox_id: string; config: ContainerConfig; sandbox_config: PodSandboxConfig }): Promise<string> {
    const r = await this.#rt<{ container_id: string }>("CreateContainer", req);
    return r.container_id;
  }
  /** Starts a created container. */
  async startContainer(id: string): Promise<void> {
    await this.#rt("StartContainer", { container_id: id });
  }
  /** Stops a container, killing it after timeoutSeconds. */
  async stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    await this.#rt("StopContainer", { container_id: id, timeout: String(timeoutSeconds) }, { timeoutMs: (timeoutSeconds + 60) * 1000 });
  }
  /** Removes a container (idempotent). */
  async removeContainer(id: string): Promise<void> {
    await this.#rt("RemoveContainer", { container_id: id });
  }
  /** Containers matching the filter. */
  async listContainers(filter?: ContainerFilter): Promise<Container[]> {
    const r = await this.#rt<{ containers: Container[] }>("ListContainers", filter ? { filter } : {});
    return r.containers;
  }
  /** A container's state, exit code, times and log path. */
  async containerStatus(id: string): Promise<ContainerStatus> {
    const r = await this.#rt<{ status: ContainerStatus }>("ContainerStatus", { container_id: id, verbose: false });
    return r.status;
  }
  /** Asks the runtime to reopen a container's log file (after rotation). */
  async reopenContainerLog(id: string): Promise<void> {
    await this.#rt("ReopenContainerLog", { container_id: id });
  }
  /** Runs a command in a container and collects its output. */
  async execSync(id: string, opts: { cmd: string[]; timeoutSeconds?: number }): Promise<ExecSyncResult> {
    const t = opts.timeoutSeconds ?? 0;
    return this.#rt<ExecSyncResult>("ExecSync", { container_id: id, cmd: opts.cmd, timeout: String(t) }, { timeoutMs: t ? (t + 10) * 1000 : 3_600_000 });
  }
  /** A single-use streaming URL for exec. */
  async exec(req: ExecRequest): Promise<string> {
    return (await this.#rt<{ url: string }>("Exec", req)).url;
  }
  /** A single-use streaming URL for attach. */
  async attach(req: AttachRequest): Promise<string> {
    return (await this.#rt<{ url: string }>("Attach", req)).url;
  }
  /** A single-use streaming URL for port-forward into a sandbox. */
  async portForward(sandboxId: string, ports: number[]): Promise<string> {
    return (await this.#rt<{ url: string }>("PortForward", { pod_sandbox_id: sandboxId, port: ports })).url;
  }
  /** Stats of one container. */
  async containerStats(id: string): Promise<ContainerStats> {
    return (await this.#rt<{ stats: ContainerStats }>("ContainerStats", { container_id: id })).stats;
  }
  /** Stats of all (or the filtered) running containers. */
  async listContainerStats(filter?: { id?: string; pod_sandbox_id?: string; label_selector?: Record<string, string> }): Promise<ContainerStats[]> {
    return (await this.#rt<{ stats: ContainerStats[] }>("ListContainerStats", filter ? { filter } : {})).stats;
  }
  /** Images the runtime holds. */
  async listImages(): Promise<Image[]> {
    return (await this.#img<{ images: Image[] }>("ListImages", {})).images;
  }
  /** The image if present, else null (no registry contact). */
  async imageStatus(image: string): Promise<Image | null> {
    return (await this.#img<{ image: Image | null }>("ImageStatus", { image: { image }, verbose: false })).image;
  }
  /** Pulls an image (always contacts a registry); returns the image ref. */
  async pullImage(image: string, opts?: { auth?: AuthConfig; sandboxConfig?: PodSandboxConfig }): Promise<string> {
    const req = { image: { image }, auth: opts?.auth, sandbox_config: opts?.sandboxConfig };
    return (await this.#img<{ image_ref: string }>("PullImage", req, { timeoutMs: 900_000 })).image_ref;
  }
  /** Removes an image (idempotent). */
  async removeImage(image: string): Promise<void> {
    await this.#img("RemoveImage", { image: { image } });
  }
  /** Usage of the image filesystem. */
  async imageFsInfo(): Promise<FilesystemUsage[]> {
    return (await this.#img<{ image_filesystems: FilesystemUsage[] }>("ImageFsInfo", {})).image_filesystems;
  }
  /** The channel to the runtime's socket: containerd's own services (the Images API) share it instead of connecting again. */
  get channel(): ReturnType<grpc.Client["getChannel"]> {
    return this.#image.getChannel();
  }
  /** Closes both channels. */
  close(): void {
    this.#runtime.close();
    this.#image.close();
  }
}

/** Connects to a CRI runtime on a unix socket. */
export function createCriClient(socket: string): CriClient {
  return new CriClient(socket);
}
