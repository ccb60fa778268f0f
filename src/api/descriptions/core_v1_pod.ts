/**
 * Descriptions for core/v1 pods (src/api/schemas/api_core_v1.ts): Pod, its
 * spec and status, pod templates, the pod security context, DNS settings
 * and the options of the pod subresources (log, exec, attach, ...).
 */
import type { DescriptionTable } from "./table.ts";
import { COND_MESSAGE } from "./common.ts";

const C = "io.k8s.api.core.v1";

const pod: DescriptionTable = {
  [`${C}.Pod`]: {
    "": "A Pod is a group of containers that share a network namespace and volumes and are scheduled together onto one node.",
    spec: "What the pod should run and how: containers, volumes, scheduling constraints and policies.",
    status: "What the pod is doing now, as last reported by its node; may lag behind reality.",
  },
  [`${C}.PodSpec`]: {
    "": "The desired contents and behaviour of a pod.",
    volumes: "Volumes the pod's containers can mount.",
    initContainers: "Containers run one after another before the app containers start; each must succeed before the next runs. Those with restartPolicy Always are sidecars that keep running. Cannot be updated.",
    containers: "The pod's app containers; at least one. Cannot be added or removed after creation.",
    ephemeralContainers: "Debugging containers added to the running pod through its ephemeralcontainers subresource.",
    restartPolicy: "When the kubelet restarts the pod's containers after they exit: Always, OnFailure or Never. Defaults to Always.",
    terminationGracePeriodSeconds: "Seconds a pod gets to shut down after the stop signal before its processes are killed; 0 means kill at once. Defaults to 30.",
    activeDeadlineSeconds: "Seconds after the pod starts that it may run before the kubelet fails it and kills its containers; a positive integer.",
    dnsPolicy: "How the pod's DNS is configured: ClusterFirst (the default; cluster DNS, then the node's), ClusterFirstWithHostNet, Default (the node's resolv.conf) or None (only dnsConfig).",
    nodeSelector: "Labels a node must have for the pod to be scheduled there.",
    serviceAccountName: "The ServiceAccount the pod runs as, in its namespace. Defaults to default.",
    serviceAccount: "Deprecated alias of serviceAccountName.",
    automountServiceAccountToken: "Whether the service account's API token is mounted into the containers; overrides the ServiceAccount's setting.",
    nodeName: "The node the pod is bound to. Set by the scheduler; setting it at creation bypasses scheduling.",
    hostNetwork: "Use the node's network namespace instead of the pod's own; ports must then be free on the node. Defaults to false.",
    hostPID: "Use the node's process ID namespace. Defaults to false.",
    hostIPC: "Use the node's IPC namespace. Defaults to false.",
    shareProcessNamespace: "Put all containers of the pod in one process namespace, so they can see and signal each other's processes. Defaults to false.",
    securityContext: "Security settings for all containers of the pod, such as the user, group and filesystem group they run with.",
    imagePullSecrets: "Secrets in the pod's namespace holding registry credentials used to pull the images.",
    hostname: "The pod's host name. Defaults to a value chosen by the system, normally the pod's name.",
    subdomain: "With a headless Service of this name, gives the pod the DNS name <hostname>.<subdomain>.<namespace>.svc.<cluster domain>.",
    affinity: "Rules that attract the pod to, or keep it away from, certain nodes and other pods.",
    schedulerName: "The scheduler that places the pod. Defaults to default-scheduler.",
    tolerations: "Node taints the pod tolerates.",
    hostAliases: "Extra entries written to the pod's /etc/hosts.",
    priorityClassName: "The PriorityClass that sets the pod's priority; system-node-critical and system-cluster-critical are the most important. Defaults to the global default class, or priority 0.",
    priority: "The pod's priority, filled in by admission from priorityClassName; higher values are scheduled first and may preempt lower ones.",
    dnsConfig: "DNS settings merged into those dnsPolicy produces.",
    readinessGates: "Extra conditions that must be True in the pod's status for the pod to count as ready.",
    runtimeClassName: "The RuntimeClass whose handler runs the pod's containers; the node's default handler when empty.",
    enableServiceLinks: "Add environment variables for the Services in the pod's namespace, as Docker links do. Defaults to true.",
    preemptionPolicy: "Whether the pod may evict lower-priority pods to be scheduled: PreemptLowerPriority (the default) or Never.",
    overhead: "Resources the pod's sandbox uses beyond its containers, set by admission from the RuntimeClass and counted in scheduling and quota.",
    topologySpreadConstraints: "How the pod should be spread, together with matching pods, across zones, nodes or other topology domains.",
    setHostnameAsFQDN: "Set the pod's host name to its fully qualified domain name instead of the short name. Defaults to false.",
    os: "The operating system the pod's containers need: linux or windows. Validation then checks the fields that apply to it.",
    hostUsers: "Whether the pod uses the host's user namespace. False gives the pod its own, so root in the container is not root on the host. Defaults to true.",
    schedulingGates: "While any gate is listed the scheduler leaves the pod alone; gates can only be removed.",
    resourceClaims: "Dynamically allocated resources (ResourceClaims) the pod needs; containers name which they use.",
    resources: "Resources for the whole pod, shared by its containers; needs the pod-level resources feature.",
  },
  [`${C}.PodStatus`]: {
    "": "The observed state of a pod.",
    phase: "Where the pod is in its life: Pending, Running, Succeeded, Failed or Unknown.",
    conditions: "The pod's current conditions, such as PodScheduled, Initialized, ContainersReady and Ready.",
    message: "A human-readable explanation of the pod's state.",
    reason: "A CamelCase word saying why the pod is in its state, such as Evicted.",
    nominatedNodeName: "The node the scheduler preempted other pods on to make room for this one; not a promise the pod lands there.",
    hostIP: "The primary IP address of the node the pod runs on.",
    hostIPs: "The IP addresses of the node, one per address family; the first equals hostIP.",
    podIP: "The pod's primary IP address; empty until allocated.",
    podIPs: "The pod's IP addresses, at most one per address family; the first equals podIP.",
    startTime: "When the kubelet accepted the pod, before its images were pulled.",
    initContainerStatuses: "The state of each init container.",
    containerStatuses: "The state of each app container.",
    qosClass: "The quality-of-service class derived from the containers' requests and limits: Guaranteed, Burstable or BestEffort.",
    ephemeralContainerStatuses: "The state of each ephemeral container.",
    resize: "The state of an in-place resize of the pod's resources: Proposed, InProgress, Deferred or Infeasible.",
    resourceClaimStatuses: "The names of the ResourceClaims generated for the pod's claim templates.",
  },
  [`${C}.PodCondition`]: {
    "": "One condition of a pod.",
    type: "The condition: PodScheduled, PodReadyToStartContainers, Initialized, ContainersReady, Ready, DisruptionTarget or a readiness gate's type.",
    status: "True, False or Unknown.",
    lastProbeTime: "When the condition was last checked.",
    lastTransitionTime: "When status last changed.",
    reason: "A CamelCase word saying why status last changed.",
    message: COND_MESSAGE,
  },
  [`${C}.PodIP`]: { "": "One IP address of a pod.", ip: "The IP address." },
  [`${C}.HostIP`]: { "": "One IP address of the node a pod runs on.", ip: "The IP address." },
  [`${C}.PodStatusResult`]: {
    "": "A pod's status, as sent in status-only calls.",
    status: "The pod's observed state.",
  },
  [`${C}.PodTemplate`]: {
    "": "A stored pod template that other objects can copy pods from.",
    template: "The pods to create from this template.",
  },
  [`${C}.PodTemplateSpec`]: {
    "": "The metadata and spec of the pods a controller creates.",
    spec: "The spec each created pod gets.",
  },
  [`${C}.PodReadinessGate`]: {
    "": "An extra pod condition that must be True for the pod to be ready.",
    conditionType: "The type of a condition in the pod's status.",
  },
  [`${C}.PodSchedulingGate`]: {
    "": "A gate that keeps a pod from being scheduled while present.",
    name: "The gate's name, unique in the pod.",
  },
  [`${C}.PodOS`]: { "": "The operating system a pod needs.", name: "linux or windows." },
  [`${C}.PodResourceClaim`]: {
    "": "A dynamically allocated resource a pod needs: an existing ResourceClaim, or a template the pod's own claim is made from.",
    name: "The name containers use to refer to this claim; a DNS label unique in the pod.",
    resourceClaimName: "An existing ResourceClaim in the pod's namespace. Set this or resourceClaimTemplateName.",
    resourceClaimTemplateName: "A ResourceClaimTemplate from which a claim owned by the pod is made. Set this or resourceClaimName.",
  },
  [`${C}.PodResourceClaimStatus`]: {
    "": "The ResourceClaim generated for one of a pod's claims.",
    name: "The name of the entry in the pod's spec.resourceClaims.",
    resourceClaimName: "The generated ResourceClaim's name; empty when none was needed.",
  },
};

