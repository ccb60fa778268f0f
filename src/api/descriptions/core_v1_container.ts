/**
 * Descriptions for core/v1 containers (src/api/schemas/api_core_v1.ts):
 * Container and its ephemeral form, env, ports, resources, mounts, probes,
 * lifecycle hooks, security context and the container status types.
 */
import type { DescriptionTable } from "./table.ts";

const C = "io.k8s.api.core.v1";

/** The fields Container, EphemeralContainer and EphemeralContainerCommon share. */
const CONTAINER_FIELDS: Record<string, string> = {
  name: "The container's name, a DNS label unique within the pod; it cannot be changed.",
  image: "The container image to run, such as nginx:1.27 or registry.example.com/app@sha256:…. Workload controllers may leave it empty and fill it from elsewhere.",
  command: "The executable and its arguments, replacing the image's ENTRYPOINT; not run in a shell. $(VAR) expands the container's environment variables, $$(VAR) writes a literal. Cannot be updated.",
  args: "Arguments passed to the command, replacing the image's CMD. $(VAR) references expand as in command. Cannot be updated.",
  workingDir: "The directory the command starts in; the image's default when empty. Cannot be updated.",
  ports: "Ports the container listens on. Informational: a port not listed is still reachable; listing it lets it be named and mapped to the host.",
  envFrom: "Sources whose every key becomes an environment variable; an env entry with the same name wins. Cannot be updated.",
  env: "Environment variables set in the container, in order; a later entry may refer to an earlier one with $(NAME). Cannot be updated.",
  resources: "CPU, memory and other compute resources the container requests and is limited to.",
  resizePolicy: "For each resource, whether changing it in place restarts the container.",
  restartPolicy: "For init containers only: Always makes it a sidecar that starts before the app containers and runs alongside them for the pod's life.",
  volumeMounts: "Pod volumes to mount into the container's filesystem. Cannot be updated.",
  volumeDevices: "Block volumes to expose to the container as raw devices.",
  livenessProbe: "A check of whether the container is alive; after failureThreshold failures the kubelet restarts it. Cannot be updated.",
  readinessProbe: "A check of whether the container can serve; a pod with a failing container is removed from Service endpoints. Cannot be updated.",
  startupProbe: "A check of whether the container has finished starting; liveness and readiness checks wait until it succeeds, and failing it restarts the container. Cannot be updated.",
  lifecycle: "Actions the kubelet runs right after the container starts and just before it is stopped.",
  terminationMessagePath: "File in the container whose content becomes the termination message in the container status; at most 4096 bytes are read. Defaults to /dev/termination-log. Cannot be updated.",
  terminationMessagePolicy: "Where the termination message comes from: File (the default) reads terminationMessagePath only; FallbackToLogsOnError uses the end of the log when the file is empty and the container failed. Cannot be updated.",
  imagePullPolicy: "When to pull the image: Always, Never or IfNotPresent. Defaults to Always for the :latest tag or no tag, otherwise IfNotPresent. Cannot be updated.",
  securityContext: "Security settings for this container, overriding the pod's securityContext where both set a value.",
  stdin: "Keep a stdin buffer open for the container so it can be attached to; otherwise reads from stdin get EOF. Defaults to false.",
  stdinOnce: "With stdin, close it after the first attached client disconnects; the container then sees EOF until restarted. Defaults to false.",
  tty: "Give the container a terminal; needs stdin to be useful. Defaults to false.",
};

/** The actions Probe and ProbeHandler share. */
const PROBE_ACTIONS: Record<string, string> = {
  exec: "Run a command in the container; exit status 0 is success.",
  httpGet: "Send an HTTP GET; a status from 200 to 399 is success.",
  tcpSocket: "Open a TCP connection; connecting is success.",
  grpc: "Call the standard gRPC health service; SERVING is success.",
};

