/**
 * One pod's worker: a level-triggered sync that makes the runtime match the
 * pod (volumes, sandbox, init containers in order, containers with restart
 * policy and back-off, probes) and reports the pod's status. Syncs of one
 * pod never overlap.
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ApiError, R } from "../client/mod.ts";
import { Backoff } from "./backoff.ts";
import type { KubeletContext } from "./context.ts";
import { CriError, type Container, type ContainerStatus, type PodSandboxConfig } from "./cri/mod.ts";
import { ObjectCache } from "./env.ts";
import { ProbeSet } from "./probeset.ts";
import { containerConfig, podResources, podCgroupCandidates, podCgroupParent, podLogDir, sandboxConfig, LABEL_POD_UID } from "./spec.ts";
import { buildPodStatus, type ContainerView } from "./status.ts";
import type { ContainerSpec, ContainerStateK, KPod } from "./types.ts";
import { setupVolumes, teardownVolumes } from "./volumes/mod.ts";
import { ensurePodCgroup, removePodCgroups } from "./cgroups.ts";
import { runPostStart, stopWithPreStop } from "./hooks.ts";
import { createTerminationFile, prepareContainer, readTerminationMessage } from "./prepare.ts";
import { isoNow, nsIso, nsToMs, terminatedOf } from "./timestamps.ts";

/** Per-container bookkeeping across syncs. */
interface CState {
  /** the newest instance, if any */
  current?: Container;
  currentStatus?: ContainerStatus;
  /** attempts made so far (= restartCount + 1 once started) */
  attempts: number;
  waiting?: { reason: string; message?: string };
  lastTerminated?: ContainerStateK["terminated"];
  backoff: Backoff;
  probes?: ProbeSet;
}

/** A pod's worker. */
export class PodWorker {
  pod: KPod;
  readonly uid: string;
  #ctx: KubeletContext;
  #running = false;
  #again = false;
  #sandboxId: string | undefined;
  #sandboxConfig: PodSandboxConfig | undefined;
  #sandboxAttempt = 0;
  #podIPs: string[] = [];
  #containers = new Map<string, CState>();
  #startTime: string | undefined;
  #lastStatus = "";
  #terminated = false;
  #volumes = new Map<string, string>();
  #recovered = false;
  #podMessage: { reason?: string; message?: string; phase?: "Failed"; disruption?: string } = {};
  /** the eviction manager's grace period for an evicted pod, and who waits for the kill */
  #evictGrace = 0;
  #evictWaiters: (() => void)[] = [];
  #terminateReason: "deleted" | "orphaned" | undefined;
  #terminatedWaiters: (() => void)[] = [];
  /** true while the pod needs another sync soon (not steady) */
  needsResync = true;
  /** called when the worker is done with a deleted pod */
  onFinished: (() => void) | undefined;

  constructor(pod: KPod, ctx: KubeletContext) {
    this.pod = pod;
    this.uid = pod.metadata.uid!;
    this.#ctx = ctx;
    this.#startTime = pod.status?.startTime;
  }

  /** Schedules a sync with the latest pod object. */
  update(pod: KPod): void {
    this.pod = pod;
    this.trigger();
  }

  /** Runs sync now, or once more after the running one. */
  trigger(): void {
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = true;
    void (async () => {
      do {
        this.#again = false;
        try {
          await this.#sync();
        } catch (e) {
          this.needsResync = true;
          this.#ctx.log(`sync of pod ${this.#key()} failed: ${(e as Error).message}`);
        }
      } while (this.#again);
      this.#running = false;
    })();
  }

  /** The sandbox id and IPs (for streaming and port-forward). */
  get sandboxId(): string | undefined {
    return this.#sandboxId;
  }

  /** The runtime id of a container's newest instance. */
  containerId(name: string): string | undefined {
    return this.#containers.get(name)?.current?.id;
  }

  #key(): string {
    return `${this.pod.metadata.namespace}/${this.pod.metadata.name}`;
  }