const settings: DescriptionTable = {
  [`${C}.PodSecurityContext`]: {
    "": "Security settings that apply to every container of a pod; a container's own securityContext overrides them.",
    seLinuxOptions: "The SELinux context of all containers; the runtime picks one when unset. Not for Windows pods.",
    windowsOptions: "Windows-specific settings of all containers; only for Windows pods.",
    runAsUser: "The user ID the containers' processes run as. Defaults to the image's user. Not for Windows pods.",
    runAsGroup: "The primary group ID of the containers' processes. Defaults to the runtime's default. Not for Windows pods.",
    runAsNonRoot: "Refuse to start any container that would run as UID 0.",
    supplementalGroups: "Group IDs added to the first process of each container, besides its primary group. Not for Windows pods.",
    supplementalGroupsPolicy: "How supplementary groups are computed: Merge (the default) adds those from the image's /etc/group; Strict uses only the ones listed here. Not for Windows pods.",
    fsGroup: "A group ID given to the pod's volumes: files are group-owned by it and new files belong to it; it is also added to each container's groups. Not for Windows pods.",
    sysctls: "Namespaced kernel parameters to set for the pod; unsupported ones make the pod fail to start. Not for Windows pods.",
    fsGroupChangePolicy: "When volume ownership is changed to fsGroup: Always (the default) or OnRootMismatch (only if the volume's root does not match). Not for Windows pods.",
    seccompProfile: "The seccomp profile of all containers. Not for Windows pods.",
    appArmorProfile: "The AppArmor profile of all containers. Not for Windows pods.",
    seLinuxChangePolicy: "How volumes get the pod's SELinux label: Recursive relabels every file; MountOption mounts with the label when the volume supports it. Not for Windows pods.",
  },
  [`${C}.Sysctl`]: {
    "": "One kernel parameter to set in the pod.",
    name: "The parameter's name, such as net.ipv4.ip_local_port_range.",
    value: "The value to set.",
  },
  [`${C}.PodDNSConfig`]: {
    "": "DNS settings of a pod, merged into those its dnsPolicy produces.",
    nameservers: "DNS server addresses added to the generated list; duplicates are removed.",
    searches: "Search domains added to the generated list; duplicates are removed.",
    options: "Resolver options; one given here replaces a generated option of the same name.",
  },
  [`${C}.PodDNSConfigOption`]: {
    "": "One resolver option, as in resolv.conf.",
    name: "The option's name, such as ndots.",
    value: "The option's value, if it takes one.",
  },
  [`${C}.HostAlias`]: {
    "": "An entry of the pod's /etc/hosts.",
    ip: "The IP address.",
    hostnames: "The host names for that address.",
  },
};