const containers: DescriptionTable = {
  [`${C}.Container`]: { "": "One container of a pod: the image to run, how to run it and what it needs.", ...CONTAINER_FIELDS },
  [`${C}.EphemeralContainer`]: {
    "": "A container added to a running pod for debugging (kubectl debug). It is never restarted and cannot have ports, probes, resources or lifecycle hooks.",
    ...CONTAINER_FIELDS,
    ports: "Not allowed for ephemeral containers.",
    resources: "Not allowed: ephemeral containers use the resources the pod already has.",
    livenessProbe: "Not allowed for ephemeral containers.",
    readinessProbe: "Not allowed for ephemeral containers.",
    startupProbe: "Not allowed for ephemeral containers.",
    lifecycle: "Not allowed for ephemeral containers.",
    restartPolicy: "Not allowed for ephemeral containers.",
    resizePolicy: "Not allowed for ephemeral containers.",
    targetContainerName: "The container whose process namespaces (PID, IPC, UTS) this one joins, when the runtime supports it; the pod's shared namespaces when empty.",
  },
  [`${C}.EphemeralContainerCommon`]: { "": "The container fields an ephemeral container accepts, carried inside EphemeralContainer.", ...CONTAINER_FIELDS },
  [`${C}.ContainerPort`]: {
    "": "One network port of a container.",
    name: "A name for the port, unique in the pod (an IANA_SVC_NAME, at most 15 characters) that Services and probes can refer to.",
    hostPort: "Port on the node to forward to containerPort (1-65535). Most pods do not need one; with hostNetwork it must equal containerPort.",
    containerPort: "The port number the container listens on (1-65535).",
    protocol: "TCP, UDP or SCTP. Defaults to TCP.",
    hostIP: "The node address hostPort is bound on; all addresses when empty.",
  },
  [`${C}.ContainerResizePolicy`]: {
    "": "How a container reacts when one of its resources is resized in place.",
    resourceName: "The resource this applies to: cpu or memory.",
    restartPolicy: "NotRequired (the default) applies the change to the running container; RestartContainer restarts it.",
  },
};

const env: DescriptionTable = {
  [`${C}.EnvVar`]: {
    "": "One environment variable of a container.",
    name: "The variable's name.",
    value: "The value; $(VAR) expands variables defined earlier in the list, $$(VAR) writes a literal. Defaults to the empty string. Cannot be set together with valueFrom.",
    valueFrom: "Take the value from a pod field, a container resource, a ConfigMap key or a Secret key instead.",
  },
  [`${C}.EnvVarSource`]: {
    "": "Where an environment variable's value comes from; set exactly one field.",
    fieldRef: "A field of the pod: metadata.name, metadata.namespace, metadata.uid, metadata.labels['KEY'], metadata.annotations['KEY'], spec.nodeName, spec.serviceAccountName, status.hostIP(s) or status.podIP(s).",
    resourceFieldRef: "A resource limit or request of a container: limits.cpu, limits.memory, limits.ephemeral-storage, requests.cpu, requests.memory or requests.ephemeral-storage.",
    configMapKeyRef: "One key of a ConfigMap in the pod's namespace.",
    secretKeyRef: "One key of a Secret in the pod's namespace.",
  },
  [`${C}.EnvFromSource`]: {
    "": "A ConfigMap or Secret whose keys all become environment variables.",
    prefix: "A string put in front of every key to form the variable name; it must be a C identifier.",
    configMapRef: "The ConfigMap to read.",
    secretRef: "The Secret to read.",
  },
  [`${C}.ConfigMapEnvSource`]: {
    "": "Names a ConfigMap whose keys become environment variables.",
    name: "The ConfigMap's name, in the pod's namespace.",
    optional: "Start the container even if the ConfigMap does not exist.",
  },
  [`${C}.SecretEnvSource`]: {
    "": "Names a Secret whose keys become environment variables.",
    name: "The Secret's name, in the pod's namespace.",
    optional: "Start the container even if the Secret does not exist.",
  },
  [`${C}.ConfigMapKeySelector`]: {
    "": "One key of a ConfigMap.",
    name: "The ConfigMap's name, in the pod's namespace.",
    key: "The key to read.",
    optional: "Start the container even if the ConfigMap or the key does not exist; the variable is then not set.",
  },
  [`${C}.SecretKeySelector`]: {
    "": "One key of a Secret.",
    name: "The Secret's name, in the pod's namespace.",
    key: "The key to read.",
    optional: "Start the container even if the Secret or the key does not exist; the variable is then not set.",
  },
  [`${C}.ObjectFieldSelector`]: {
    "": "Selects a field of the pod by its path.",
    apiVersion: "The API version the path is written against. Defaults to v1.",
    fieldPath: "The path of the field, such as metadata.name or metadata.labels['app'].",
  },
  [`${C}.ResourceFieldSelector`]: {
    "": "Selects a container's resource limit or request, scaled by a divisor.",
    containerName: "The container to read; required for volumes, optional for environment variables (the container itself).",
    resource: "Which value: limits.cpu, limits.memory, limits.ephemeral-storage, requests.cpu, requests.memory or requests.ephemeral-storage.",
    divisor: "The unit the value is expressed in, such as 1m for millicores or 1Mi for mebibytes. Defaults to 1.",
  },
};

