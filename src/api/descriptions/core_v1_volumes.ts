/**
 * Descriptions for core/v1 pod volumes (src/api/schemas/api_core_v1.ts):
 * Volume and VolumeSource, the sources that live with the pod (emptyDir,
 * hostPath, configMap, secret, downwardAPI, projected, image, ephemeral, ...)
 * and the field texts the PersistentVolume sources share with them.
 */
import type { DescriptionTable } from "./table.ts";

const C = "io.k8s.api.core.v1";

const DEPRECATED_IN_TREE = "Deprecated: the in-tree driver is removed or redirected to its CSI driver.";

/** The volume types a pod volume and a PersistentVolume both offer, by field name. */
export const VOLUME_TYPES: Record<string, string> = {
  hostPath: "A file or directory of the node, exposed to the pod. Meant for system agents; most pods should not use it.",
  gcePersistentDisk: `A GCE persistent disk. ${DEPRECATED_IN_TREE}`,
  awsElasticBlockStore: `An AWS EBS volume. ${DEPRECATED_IN_TREE}`,
  nfs: "An NFS export, mounted from its server.",
  iscsi: "An iSCSI disk, attached to the node and mounted.",
  glusterfs: "A GlusterFS volume. Deprecated: the in-tree plugin is removed.",
  rbd: "A Ceph RADOS block device. Deprecated: the in-tree plugin is removed.",
  flexVolume: "A volume handled by an exec-based FlexVolume driver on the node. Deprecated in favour of CSI.",
  cinder: `An OpenStack Cinder volume. ${DEPRECATED_IN_TREE}`,
  cephfs: "A CephFS file system. Deprecated: the in-tree plugin is removed.",
  flocker: "A Flocker dataset. Deprecated: the plugin is removed.",
  fc: "A Fibre Channel disk, attached to the node and mounted.",
  azureFile: `An Azure File share. ${DEPRECATED_IN_TREE}`,
  vsphereVolume: `A vSphere VMDK volume. ${DEPRECATED_IN_TREE}`,
  quobyte: "A Quobyte volume. Deprecated: the plugin is removed.",
  azureDisk: `An Azure data disk. ${DEPRECATED_IN_TREE}`,
  photonPersistentDisk: "A Photon Controller persistent disk. Deprecated: the plugin is removed.",
  portworxVolume: `A Portworx volume. ${DEPRECATED_IN_TREE}`,
  scaleIO: "A ScaleIO volume. Deprecated: the plugin is removed.",
  storageos: "A StorageOS volume. Deprecated: the plugin is removed.",
  csi: "A volume provided by a CSI driver installed in the cluster.",
};

/** The types only a pod volume offers. */
const POD_VOLUME_TYPES: Record<string, string> = {
  ...VOLUME_TYPES,
  emptyDir: "An empty directory created when the pod is placed on a node and deleted with the pod.",
  gitRepo: "A directory with a git repository cloned into it. Deprecated: clone in an init container into an emptyDir instead.",
  secret: "The keys of a Secret, as files.",
  persistentVolumeClaim: "The PersistentVolume bound to a claim in the pod's namespace.",
  downwardAPI: "Fields of the pod and its containers, as files.",
  configMap: "The keys of a ConfigMap, as files.",
  projected: "Several sources (secrets, config maps, downward API, service account tokens, trust bundles) merged into one directory.",
  ephemeral: "A volume from a PersistentVolumeClaim created for the pod from a template and deleted with it.",
  csi: "An ephemeral volume provided inline by a CSI driver that supports it.",
  image: "The contents of an OCI image or artifact, mounted read-only.",
};

const MODE_BITS = "Permission bits, as an octal number from 0000 to 0777 (JSON needs the decimal form, such as 420 for 0644); fsGroup may add group bits.";
const FILE_MODE = `The file's permission bits. ${MODE_BITS} Defaults to the volume's defaultMode.`;
const DEFAULT_MODE = `Permission bits of the files created, unless an item sets its own mode. ${MODE_BITS} Defaults to 0644.`;
const ITEMS = "Which keys to project and to which paths; when empty, every key becomes a file named after it. Listing a key that does not exist is an error unless optional is set.";

