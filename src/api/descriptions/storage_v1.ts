/** Descriptions for io.k8s.api.storage.v1 (src/api/schemas/api_storage_v1.ts). */
import type { DescriptionTable } from "./table.ts";
import { KIND, LIST_META, OBJECT_META, apiVersionText } from "./common.ts";

const S = "io.k8s.api.storage.v1";

const API_VERSION = apiVersionText("storage.k8s.io/v1");

export const descriptions: DescriptionTable = {
  [`${S}.CSIDriver`]: {
    "": "Tells Kubernetes how to work with one CSI volume driver installed in the cluster; its name is the driver's name. Cluster-scoped.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: "Standard object metadata; the name must be the name the driver reports for itself.",
    spec: "How Kubernetes should treat the driver.",
  },
  [`${S}.CSIDriverList`]: {
    "": "A list of CSIDrivers.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: LIST_META,
    items: "The CSIDrivers.",
  },
  [`${S}.CSIDriverSpec`]: {
    "": "The capabilities and wishes of a CSI driver. Most fields cannot be changed after creation.",
    attachRequired: "Whether volumes need an attach step (ControllerPublishVolume) before they are mounted, which the attach/detach controller then waits for. Defaults to true.",
    podInfoOnMount: "When true, the kubelet passes the pod's name, namespace, UID and service account to the driver at mount time as volume context. Defaults to false.",
    volumeLifecycleModes: "The kinds of volumes the driver serves: \"Persistent\" (through persistent volumes) and/or \"Ephemeral\" (inline in a pod spec). Defaults to Persistent.",
    storageCapacity: "When true, the scheduler considers the CSIStorageCapacity objects the driver publishes before placing pods with unbound volumes that use late binding. Defaults to false.",
    fsGroupPolicy: "Whether the kubelet changes volume ownership and permissions to the pod's fsGroup: \"ReadWriteOnceWithFSType\" only for RWO volumes with an fsType, \"File\" always, \"None\" never. Defaults to ReadWriteOnceWithFSType.",
    tokenRequests: "Service account tokens, one per audience, that the kubelet passes to the driver at mount time in the volume context.",
    requiresRepublish: "When true, the kubelet calls NodePublishVolume again periodically, e.g. so that the driver can refresh tokens in the mounted content. Defaults to false.",
    seLinuxMount: "When true, the driver supports mounting a volume with an SELinux context mount option, letting the kubelet skip relabelling files. Defaults to false.",
  },
  [`${S}.CSINode`]: {
    "": "The CSI drivers installed on one node, written by the kubelet; named after the node.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: "Standard object metadata; the name is the node's name.",
    spec: "The drivers on the node.",
  },
  [`${S}.CSINodeDriver`]: {
    "": "One CSI driver as registered on a node.",
    name: "The driver's name, as in its CSIDriver object.",
    nodeID: "The node's identity as the driver knows it, used when volumes are attached.",
    topologyKeys: "The topology label keys the driver reports for the node, e.g. \"topology.example.com/zone\".",
    allocatable: "How many volumes of this driver the node can hold.",
  },
  [`${S}.CSINodeList`]: {
    "": "A list of CSINodes.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: LIST_META,
    items: "The CSINodes.",
  },
  [`${S}.CSINodeSpec`]: {
    "": "The CSI drivers of a node.",
    drivers: "The drivers registered on the node; empty when none is.",
  },
  [`${S}.CSIStorageCapacity`]: {
    "": "How much storage of one storage class a CSI driver can still provide in one topology segment; the scheduler reads it to place pods near capacity.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: "Standard object metadata; drivers usually generate the name.",
    nodeTopology: "The nodes that can reach this storage. Unset means none.",
    storageClassName: "The storage class the capacity is for.",
    capacity: "The storage still free for new volumes of this class. Unset means unknown.",
    maximumVolumeSize: "The largest single volume that can be created now; may be smaller than capacity. Unset falls back to capacity.",
  },
  [`${S}.CSIStorageCapacityList`]: {
    "": "A list of CSIStorageCapacities.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: LIST_META,
    items: "The CSIStorageCapacities.",
  },
  [`${S}.StorageClass`]: {
    "": "A named kind of storage that claims ask for and that provisioners create volumes of; cluster-scoped. The annotation storageclass.kubernetes.io/is-default-class marks the default.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: OBJECT_META,
    provisioner: "The provisioner that creates volumes of this class, e.g. \"rancher.io/local-path\". Cannot be changed.",
    parameters: "Provisioner-specific settings for new volumes. Cannot be changed.",
    reclaimPolicy: "What happens to a volume created for this class once its claim is deleted: \"Delete\" or \"Retain\". Defaults to Delete.",
    mountOptions: "Mount options given to the volumes of this class, e.g. [\"ro\", \"soft\"]; not checked, so a wrong one makes mounts fail.",
    allowVolumeExpansion: "Whether claims of this class may be resized by raising their storage request.",
    volumeBindingMode: "\"Immediate\" provisions and binds as soon as a claim is made; \"WaitForFirstConsumer\" waits until a pod using the claim is scheduled, so the volume lands where the pod runs. Defaults to Immediate.",
    allowedTopologies: "Where volumes of this class may be provisioned, as topology label terms. Unset allows everywhere.",
  },
  [`${S}.StorageClassList`]: {
    "": "A list of StorageClasses.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: LIST_META,
    items: "The StorageClasses.",
  },
  [`${S}.TokenRequest`]: {
    "": "A service account token a CSI driver wants for the pod.",
    audience: "The audience the token is issued for.",
    expirationSeconds: "How long the token is valid, in seconds. Defaults to the expiry of the service account token API.",
  },
  [`${S}.VolumeAttachment`]: {
    "": "The intent to attach a volume to a node, and its outcome; created by the attach/detach controller and acted on by the CSI external attacher. Cluster-scoped.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: OBJECT_META,
    spec: "The volume and node to attach it to; set by the creator.",
    status: "Whether the attachment or detachment worked; written by the attacher.",
  },
  [`${S}.VolumeAttachmentList`]: {
    "": "A list of VolumeAttachments.",
    kind: KIND,
    apiVersion: API_VERSION,
    metadata: LIST_META,
    items: "The VolumeAttachments.",
  },
  [`${S}.VolumeAttachmentSource`]: {
    "": "The volume to attach: a persistent volume by name, or an inline volume spec; exactly one is set.",
    persistentVolumeName: "The name of the persistent volume to attach.",
    inlineVolumeSpec: "The spec of a pod's inline volume migrated to CSI, for drivers that support migration.",
  },
  [`${S}.VolumeAttachmentSpec`]: {
    "": "What a volume attachment asks for.",
    attacher: "The name of the driver that attaches the volume, as it reports itself.",
    source: "The volume to attach.",
    nodeName: "The node the volume is attached to.",
  },
  [`${S}.VolumeAttachmentStatus`]: {
    "": "The outcome of a volume attachment.",
    attached: "Whether the volume is attached to the node.",
    attachmentMetadata: "Data the attacher returns after a successful attach, passed on to later mount calls.",
    attachError: "The last error of an attach attempt, if any.",
    detachError: "The last error of a detach attempt, if any.",
  },
  [`${S}.VolumeError`]: {
    "": "An error met while attaching or detaching a volume.",
    time: "When the error happened.",
    message: "What went wrong; may be logged, so it holds no secrets.",
  },
  [`${S}.VolumeNodeResources`]: {
    "": "Volume limits of a CSI driver on one node.",
    count: "The most volumes of this driver the node can hold. Unset means no limit.",
  },
};
