/**
 * Descriptions for the core/v1 storage plugin sources (src/api/schemas/api_core_v1.ts):
 * network and cloud volumes, each in its pod form and, where it differs,
 * its PersistentVolume form (whose secret references may name a namespace).
 * Most are deprecated in-tree plugins kept for old manifests.
 */
import type { DescriptionTable } from "./table.ts";

const C = "io.k8s.api.core.v1";

const FS_TYPE = "The filesystem type to mount, such as ext4 or xfs; it must be one the node supports. Defaults to ext4.";
const READ_ONLY = "Mount the volume read-only. Defaults to false.";
const POD_SECRET = "A Secret in the pod's namespace with the credentials to use.";
const PV_SECRET = "A Secret with the credentials to use; its namespace defaults to the claim's.";

const cloud: DescriptionTable = {
  [`${C}.AWSElasticBlockStoreVolumeSource`]: {
    "": "An AWS EBS volume attached to the node; it must exist in the node's zone.",
    volumeID: "The EBS volume's ID.",
    fsType: FS_TYPE,
    partition: "The partition to mount, counted from 1; 0 or unset mounts the whole volume.",
    readOnly: READ_ONLY,
  },
  [`${C}.GCEPersistentDiskVolumeSource`]: {
    "": "A GCE persistent disk attached to the node; it must exist in the node's zone.",
    pdName: "The disk's name in GCE.",
    fsType: FS_TYPE,
    partition: "The partition to mount, counted from 1; 0 or unset mounts the whole disk.",
    readOnly: READ_ONLY,
  },
  [`${C}.AzureDiskVolumeSource`]: {
    "": "An Azure data disk attached to the node.",
    diskName: "The disk's name in the blob storage.",
    diskURI: "The disk's URI in the blob storage.",
    cachingMode: "Host caching: None, ReadOnly or ReadWrite. Defaults to ReadWrite.",
    fsType: FS_TYPE,
    readOnly: READ_ONLY,
    kind: "Shared (several disks per storage account), Dedicated (one per account) or Managed (an Azure managed disk). Defaults to Shared.",
  },
  [`${C}.AzureFileVolumeSource`]: {
    "": "An Azure File share mounted over SMB.",
    secretName: "The Secret holding the storage account name and key.",
    shareName: "The share's name.",
    readOnly: READ_ONLY,
  },
  [`${C}.AzureFilePersistentVolumeSource`]: {
    "": "An Azure File share mounted over SMB, for a PersistentVolume.",
    secretName: "The Secret holding the storage account name and key.",
    shareName: "The share's name.",
    readOnly: READ_ONLY,
    secretNamespace: "The Secret's namespace. Defaults to the pod's.",
  },
  [`${C}.CinderVolumeSource`]: {
    "": "An OpenStack Cinder volume attached to the node.",
    volumeID: "The Cinder volume's ID.",
    fsType: FS_TYPE,
    readOnly: READ_ONLY,
    secretRef: "A Secret with the settings to connect to OpenStack.",
  },
  [`${C}.CinderPersistentVolumeSource`]: {
    "": "An OpenStack Cinder volume attached to the node, for a PersistentVolume.",
    volumeID: "The Cinder volume's ID.",
    fsType: FS_TYPE,
    readOnly: READ_ONLY,
    secretRef: "A Secret with the settings to connect to OpenStack.",
  },
  [`${C}.VsphereVirtualDiskVolumeSource`]: {
    "": "A vSphere VMDK volume attached to the node.",
    volumePath: "The path identifying the VMDK.",
    fsType: FS_TYPE,
    storagePolicyName: "The name of the storage policy (SPBM) to use.",
    storagePolicyID: "The ID of the storage policy (SPBM) named in storagePolicyName.",
  },
  [`${C}.PhotonPersistentDiskVolumeSource`]: {
    "": "A Photon Controller persistent disk.",
    pdID: "The disk's ID.",
    fsType: FS_TYPE,
  },
  [`${C}.PortworxVolumeSource`]: {
    "": "A Portworx volume.",
    volumeID: "The volume's ID.",
    fsType: FS_TYPE,
    readOnly: READ_ONLY,
  },
};

/** Fields the two Ceph RBD sources share. */
const RBD: Record<string, string> = {
  monitors: "The Ceph monitors' addresses.",
  image: "The RADOS image's name.",
  fsType: FS_TYPE,
  pool: "The RADOS pool. Defaults to rbd.",
  user: "The RADOS user. Defaults to admin.",
  keyring: "The path of the user's keyring on the node. Defaults to /etc/ceph/keyring.",
  readOnly: READ_ONLY,
};

/** Fields the two CephFS sources share. */
const CEPHFS: Record<string, string> = {
  monitors: "The Ceph monitors' addresses.",
  path: "The path in the file system to mount. Defaults to /.",
  user: "The RADOS user. Defaults to admin.",
  secretFile: "The path of the user's key file on the node. Defaults to /etc/ceph/user.secret.",
  readOnly: READ_ONLY,
};

/** Fields the two iSCSI sources share. */
const ISCSI: Record<string, string> = {
  targetPortal: "The target portal, as IP or IP:port (port 3260 when omitted).",
  iqn: "The target's iSCSI qualified name.",
  lun: "The LUN number of the target.",
  iscsiInterface: "The iSCSI interface to use. Defaults to default (tcp).",
  fsType: FS_TYPE,
  readOnly: READ_ONLY,
  portals: "More target portals for multipath, as IP or IP:port.",
  chapAuthDiscovery: "Use CHAP authentication for discovery.",
  chapAuthSession: "Use CHAP authentication for the session.",
  initiatorName: "A custom initiator name; with iscsiInterface, a new interface <portal>:<volume> is created for the connection.",
};

