/** The storage-protection controllers: they lift the pvc-/pv-protection finalizers once a claim is unused or a volume unbound. */
export { startPVCProtectionController, claimsOf, podUsesClaim, PVC_PROTECTION_FINALIZER } from "./pvcprotection.ts";
export { startPVProtectionController, PV_PROTECTION_FINALIZER } from "./pvprotection.ts";