  #state(name: string): CState {
    let s = this.#containers.get(name);
    if (!s) {
      s = { attempts: 0, backoff: new Backoff() };
      this.#containers.set(name, s);
    }
    return s;
  }

  /** Rebuilds state from the runtime once (after a kubelet restart, containers are still there). */
  async #recover(): Promise<void> {
    if (this.#recovered) return;
    this.#recovered = true;
    const cri = this.#ctx.cri;
    const sandboxes = (await cri.listPodSandbox({ label_selector: { [LABEL_POD_UID]: this.uid } })).sort((a, b) => a.metadata.attempt! - b.metadata.attempt!);
    const ready = sandboxes.filter((s) => s.state === "SANDBOX_READY").pop();
    const newest = sandboxes[sandboxes.length - 1];
    this.#sandboxAttempt = newest ? newest.metadata.attempt! + 1 : 0;
    if (!ready) return;
    this.#sandboxId = ready.id;
    this.#sandboxConfig = sandboxConfig(this.pod, { ...this.#ctx.sandbox, attempt: ready.metadata.attempt ?? 0 });
    const st = await cri.podSandboxStatus(ready.id);
    this.#podIPs = st.network?.ip ? [st.network.ip, ...st.network.additional_ips.map((x) => x.ip)] : [];
    const containers = (await cri.listContainers({ pod_sandbox_id: ready.id })).sort((a, b) => a.metadata.attempt! - b.metadata.attempt!);
    for (const c of containers) {
      const s = this.#state(c.metadata.name);
      if (s.current) {
        const prev = await cri.containerStatus(s.current.id).catch(() => undefined);
        if (prev) s.lastTerminated = terminatedOf(prev);
      }
      s.current = c;
      s.attempts = (c.metadata.attempt ?? 0) + 1;
    }
  }

  async #sync(): Promise<void> {
    const pod = this.pod;
    if (this.#terminated) return;
    await this.#recover();
    // termination runs inside the serialized sync so no sync can re-create what it removes
    if (this.#terminateReason || pod.metadata.deletionTimestamp) {
      await this.#terminate(this.#terminateReason ?? "deleted");
      return;
    }
    const phase = pod.status?.phase;
    if (phase === "Succeeded" || phase === "Failed") {
      await this.#killPod(this.#podMessage.reason === "Evicted" ? this.#evictGrace : 0);
      // a status written just as the pod failed may still show containers running: record their final
      // states under the phase (and reason) the pod has; a status already all terminated is left alone
      if (this.#showsLiveContainers(pod)) {
        await this.#refreshContainers();
        await this.#writeStatus({ ...this.#status(), phase });
      }
      this.needsResync = false;
      // a sync already running when evict() came may have written the Failed status itself
      for (const w of this.#evictWaiters.splice(0)) w();
      return;
    }
    if (!this.#startTime) this.#startTime = isoNow();
    if (!this.#podMessage.phase) this.#podMessage = this.#failure() ?? {};
    if (this.#podMessage.phase === "Failed") {
      await this.#killPod(this.#podMessage.reason === "Evicted" ? this.#evictGrace : (pod.spec.terminationGracePeriodSeconds ?? 30));
      await this.#refreshContainers();
      await this.#writeStatus(this.#status());
      this.needsResync = false;
      for (const w of this.#evictWaiters.splice(0)) w();
      return;
    }
    await this.#refreshContainers();
    const objects = new ObjectCache(this.#ctx.client);
    let steady = true;
    const volumesOk = await this.#setupVolumes(objects);
    if (volumesOk && (await this.#ensureSandbox())) {
      const initDone = await this.#syncInitContainers(objects);
      if (initDone === true) {
        for (const c of pod.spec.containers) {
          if (!(await this.#syncContainer(c, objects, "regular"))) steady = false;
        }
      } else steady = false;
    } else steady = false;
    await this.#refreshContainers();
    // evicted while this sync ran (also during the refresh): the next one, already due, kills the pod and writes its status
    if (this.#podMessage.phase === "Failed") return;
    const status = this.#status();
    if (status.phase === "Succeeded" || status.phase === "Failed") {
      await this.#killPod(0);
      steady = true;
    }
    await this.#writeStatus(status);
    this.needsResync = !steady;
  }

  #showsLiveContainers(pod: KPod): boolean {
    const all = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
    return all.some((c) => c.state?.running !== undefined);
  }

  /** Why the pod must fail now (activeDeadlineSeconds passed), recorded as an event. */
  #failure(): { reason: string; message: string; phase: "Failed" } | undefined {
    const deadline = this.pod.spec.activeDeadlineSeconds;
    if (deadline === undefined || Date.now() - Date.parse(this.#startTime!) <= deadline * 1000) return undefined;
    const f = { reason: "DeadlineExceeded", message: "Pod was active on the node longer than the specified deadline" };
    this.#ctx.events.event(this.pod, "Normal", f.reason, f.message);
    return { ...f, phase: "Failed" };
  }

  /** Fails the pod as Evicted (the eviction manager's or admission's decision), killing its containers with the given grace; resolves once they are stopped. */
  evict(message: string, graceSeconds: number, opts: { disruption?: boolean } = {}): Promise<void> {
    this.#podMessage = { reason: "Evicted", message, phase: "Failed", ...(opts.disruption ? { disruption: message } : {}) };
    this.#evictGrace = graceSeconds;
    const done = new Promise<void>((r) => this.#evictWaiters.push(r));
    this.trigger();
    return done;
  }

  async #setupVolumes(objects: ObjectCache): Promise<boolean> {
    try {
      this.#volumes = await setupVolumes(this.pod, {
        rootDir: this.#ctx.rootDir,
        client: this.#ctx.client,
        objects,
        tokens: this.#ctx.tokens,
        allocatable: this.#ctx.allocatable(),
        hostIP: this.#ctx.hostIPs[0],
        podIP: this.#podIPs[0],
        podIPs: this.#podIPs,
        nodeName: this.#ctx.nodeName,
      });
      return true;
    } catch (e) {
      const msg = (e as Error).message;
      this.#ctx.events.event(this.pod, "Warning", "FailedMount", `MountVolume.SetUp failed: ${msg}`);
      for (const c of this.#allSpecs()) {
        const s = this.#state(c.name);
        if (!s.current) s.waiting = { reason: "ContainerCreating" };
      }
      return false;
    }
  }

  #allSpecs(): ContainerSpec[] {
    return [...(this.pod.spec.initContainers ?? []), ...this.pod.spec.containers];
  }

  async #ensureSandbox(): Promise<boolean> {
    const cri = this.#ctx.cri;
    if (this.#sandboxId) {
      const st = await cri.podSandboxStatus(this.#sandboxId).catch((e: unknown) => {
        if (e instanceof CriError && e.notFound) return undefined;
        throw e;
      });
      if (st?.state === "SANDBOX_READY") return true;
      this.#ctx.events.event(this.pod, "Normal", "SandboxChanged", "Pod sandbox changed, it will be killed and re-created.");
      await this.#killPod(0);
    }
    const logDir = podLogDir(this.pod, this.#ctx.sandbox.podLogsDir);
    mkdirSync(logDir, { recursive: true });
    const config = sandboxConfig(this.pod, { ...this.#ctx.sandbox, attempt: this.#sandboxAttempt });
    try {
      // the pod's own limits (sum of its containers') bound the sandbox and every container runc puts under it
      ensurePodCgroup(podCgroupParent(this.pod, this.#ctx.sandbox), podResources(this.pod));
      const id = await cri.runPodSandbox(config, this.pod.spec.runtimeClassName ? this.pod.spec.runtimeClassName : "");
      this.#sandboxAttempt++;
      this.#sandboxId = id;
      this.#sandboxConfig = config;
      const st = await cri.podSandboxStatus(id);
      this.#podIPs = this.pod.spec.hostNetwork ? [...this.#ctx.hostIPs] : st.network?.ip ? [st.network.ip, ...st.network.additional_ips.map((x) => x.ip)] : [];
      // containers of the previous sandbox are gone: new instances count as restarts
      for (const s of this.#containers.values()) s.current = undefined;
      return true;
    } catch (e) {
      this.#ctx.events.event(this.pod, "Warning", "FailedCreatePodSandBox", `Failed to create pod sandbox: ${(e as Error).message}`);
      for (const c of this.#allSpecs()) this.#state(c.name).waiting = { reason: "ContainerCreating" };
      return false;
    }
  }

  async #refreshContainers(): Promise<void> {
    if (!this.#sandboxId) return;
    const list = await this.#ctx.cri.listContainers({ pod_sandbox_id: this.#sandboxId });
    const newest = new Map<string, Container>();
    for (const c of list) {
      const cur = newest.get(c.metadata.name);
      if (!cur || (c.metadata.attempt ?? 0) > (cur.metadata.attempt ?? 0)) newest.set(c.metadata.name, c);
    }
    for (const [name, c] of newest) {
      const s = this.#state(name);
      s.current = c;
      s.attempts = Math.max(s.attempts, (c.metadata.attempt ?? 0) + 1);
      s.currentStatus = await this.#ctx.cri.containerStatus(c.id).catch(() => undefined);
    }
  }

  /** true when every init container has succeeded (sidecars: started and running). */
  async #syncInitContainers(objects: ObjectCache): Promise<boolean> {
    for (const c of this.pod.spec.initContainers ?? []) {
      const s = this.#state(c.name);
      if (c.restartPolicy === "Always") {
        // a sidecar: keep it running, and move on once it has started
        await this.#syncContainer(c, objects, "sidecar");
        if (s.currentStatus?.state === "CONTAINER_RUNNING" && (!s.probes || s.probes.started)) continue;
        return false;
      }
      const st = s.currentStatus;
      if (st?.state === "CONTAINER_EXITED" && st.exit_code === 0) continue;
      if (st?.state === "CONTAINER_RUNNING") return false;
      if (st?.state === "CONTAINER_EXITED" && this.pod.spec.restartPolicy === "Never") return false;
      await this.#syncContainer(c, objects, "init");
      return false;
    }
    return true;
  }

  /** Makes one container run as its restart policy wants; true when nothing is pending. */
  async #syncContainer(c: ContainerSpec, objects: ObjectCache, kind: "init" | "sidecar" | "regular"): Promise<boolean> {
    const s = this.#state(c.name);
    const st = s.currentStatus;
    if (st?.state === "CONTAINER_RUNNING") {
      s.waiting = undefined;
      this.#ensureProbes(c, s);
      return !s.probes || s.probes.settled();
    }
    if (st?.state === "CONTAINER_EXITED" || st?.state === "CONTAINER_UNKNOWN") {
      s.probes?.stop();
      s.probes = undefined;
      const policy = kind === "sidecar" ? "Always" : kind === "init" ? (this.pod.spec.restartPolicy === "Never" ? "Never" : "OnFailure") : (this.pod.spec.restartPolicy ?? "Always");
      const restart = policy === "Always" || (policy === "OnFailure" && st.exit_code !== 0);
      if (!restart) return true;
      const finished = nsToMs(st.finished_at);
      const wait = s.backoff.waitMs(finished, Date.now());
      if (wait > 0) {
        s.waiting = { reason: "CrashLoopBackOff", message: `back-off ${s.backoff.delay}s restarting failed container=${c.name} pod=${this.pod.metadata.name}_${this.pod.metadata.namespace}(${this.uid})` };
        return false;
      }
      s.lastTerminated = terminatedOf(st);
      s.backoff.restarted(finished - nsToMs(st.started_at || st.created_at));
    } else if (st?.state === "CONTAINER_CREATED") {
      // created by a kubelet that died before starting it
      await this.#ctx.cri.startContainer(st.id).catch(() => {});
      return false;
    }
    await this.#startContainer(c, s, objects);
    return false;
  }

  async #startContainer(c: ContainerSpec, s: CState, objects: ObjectCache): Promise<void> {
    const ctx = this.#ctx;
    const pod = this.pod;
    const image = c.image ?? "";
    const pulled = await ctx.images.ensure(pod, c, objects);
    if (!pulled.ok) {
      s.waiting = { reason: pulled.reason, message: pulled.message };
      return;
    }
    let env: [string, string][];
    try {
      env = await prepareContainer(pod, { ctx, container: c, objects, volumes: this.#volumes, podIPs: this.#podIPs, imageRef: pulled.imageRef });
    } catch (e) {
      s.waiting = { reason: "CreateContainerConfigError", message: (e as Error).message };
      ctx.events.event(pod, "Warning", "Failed", `Error: ${(e as Error).message}`);
      return;
    }
    const attempt = s.attempts;
    const termFile = createTerminationFile(ctx.rootDir, { uid: this.uid, container: c.name, attempt });
    let id: string | undefined;
    try {
      const config = containerConfig(pod, { container: c, attempt, env, volumes: this.#volumes, terminationMessageFile: termFile, image });
      mkdirSync(join(podLogDir(pod, ctx.sandbox.podLogsDir), c.name), { recursive: true });
      id = await ctx.cri.createContainer({ pod_sandbox_id: this.#sandboxId!, config, sandbox_config: this.#sandboxConfig! });
      s.attempts = attempt + 1;
      ctx.events.event(pod, "Normal", "Created", `Created container ${c.name}`);
      await ctx.cri.startContainer(id);
      ctx.events.event(pod, "Normal", "Started", `Started container ${c.name}`);
      s.waiting = undefined;
    } catch (e) {
      const msg = (e as Error).message.replace(/^cri \w+: /, "");
      s.waiting = { reason: id ? "RunContainerError" : "CreateContainerError", message: msg };
      ctx.events.event(pod, "Warning", "Failed", `Error: ${msg}`);
      // a container that failed to start stays as an exited instance (exit 128, StartError), so restarts back off
      return;
    }
    await this.#pruneOldInstances(c.name, id);
    const failed = await runPostStart({ cri: ctx.cri, containerId: id, container: c, host: this.#hookHost() });
    if (failed !== undefined) {
      ctx.events.event(pod, "Warning", "FailedPostStartHook", `PostStartHook failed: ${failed}`);
      await this.#stopContainer(c, id, pod.spec.terminationGracePeriodSeconds ?? 30).catch(() => {});
    }
  }

  /** Keeps the newest exited instance (for logs --previous) and removes older ones. */
  async #pruneOldInstances(name: string, keepId: string): Promise<void> {
    if (!this.#sandboxId) return;
    const list = (await this.#ctx.cri.listContainers({ pod_sandbox_id: this.#sandboxId })).filter((c) => c.metadata.name === name && c.id !== keepId);
    list.sort((a, b) => (b.metadata.attempt ?? 0) - (a.metadata.attempt ?? 0));
    for (const old of list.slice(1)) await this.#ctx.cri.removeContainer(old.id).catch(() => {});
  }

  #ensureProbes(c: ContainerSpec, s: CState): void {
    if (!c.livenessProbe && !c.readinessProbe && !c.startupProbe) return;
    const id = s.current!.id;
    if (s.probes?.containerId === id) return;
    s.probes?.stop();
    s.probes = new ProbeSet({
      cri: this.#ctx.cri,
      container: c,
      containerId: id,
      host: this.pod.spec.hostNetwork ? (this.#ctx.hostIPs[0] ?? "127.0.0.1") : (this.#podIPs[0] ?? "127.0.0.1"),
      onChange: () => this.trigger(),
      onFailure: (kind, message) => {
        this.#ctx.events.event(this.pod, "Warning", "Unhealthy", `${kind} probe failed: ${message}`);
        if (kind === "Readiness") return;
        this.#ctx.events.event(this.pod, "Normal", "Killing", `Container ${c.name} failed ${kind.toLowerCase()} probe, will be restarted`);
        const grace = (kind === "Liveness" ? c.livenessProbe : c.startupProbe)?.terminationGracePeriodSeconds ?? this.pod.spec.terminationGracePeriodSeconds ?? 30;
        void this.#stopContainer(c, id, grace).then(() => this.trigger());
      },
    });
  }

  async #stopContainer(c: ContainerSpec | undefined, id: string, graceSeconds: number): Promise<void> {
    const target = { cri: this.#ctx.cri, containerId: id, container: c ?? { name: "" }, host: this.#hookHost() };
    await stopWithPreStop(target, graceSeconds);
  }

  #hookHost(): string {
    return this.pod.spec.hostNetwork ? (this.#ctx.hostIPs[0] ?? "127.0.0.1") : (this.#podIPs[0] ?? "127.0.0.1");
  }

  /** Stops every container (preStop, grace) and the sandbox. */
  async #killPod(graceSeconds: number): Promise<void> {
    for (const s of this.#containers.values()) {
      s.probes?.stop();
      s.probes = undefined;
    }
    const id = this.#sandboxId;
    if (!id) return;
    const specs = new Map(this.#allSpecs().map((c) => [c.name, c]));
    const running = (await this.#ctx.cri.listContainers({ pod_sandbox_id: id })).filter((c) => c.state === "CONTAINER_RUNNING");
    await Promise.all(running.map((c) => this.#stopContainer(specs.get(c.metadata.name), c.id, graceSeconds)));
    await this.#refreshContainers();
    await this.#ctx.cri.stopPodSandbox(id).catch(() => {});
  }

  /** Asks the worker to stop the pod (after any running sync); resolves once it is gone from the runtime. */
  terminate(reason: "deleted" | "orphaned"): Promise<void> {
    if (this.#terminated) return Promise.resolve();
    this.#terminateReason ??= reason;
    const done = new Promise<void>((r) => this.#terminatedWaiters.push(r));
    this.trigger();
    return done;
  }

  /** Stops the pod, removes it from the runtime, and deletes the API object when it is being deleted. */
  async #terminate(reason: "deleted" | "orphaned"): Promise<void> {
    if (this.#terminated) return;
    const pod = this.pod;
    const grace = pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
    if (this.#sandboxId) {
      for (const c of this.#allSpecs()) {
        if (this.#state(c.name).currentStatus?.state === "CONTAINER_RUNNING") this.#ctx.events.event(pod, "Normal", "Killing", `Stopping container ${c.name}`);
      }
    }
    await this.#killPod(reason === "deleted" ? grace : 0);
    this.#terminated = true;
    const cri = this.#ctx.cri;
    for (const s of await cri.listPodSandbox({ label_selector: { [LABEL_POD_UID]: this.uid } })) {
      await cri.stopPodSandbox(s.id).catch(() => {});
      await cri.removePodSandbox(s.id).catch(() => {});
    }
    this.#sandboxId = undefined;
    teardownVolumes(this.#ctx.rootDir, this.uid);
    this.#ctx.tokens.forget(this.uid);
    this.#ctx.images.forget(this.uid);
    for (const cg of podCgroupCandidates(this.uid, this.#ctx.sandbox)) removePodCgroups(cg);
    rmSync(podLogDir(pod, this.#ctx.sandbox.podLogsDir), { recursive: true, force: true });
    if (reason === "deleted") {
      try {
        await this.#ctx.client.delete(R.pods, pod.metadata.namespace, pod.metadata.name!, { gracePeriodSeconds: 0, preconditions: { uid: this.uid } });
      } catch (e) {
        if (!(e instanceof ApiError && (e.code === 404 || e.code === 409))) throw e;
      }
    }
    this.needsResync = false;
    this.onFinished?.();
    for (const w of this.#terminatedWaiters.splice(0)) w();
  }

  #views(specs: ContainerSpec[]): ContainerView[] {
    return specs.map((c) => {
      const s = this.#state(c.name);
      return {
        spec: c,
        status: s.currentStatus,
        restartCount: Math.max(0, s.attempts - 1),
        waiting: s.waiting,
        lastTerminated: s.lastTerminated,
        // until this instance's probes have run, a probed container is neither started nor ready
        ...(s.probes && s.probes.containerId === s.current?.id ? { ready: s.probes.ready, started: s.probes.started } : { ready: !c.readinessProbe && !c.startupProbe, started: !c.startupProbe }),
        terminationMessage: this.#terminationMessage(c, s),
      };
    });
  }

  #terminationMessage(c: ContainerSpec, s: CState): string | undefined {
    if (s.currentStatus?.state !== "CONTAINER_EXITED") return undefined;
    return readTerminationMessage(this.#ctx.rootDir, { uid: this.uid, container: c.name, attempt: s.attempts - 1 });
  }

  #status(): ReturnType<typeof buildPodStatus> {
    return buildPodStatus(this.pod, {
      init: this.#views(this.pod.spec.initContainers ?? []),
      containers: this.#views(this.pod.spec.containers),
      sandboxReady: this.#sandboxId !== undefined,
      podIPs: this.#podIPs,
      hostIPs: this.#ctx.hostIPs,
      startTime: this.#startTime,
      ...this.#podMessage,
    });
  }

  async #writeStatus(status: ReturnType<typeof buildPodStatus>): Promise<void> {
    const text = JSON.stringify(status);
    if (text === this.#lastStatus) return;
    try {
      await this.#ctx.client.patch(R.pods, this.pod.metadata.namespace, this.pod.metadata.name!, "merge", { status }, { subresource: "status" });
      this.#lastStatus = text;
    } catch (e) {
      if (e instanceof ApiError && e.code === 404) return;
      throw e;
    }
  }
}