const resources: DescriptionTable = {
  [`${C}.ResourceRequirements`]: {
    "": "The compute resources a container (or pod) asks for and may use at most.",
    limits: "The most of each resource it may use, such as cpu: 500m or memory: 256Mi. Exceeding memory gets it killed; CPU is throttled.",
    requests: "The amount of each resource reserved for it and used for scheduling. Defaults to the limit when only the limit is set; cannot exceed it.",
    claims: "Which of the pod's resourceClaims this container uses (dynamic resource allocation).",
  },
  [`${C}.ResourceClaim`]: {
    "": "Names one of the pod's resource claims for a container to use.",
    name: "The name of an entry in the pod's spec.resourceClaims.",
    request: "One request of the claim to use; the whole claim when empty.",
  },
  [`${C}.VolumeMount`]: {
    "": "Where and how a pod volume appears in a container.",
    name: "The name of the pod volume to mount.",
    readOnly: "Mount the volume read-only. Defaults to false.",
    recursiveReadOnly: "Whether read-only applies to mounts below this one too: Disabled (the default), IfPossible or Enabled. Needs readOnly.",
    mountPath: "The path in the container to mount at; it must not contain ':'.",
    subPath: "A path inside the volume to mount instead of its root. Defaults to the root.",
    mountPropagation: "How mounts propagate between host and container: None (the default), HostToContainer or Bidirectional (privileged containers only).",
    subPathExpr: "Like subPath, with $(VAR) references to the container's environment expanded. Cannot be used with subPath.",
  },
  [`${C}.VolumeDevice`]: {
    "": "A block volume exposed as a device in a container.",
    name: "The name of a pod volume backed by a persistentVolumeClaim in Block mode.",
    devicePath: "The device's path in the container.",
  },
};