const volumes: DescriptionTable = {
  [`${C}.Volume`]: {
    "": "A named volume of a pod that its containers can mount; set exactly one of the volume type fields.",
    name: "The volume's name, a DNS label unique in the pod; containers mount it by this name.",
    ...POD_VOLUME_TYPES,
  },
  [`${C}.VolumeSource`]: { "": "Where a pod volume's contents come from; exactly one field is set.", ...POD_VOLUME_TYPES },
  [`${C}.EmptyDirVolumeSource`]: {
    "": "An empty directory that lives as long as the pod on its node.",
    medium: "Where it is stored: empty for the node's default storage, Memory for a tmpfs (which counts against the containers' memory).",
    sizeLimit: "The most the directory may hold; the pod is evicted when it grows beyond. No limit by default beyond the node's or the memory limit.",
  },
  [`${C}.HostPathVolumeSource`]: {
    "": "A path on the node exposed to the pod.",
    path: "The path on the node; a symbolic link is followed.",
    type: "What must be at the path: empty (no check), DirectoryOrCreate, Directory, FileOrCreate, File, Socket, CharDevice or BlockDevice.",
  },
  [`${C}.KeyToPath`]: {
    "": "Maps one key of a ConfigMap or Secret to a file path in the volume.",
    key: "The key to project.",
    path: "The relative path of the file; it may not be absolute or contain a .. element.",
    mode: FILE_MODE,
  },
  [`${C}.ConfigMapVolumeSource`]: {
    "": "A ConfigMap's keys as files in a volume; kept up to date when the ConfigMap changes, except under a subPath.",
    name: "The ConfigMap's name, in the pod's namespace.",
    items: ITEMS,
    defaultMode: DEFAULT_MODE,
    optional: "Start the pod even if the ConfigMap or listed keys do not exist.",
  },
  [`${C}.SecretVolumeSource`]: {
    "": "A Secret's keys as files in a volume; kept up to date when the Secret changes, except under a subPath.",
    secretName: "The Secret's name, in the pod's namespace.",
    items: ITEMS,
    defaultMode: DEFAULT_MODE,
    optional: "Start the pod even if the Secret or listed keys do not exist.",
  },
  [`${C}.DownwardAPIVolumeSource`]: {
    "": "Information about the pod and its containers as files in a volume.",
    items: "The files to create.",
    defaultMode: DEFAULT_MODE,
  },
  [`${C}.DownwardAPIVolumeFile`]: {
    "": "One file of a downward API volume and the field it holds.",
    path: "The relative path of the file; it may not be absolute or contain a .. element.",
    fieldRef: "A pod field: metadata.name, metadata.namespace, metadata.uid, metadata.labels or metadata.annotations (all or one key).",
    resourceFieldRef: "A container resource limit or request: limits.cpu, limits.memory, requests.cpu, requests.memory and their ephemeral-storage forms.",
    mode: FILE_MODE,
  },
  [`${C}.PersistentVolumeClaimVolumeSource`]: {
    "": "Uses the volume bound to a PersistentVolumeClaim.",
    claimName: "The claim's name, in the pod's namespace.",
    readOnly: "Mount the volume read-only. Defaults to false.",
  },
  [`${C}.EphemeralVolumeSource`]: {
    "": "A volume provisioned for the pod from a claim template; the claim, named <pod>-<volume>, is owned by the pod and deleted with it.",
    volumeClaimTemplate: "The template of the PersistentVolumeClaim to create.",
  },
  [`${C}.PersistentVolumeClaimTemplate`]: {
    "": "The metadata and spec of a PersistentVolumeClaim to create for an ephemeral volume.",
    spec: "The spec the created claim gets; copied unchanged.",
  },
  [`${C}.ImageVolumeSource`]: {
    "": "An OCI image or artifact mounted read-only as a volume.",
    reference: "The image or artifact reference, as for a container image.",
    pullPolicy: "When to pull it: Always, Never or IfNotPresent. Defaults to Always for :latest, otherwise IfNotPresent.",
  },
  [`${C}.GitRepoVolumeSource`]: {
    "": "A directory with a git repository cloned into it when the pod starts. Deprecated.",
    repository: "The repository URL.",
    revision: "The commit to check out.",
    directory: "The target directory, relative to the volume; . clones into the volume root. Defaults to a directory named after the repository.",
  },
  [`${C}.ProjectedVolumeSource`]: {
    "": "One directory that merges several sources.",
    sources: "The sources to merge.",
    defaultMode: DEFAULT_MODE,
  },
  [`${C}.VolumeProjection`]: {
    "": "One source of a projected volume; exactly one field is set.",
    secret: "Keys of a Secret.",
    downwardAPI: "Fields of the pod and its containers.",
    configMap: "Keys of a ConfigMap.",
    serviceAccountToken: "A token of the pod's service account.",
    clusterTrustBundle: "The certificates of ClusterTrustBundle objects.",
  },
  [`${C}.SecretProjection`]: {
    "": "A Secret's keys projected into a volume.",
    name: "The Secret's name, in the pod's namespace.",
    items: ITEMS,
    optional: "Start the pod even if the Secret or listed keys do not exist.",
  },
  [`${C}.ConfigMapProjection`]: {
    "": "A ConfigMap's keys projected into a volume.",
    name: "The ConfigMap's name, in the pod's namespace.",
    items: ITEMS,
    optional: "Start the pod even if the ConfigMap or listed keys do not exist.",
  },
  [`${C}.DownwardAPIProjection`]: {
    "": "Pod and container information projected into a volume.",
    items: "The files to create.",
  },
  [`${C}.ServiceAccountTokenProjection`]: {
    "": "A token of the pod's service account, written to a file and renewed by the kubelet before it expires.",
    audience: "Who the token is meant for; its recipient must check it. Defaults to the API server's audience.",
    expirationSeconds: "How long the token is valid; at least 600. Defaults to 3600 (one hour).",
    path: "The relative path of the file.",
  },
  [`${C}.ClusterTrustBundleProjection`]: {
    "": "The PEM certificates of one or more ClusterTrustBundle objects, written to one file.",
    name: "One ClusterTrustBundle by name. Cannot be set with signerName and labelSelector.",
    signerName: "All bundles of this signer, further narrowed by labelSelector.",
    labelSelector: "With signerName: only bundles whose labels match.",
    optional: "Start the pod even if nothing matches; the file is then empty.",
    path: "The relative path of the file.",
  },
  [`${C}.CSIVolumeSource`]: {
    "": "An ephemeral volume supplied inline by a CSI driver.",
    driver: "The CSI driver's name, as registered in the cluster.",
    readOnly: "Mount the volume read-only. Defaults to false.",
    fsType: "The filesystem to mount, such as ext4; the driver's choice when empty.",
    volumeAttributes: "Driver-specific settings passed to the driver.",
    nodePublishSecretRef: "A Secret with sensitive settings for the driver's publish call.",
  },
  [`${C}.NFSVolumeSource`]: {
    "": "An NFS export mounted into the pod.",
    server: "The NFS server's host name or IP address.",
    path: "The path exported by the server.",
    readOnly: "Mount the export read-only. Defaults to false.",
  },
  [`${C}.LocalVolumeSource`]: {
    "": "A disk, partition or directory of one node, for a local PersistentVolume; needs nodeAffinity to that node.",
    path: "The full path of the directory or block device on the node.",
    fsType: "For a block device: the filesystem to create and mount; the system picks one when empty.",
  },
};

export const descriptions: DescriptionTable = volumes;
