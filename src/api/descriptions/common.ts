/** Texts every API group's tables share: type metadata, object and list metadata, condition fields. */

export const KIND = "The REST resource this object represents, in CamelCase.";
export const OBJECT_META = "Standard object metadata: name, namespace, labels, annotations and the server-set fields.";
export const LIST_META = "Standard list metadata: the collection's resourceVersion and the continue token for paging.";
export const COND_STATUS = "Whether the condition holds: \"True\", \"False\" or \"Unknown\".";
export const COND_TRANSITION = "When the condition last changed its status.";
export const COND_REASON = "A short CamelCase word that says why the condition last changed.";
export const COND_MESSAGE = "A human-readable explanation of the last change.";

/** the apiVersion field's text for one group/version */
export function apiVersionText(groupVersion: string): string {
  return `The group and version of this object's schema, here "${groupVersion}".`;
}