const probes: DescriptionTable = {
  [`${C}.Probe`]: {
    "": "A periodic health check of a container: one action (exec, httpGet, tcpSocket or grpc) plus timing and thresholds.",
    ...PROBE_ACTIONS,
    initialDelaySeconds: "Seconds after the container starts before the first check. Defaults to 0.",
    timeoutSeconds: "Seconds a check may take before it counts as failed. Defaults to 1; minimum 1.",
    periodSeconds: "Seconds between checks. Defaults to 10; minimum 1.",
    successThreshold: "Consecutive successes needed to count as passing after a failure. Defaults to 1, and must be 1 for liveness and startup probes.",
    failureThreshold: "Consecutive failures needed to count as failing. Defaults to 3; minimum 1.",
    terminationGracePeriodSeconds: "Grace period for stopping the container when this probe fails, overriding the pod's terminationGracePeriodSeconds; not allowed on readiness probes.",
  },
  [`${C}.ProbeHandler`]: {
    "": "The action of a probe; exactly one field is set.",
    ...PROBE_ACTIONS,
  },
  [`${C}.ExecAction`]: {
    "": "Runs a command inside the container.",
    command: "The command and its arguments, run directly rather than in a shell (use [\"sh\", \"-c\", ...] for shell syntax). Its working directory is the container's root.",
  },
  [`${C}.HTTPGetAction`]: {
    "": "Sends an HTTP GET request to the container.",
    path: "The request path. Defaults to /.",
    port: "The port, by number (1-65535) or by the name of a container port.",
    host: "The host to connect to. Defaults to the pod IP; to set the Host header use httpHeaders instead.",
    scheme: "HTTP or HTTPS (certificates are not verified). Defaults to HTTP.",
    httpHeaders: "Extra headers to send; repeated names are allowed.",
  },
  [`${C}.HTTPHeader`]: {
    "": "One HTTP header.",
    name: "The header name; it is normalized to canonical case on output.",
    value: "The header value.",
  },
  [`${C}.TCPSocketAction`]: {
    "": "Opens a TCP connection to the container.",
    port: "The port, by number (1-65535) or by the name of a container port.",
    host: "The host to connect to. Defaults to the pod IP.",
  },
  [`${C}.GRPCAction`]: {
    "": "Calls the gRPC health checking protocol on the container.",
    port: "The port number of the gRPC server (1-65535).",
    service: "The service name put in the health check request; empty asks about the server as a whole.",
  },
  [`${C}.SleepAction`]: {
    "": "Waits before continuing, such as to let load balancers drain before a container stops.",
    seconds: "How many seconds to sleep.",
  },
  [`${C}.Lifecycle`]: {
    "": "Actions run at points of a container's life; the container is not considered running or stopped until they finish.",
    postStart: "Runs right after the container is created; if it fails the container is killed and restarted per the restart policy.",
    preStop: "Runs before the kubelet stops the container (deletion, a failed liveness or startup probe, preemption), not when it exits by itself. It runs within the termination grace period; the stop signal is sent once it returns.",
  },
  [`${C}.LifecycleHandler`]: {
    "": "The action of a lifecycle hook; exactly one field is set.",
    exec: "Run a command in the container.",
    httpGet: "Send an HTTP GET to the container.",
    tcpSocket: "Deprecated and not supported as a hook; kept for compatibility.",
    sleep: "Sleep for a number of seconds.",
  },
};

const security: DescriptionTable = {
  [`${C}.SecurityContext`]: {
    "": "Security settings of one container; where the pod's securityContext sets the same thing, the container's value wins.",
    capabilities: "Linux capabilities to add to or drop from the runtime's default set. Not for Windows pods.",
    privileged: "Run with almost the same access as processes on the host. Defaults to false. Not for Windows pods.",
    seLinuxOptions: "The SELinux context to apply; the runtime picks one when unset. Not for Windows pods.",
    windowsOptions: "Windows-specific settings; only for Windows pods.",
    runAsUser: "The user ID the process runs as. Defaults to the image's user. Not for Windows pods.",
    runAsGroup: "The primary group ID of the process. Defaults to the runtime's default. Not for Windows pods.",
    runAsNonRoot: "Refuse to start the container if it would run as UID 0.",
    readOnlyRootFilesystem: "Mount the container's root filesystem read-only. Defaults to false. Not for Windows pods.",
    allowPrivilegeEscalation: "Whether a process may gain more privileges than its parent (the no_new_privs flag). Always true for privileged containers or with CAP_SYS_ADMIN. Not for Windows pods.",
    procMount: "How /proc is mounted: Default masks and read-only paths as the runtime does; Unmasked leaves them open. Not for Windows pods.",
    seccompProfile: "The seccomp profile to filter system calls with, overriding the pod's. Not for Windows pods.",
    appArmorProfile: "The AppArmor profile to confine the container with, overriding the pod's. Not for Windows pods.",
  },
  [`${C}.Capabilities`]: {
    "": "Linux capabilities to add to or remove from a container.",
    add: "Capabilities to add, such as NET_ADMIN.",
    drop: "Capabilities to remove, such as ALL.",
  },
  [`${C}.SELinuxOptions`]: {
    "": "The parts of an SELinux label.",
    user: "The SELinux user.",
    role: "The SELinux role.",
    type: "The SELinux type.",
    level: "The SELinux level, such as s0:c123,c456.",
  },
  [`${C}.SeccompProfile`]: {
    "": "Which seccomp profile to apply.",
    type: "RuntimeDefault (the runtime's profile), Unconfined (no filtering) or Localhost (a file on the node).",
    localhostProfile: "For Localhost: the profile's path relative to the kubelet's seccomp directory.",
  },
  [`${C}.AppArmorProfile`]: {
    "": "Which AppArmor profile to apply.",
    type: "RuntimeDefault (the runtime's profile), Unconfined (none) or Localhost (a profile loaded on the node).",
    localhostProfile: "For Localhost: the name of the profile loaded on the node.",
  },
  [`${C}.WindowsSecurityContextOptions`]: {
    "": "Security settings that apply to Windows containers only.",
    gmsaCredentialSpecName: "The name of the GMSACredentialSpec resource to use.",
    gmsaCredentialSpec: "The content of the GMSA credential spec, filled in by the GMSA admission webhook.",
    runAsUserName: "The Windows user name the entrypoint runs as. Defaults to the image's user.",
    hostProcess: "Run the container as a process on the host; needs hostNetwork and applies to all containers of the pod.",
  },
};

