/**
 * Descriptions for core/v1 persistent storage (src/api/schemas/api_core_v1.ts):
 * PersistentVolume, PersistentVolumeClaim, their specs and statuses, the
 * CSI persistent source and the references a claim uses.
 */
import { VOLUME_TYPES } from "./core_v1_volumes.ts";
import type { DescriptionTable } from "./table.ts";
import { COND_MESSAGE } from "./common.ts";

const C = "io.k8s.api.core.v1";

const ACCESS_MODES = "How the volume can be mounted: ReadWriteOnce (read-write by one node), ReadOnlyMany (read-only by many nodes), ReadWriteMany (read-write by many nodes) or ReadWriteOncePod (read-write by one pod).";
const VOLUME_MODE = "Whether the volume is used as a formatted filesystem (Filesystem, the default) or as a raw block device (Block).";

/** The volume types a PersistentVolume can be backed by. */
const PV_TYPES: Record<string, string> = {
  ...VOLUME_TYPES,
  hostPath: "A directory of the node. Only for single-node testing: it does not work across nodes.",
  local: "A disk, partition or directory attached to one node.",
  csi: "A volume managed by an external CSI driver.",
};

const volumes: DescriptionTable = {
  [`${C}.PersistentVolume`]: {
    "": "A PersistentVolume is a piece of storage in the cluster, provisioned by an administrator or dynamically through a StorageClass, that a claim can bind to.",
    spec: "The volume's capacity, access modes, backing storage and reclaim policy.",
    status: "The volume's phase, such as Available or Bound.",
  },
  [`${C}.PersistentVolumeSpec`]: {
    "": "The desired state of a PersistentVolume; set exactly one of the volume type fields.",
    capacity: "The volume's size, as storage: <quantity>.",
    ...PV_TYPES,
    accessModes: ACCESS_MODES,
    claimRef: "The claim the volume is bound to, set when binding; pre-setting it reserves the volume for that claim.",
    persistentVolumeReclaimPolicy: "What happens once its claim is deleted: Retain (kept for manual reclamation), Delete (the storage is deleted) or Recycle (deprecated: scrubbed for reuse). Defaults to Retain for manual volumes and Delete for provisioned ones.",
    storageClassName: "The StorageClass the volume belongs to; only claims asking for this class can bind it. Empty means no class.",
    mountOptions: "Mount options, such as ro or soft; they are not validated and a wrong one makes mounting fail.",
    volumeMode: VOLUME_MODE,
    nodeAffinity: "The nodes the volume can be reached from; pods using it are scheduled there.",
    volumeAttributesClassName: "The VolumeAttributesClass the volume belongs to, whose parameters the driver applies.",
  },
  [`${C}.PersistentVolumeSource`]: { "": "The storage behind a PersistentVolume; exactly one field is set.", ...PV_TYPES },
  [`${C}.PersistentVolumeStatus`]: {
    "": "The observed state of a PersistentVolume.",
    phase: "Pending (not yet available), Available (not bound), Bound, Released (its claim was deleted, not yet reclaimed) or Failed (reclamation failed).",
    message: "A human-readable explanation of the phase.",
    reason: "A CamelCase word explaining a failure.",
    lastPhaseTransitionTime: "When phase last changed.",
  },
  [`${C}.VolumeNodeAffinity`]: {
    "": "The nodes a PersistentVolume can be used from.",
    required: "Nodes that can reach the volume; a pod using it runs on one of them.",
  },
  [`${C}.CSIPersistentVolumeSource`]: {
    "": "A volume managed by an external CSI driver.",
    driver: "The CSI driver's name, as the driver reports it.",
    volumeHandle: "The driver's identifier of the volume, used in every call about it.",
    readOnly: "Publish the volume read-only. Defaults to false.",
    fsType: "The filesystem to mount, such as ext4.",
    volumeAttributes: "Driver-specific settings of the volume.",
    controllerPublishSecretRef: "A Secret with sensitive settings for the driver's ControllerPublishVolume and ControllerUnpublishVolume calls.",
    nodeStageSecretRef: "A Secret with sensitive settings for the driver's NodeStageVolume and NodeUnstageVolume calls.",
    nodePublishSecretRef: "A Secret with sensitive settings for the driver's NodePublishVolume and NodeUnpublishVolume calls.",
    controllerExpandSecretRef: "A Secret with sensitive settings for the driver's ControllerExpandVolume call.",
    nodeExpandSecretRef: "A Secret with sensitive settings for the driver's NodeExpandVolume call.",
  },
  [`${C}.SecretReference`]: {
    "": "Names a Secret, possibly in another namespace.",
    name: "The Secret's name.",
    namespace: "The Secret's namespace.",
  },
};