/** Fields the two GlusterFS sources share. */
const GLUSTERFS: Record<string, string> = {
  endpoints: "The Endpoints object listing the GlusterFS servers.",
  path: "The GlusterFS volume's path.",
  readOnly: READ_ONLY,
};

/** Fields the two FlexVolume sources share. */
const FLEX: Record<string, string> = {
  driver: "The driver's name.",
  fsType: "The filesystem type to mount; the driver's default when empty.",
  readOnly: READ_ONLY,
  options: "Driver-specific options.",
};

/** Fields the two ScaleIO sources share. */
const SCALEIO: Record<string, string> = {
  gateway: "The ScaleIO API gateway's address.",
  system: "The ScaleIO storage system's name.",
  sslEnabled: "Use TLS to talk to the gateway. Defaults to false.",
  protectionDomain: "The protection domain of the storage.",
  storagePool: "The storage pool of the protection domain.",
  storageMode: "ThickProvisioned or ThinProvisioned. Defaults to ThinProvisioned.",
  volumeName: "The name of an existing volume in the system.",
  fsType: "The filesystem type to mount. Defaults to xfs.",
  readOnly: READ_ONLY,
};

/** Fields the two StorageOS sources share. */
const STORAGEOS: Record<string, string> = {
  volumeName: "The StorageOS volume's name, unique in its namespace.",
  volumeNamespace: "The StorageOS namespace of the volume. Defaults to the pod's namespace.",
  fsType: FS_TYPE,
  readOnly: READ_ONLY,
};

const network: DescriptionTable = {
  [`${C}.RBDVolumeSource`]: { "": "A Ceph RADOS block device mapped on the node.", ...RBD, secretRef: `${POD_SECRET} Overrides keyring.` },
  [`${C}.RBDPersistentVolumeSource`]: { "": "A Ceph RADOS block device mapped on the node, for a PersistentVolume.", ...RBD, secretRef: `${PV_SECRET} Overrides keyring.` },
  [`${C}.CephFSVolumeSource`]: { "": "A CephFS file system mounted into the pod.", ...CEPHFS, secretRef: `${POD_SECRET} Overrides secretFile.` },
  [`${C}.CephFSPersistentVolumeSource`]: { "": "A CephFS file system, for a PersistentVolume.", ...CEPHFS, secretRef: `${PV_SECRET} Overrides secretFile.` },
  [`${C}.ISCSIVolumeSource`]: { "": "An iSCSI disk attached to the node; it can be written by one pod at a time but read by many.", ...ISCSI, secretRef: `${POD_SECRET} Used for CHAP.` },
  [`${C}.ISCSIPersistentVolumeSource`]: { "": "An iSCSI disk attached to the node, for a PersistentVolume.", ...ISCSI, secretRef: `${PV_SECRET} Used for CHAP.` },
  [`${C}.GlusterfsVolumeSource`]: { "": "A GlusterFS volume mounted into the pod.", ...GLUSTERFS },
  [`${C}.GlusterfsPersistentVolumeSource`]: {
    "": "A GlusterFS volume, for a PersistentVolume.",
    ...GLUSTERFS,
    endpointsNamespace: "The namespace of the Endpoints object. Defaults to the claim's.",
  },
  [`${C}.FlexVolumeSource`]: { "": "A volume handled by a FlexVolume driver on the node.", ...FLEX, secretRef: `${POD_SECRET} Passed to the driver.` },
  [`${C}.FlexPersistentVolumeSource`]: { "": "A volume handled by a FlexVolume driver on the node, for a PersistentVolume.", ...FLEX, secretRef: `${PV_SECRET} Passed to the driver.` },
  [`${C}.ScaleIOVolumeSource`]: { "": "A ScaleIO volume.", ...SCALEIO, secretRef: "A Secret in the pod's namespace with the ScaleIO user's credentials." },
  [`${C}.ScaleIOPersistentVolumeSource`]: { "": "A ScaleIO volume, for a PersistentVolume.", ...SCALEIO, secretRef: "A Secret with the ScaleIO user's credentials." },
  [`${C}.StorageOSVolumeSource`]: { "": "A StorageOS volume.", ...STORAGEOS, secretRef: "A Secret with the StorageOS API credentials; the defaults are used when unset." },
  [`${C}.StorageOSPersistentVolumeSource`]: { "": "A StorageOS volume, for a PersistentVolume.", ...STORAGEOS, secretRef: "A Secret with the StorageOS API credentials; the defaults are used when unset." },
  [`${C}.FCVolumeSource`]: {
    "": "A Fibre Channel disk attached to the node; it can be written by one pod at a time but read by many.",
    targetWWNs: "The target world wide names.",
    lun: "The target LUN number.",
    fsType: FS_TYPE,
    readOnly: READ_ONLY,
    wwids: "The volume's world wide identifiers; set these or targetWWNs with lun, not both.",
  },
  [`${C}.FlockerVolumeSource`]: {
    "": "A Flocker dataset; the Flocker control service must be running.",
    datasetName: "The dataset's name. Deprecated.",
    datasetUUID: "The dataset's UUID.",
  },
  [`${C}.QuobyteVolumeSource`]: {
    "": "A Quobyte volume mounted into the pod.",
    registry: "The Quobyte registries, as host:port pairs separated by commas.",
    volume: "The volume's name.",
    readOnly: READ_ONLY,
    user: "The user to map volume access to. Defaults to the service account user.",
    group: "The group to map volume access to. Defaults to no group.",
    tenant: "The tenant owning the volume, for dynamically provisioned volumes.",
  },
};

export const descriptions: DescriptionTable = { ...cloud, ...network };