const status: DescriptionTable = {
  [`${C}.ContainerStatus`]: {
    "": "The observed state of one container of a pod, as the kubelet reports it.",
    name: "The container's name, as in the pod spec.",
    state: "What the container is doing now.",
    lastState: "The state of the container's previous run, such as why it last terminated; empty if it has not restarted.",
    ready: "Whether the container passes its readiness probe (true when it has none and is running).",
    restartCount: "How many times the container has been restarted.",
    image: "The image the container runs, which may differ from the spec's when the runtime resolved it.",
    imageID: "The ID or digest of the image the container runs.",
    containerID: "The runtime's ID of the container, as <type>://<id>.",
    started: "Whether the container has passed its startup probe (true when it has none and is running).",
    allocatedResources: "The resources the node has set aside for the container.",
    resources: "The resources the running container is configured with.",
    volumeMounts: "The mounts of the container as they are.",
    user: "The identity the container's first process runs as.",
    allocatedResourcesStatus: "The health of the resources allocated to the container, such as devices.",
  },
  [`${C}.ContainerState`]: {
    "": "What a container is doing; exactly one field is set. Defaults to waiting.",
    waiting: "Set while the container has not started.",
    running: "Set while the container runs.",
    terminated: "Set once the container has exited.",
  },
  [`${C}.ContainerStateWaiting`]: {
    "": "A container that has not started yet.",
    reason: "Why it is waiting, such as ContainerCreating, ImagePullBackOff or CrashLoopBackOff.",
    message: "Details of why it is waiting.",
  },
  [`${C}.ContainerStateRunning`]: {
    "": "A running container.",
    startedAt: "When the container last started.",
  },
  [`${C}.ContainerStateTerminated`]: {
    "": "A container that has exited.",
    exitCode: "The exit status of its last run.",
    signal: "The signal that ended it, if any.",
    reason: "Why it ended, such as Completed, Error or OOMKilled.",
    message: "Details of why it ended, such as the termination message.",
    startedAt: "When its last run started.",
    finishedAt: "When its last run ended.",
    containerID: "The runtime's ID of the container, as <type>://<id>.",
  },
  [`${C}.ContainerUser`]: {
    "": "The identity a container's process runs as, per operating system.",
    linux: "The Linux user and groups.",
  },
  [`${C}.LinuxContainerUser`]: {
    "": "The Linux identity of a container's first process.",
    uid: "The user ID.",
    gid: "The primary group ID.",
    supplementalGroups: "The supplementary group IDs.",
  },
  [`${C}.VolumeMountStatus`]: {
    "": "A container's volume mount as it is.",
    name: "The name of the volume mount.",
    mountPath: "Where the volume is mounted in the container.",
    readOnly: "Whether the mount is read-only.",
    recursiveReadOnly: "Whether read-only applies to submounts: Disabled or Enabled.",
  },
  [`${C}.ResourceStatus`]: {
    "": "The health of the units of one resource allocated to a container.",
    name: "The resource's name, such as a device plugin resource or claim:<claim>/<request>.",
    resources: "One entry per allocated unit, such as a device.",
  },
  [`${C}.ResourceHealth`]: {
    "": "The health of one allocated unit of a resource.",
    resourceID: "The unit's identifier, such as a device ID.",
    health: "Healthy, Unhealthy or Unknown.",
  },
};

export const descriptions: DescriptionTable = { ...containers, ...env, ...resources, ...probes, ...security, ...status };