const claims: DescriptionTable = {
  [`${C}.PersistentVolumeClaim`]: {
    "": "A PersistentVolumeClaim is a request for storage by a user: pods mount the volume bound to it.",
    spec: "The storage requested: size, access modes, class and optional data source.",
    status: "The claim's phase and the capacity it got.",
  },
  [`${C}.PersistentVolumeClaimSpec`]: {
    "": "The storage a PersistentVolumeClaim asks for.",
    accessModes: ACCESS_MODES,
    selector: "Only bind volumes whose labels match.",
    resources: "The least storage the claim needs; may be raised later if the class allows expansion.",
    volumeName: "Bind to this PersistentVolume only.",
    storageClassName: "The StorageClass to provision or bind from; empty string means no class. Unset uses the default class.",
    volumeMode: VOLUME_MODE,
    dataSource: "An object to fill the new volume from: a VolumeSnapshot or another PersistentVolumeClaim in the same namespace. Kept in sync with dataSourceRef.",
    dataSourceRef: "An object to fill the new volume from; like dataSource but also any populator's custom resource, possibly in another namespace (with a ReferenceGrant).",
    volumeAttributesClassName: "The VolumeAttributesClass to use; changing it asks the driver to modify the volume.",
  },
  [`${C}.PersistentVolumeClaimStatus`]: {
    "": "The observed state of a PersistentVolumeClaim.",
    phase: "Pending (not yet bound), Bound or Lost (its volume is gone).",
    accessModes: "The access modes of the bound volume.",
    capacity: "The size of the bound volume.",
    conditions: "The claim's conditions, such as Resizing or FileSystemResizePending.",
    allocatedResources: "The storage allotted to the claim, which may be more than requested during a resize.",
    allocatedResourceStatuses: "The state of a resize, per resource: ControllerResizeInProgress, ControllerResizeFailed, NodeResizePending, NodeResizeInProgress or NodeResizeFailed.",
    currentVolumeAttributesClassName: "The VolumeAttributesClass the volume currently has.",
    modifyVolumeStatus: "The state of a change to another VolumeAttributesClass; unset when none is under way.",
  },
  [`${C}.PersistentVolumeClaimCondition`]: {
    "": "One condition of a PersistentVolumeClaim.",
    type: "The condition, such as Resizing, FileSystemResizePending or ModifyingVolume.",
    status: "True, False or Unknown.",
    lastProbeTime: "When the condition was last checked.",
    lastTransitionTime: "When status last changed.",
    reason: "A CamelCase word saying why status last changed, such as a resize starting.",
    message: COND_MESSAGE,
  },
  [`${C}.ModifyVolumeStatus`]: {
    "": "The state of a change of a claim's VolumeAttributesClass.",
    targetVolumeAttributesClassName: "The class the volume is being moved to.",
    status: "Pending (waiting, for example because the class does not exist), InProgress or Infeasible (the driver refused it).",
  },
  [`${C}.VolumeResourceRequirements`]: {
    "": "The storage a claim needs.",
    limits: "The most storage the claim may use.",
    requests: "The least storage the claim needs, as storage: <quantity>.",
  },
  [`${C}.TypedLocalObjectReference`]: {
    "": "Names an object of a given kind in the same namespace.",
    apiGroup: "The object's API group; empty for the core group.",
    kind: "The object's kind.",
    name: "The object's name.",
  },
  [`${C}.TypedObjectReference`]: {
    "": "Names an object of a given kind, possibly in another namespace.",
    apiGroup: "The object's API group; empty for the core group.",
    kind: "The object's kind.",
    name: "The object's name.",
    namespace: "The object's namespace; another namespace than the referrer's needs a ReferenceGrant there. Defaults to the referrer's.",
  },
};

export const descriptions: DescriptionTable = { ...volumes, ...claims };