/** Fields the exec and attach options share. */
const STREAMS: Record<string, string> = {
  stdin: "Pass the caller's standard input to the container. Defaults to false.",
  stdout: "Return the container's standard output. Defaults to true.",
  stderr: "Return the container's standard error. Defaults to true.",
  tty: "Allocate a terminal; standard error is then merged into standard output. Defaults to false.",
  container: "The container to use; may be omitted when the pod has only one.",
};

const PROXY_PATH = "The path to append to the proxied URL.";

const subresources: DescriptionTable = {
  [`${C}.PodAttachOptions`]: { "": "Query parameters of a request to attach to a running container.", ...STREAMS },
  [`${C}.PodExecOptions`]: {
    "": "Query parameters of a request to run a command in a container.",
    ...STREAMS,
    command: "The command and its arguments; it is not run in a shell.",
  },
  [`${C}.PodLogOptions`]: {
    "": "Query parameters of a request for a container's log.",
    container: "The container whose log to read; may be omitted when the pod has only one.",
    follow: "Keep the connection open and stream new lines. Defaults to false.",
    previous: "Read the log of the container's previous run. Defaults to false.",
    sinceSeconds: "Only lines from this many seconds ago or later. Set this or sinceTime.",
    sinceTime: "Only lines from this time or later (RFC 3339). Set this or sinceSeconds.",
    timestamps: "Prefix each line with its RFC 3339 timestamp. Defaults to false.",
    tailLines: "Only this many lines from the end of the log.",
    limitBytes: "Stop after this many bytes; the last line may be cut.",
    insecureSkipTLSVerifyBackend: "Do not verify the kubelet's serving certificate when fetching the log.",
    stream: "Which stream to return: All (the default), Stdout or Stderr; not allowed with tailLines.",
  },
  [`${C}.PodPortForwardOptions`]: {
    "": "Query parameters of a request to forward ports to a pod.",
    ports: "The pod ports to forward.",
  },
  [`${C}.PodProxyOptions`]: { "": "Query parameters of a request proxied to a pod.", path: PROXY_PATH },
  [`${C}.ServiceProxyOptions`]: { "": "Query parameters of a request proxied to a Service.", path: PROXY_PATH },
  [`${C}.NodeProxyOptions`]: { "": "Query parameters of a request proxied to a node's kubelet.", path: PROXY_PATH },
  [`${C}.Binding`]: {
    "": "Binds a pod to a node; the scheduler posts it to the pod's binding subresource.",
    target: "The node to bind to.",
  },
};

export const descriptions: DescriptionTable = { ...pod, ...settings, ...subresources };
