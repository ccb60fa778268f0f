/**
 * The shape of our description data: definition name → texts. The "" key
 * describes the definition itself; every other key is one of its property
 * names. One table per generated schema file, written by us (not upstream's
 * doc comments).
 */
export type DescriptionTable = Record<string, Record<string, string>>;
