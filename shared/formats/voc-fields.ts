// What the VOC reader and writer share: the object fields VOC defines itself, and the mapping
// between `<attribute>` names and `Shape.attrs` keys (vocAttrKey on the way in, vocAttrName out).
import { ATTR, RESERVED_ATTRS, USER_ATTR_PREFIX } from './model.ts';

export type Node = Record<string, unknown>;
export const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** VOC's 0/1 object flags. */
export const FLAGS = ['truncated', 'difficult', 'occluded'] as const;

/** VOC's own object fields: an `<attribute>` of one of these names must not overwrite the field. */
export const VOC_FIELDS: ReadonlySet<string> = new Set(['pose', ...FLAGS]);

/**
 * `<attribute>` name → attrs key. Reserved names become user attributes under the prefix
 * (`group` → `user:group`); prefixed names are taken as written (Tessera writes them so).
 */
export const vocAttrKey = (name: string): string => (RESERVED_ATTRS.has(name) || VOC_FIELDS.has(name) ? USER_ATTR_PREFIX + name : name);

/** attrs key of a user attribute → `<attribute>` name that `vocAttrKey` maps back to it. */
export function vocAttrName(key: string): string {
  if (!key.startsWith(USER_ATTR_PREFIX)) return key;
  const name = key.slice(USER_ATTR_PREFIX.length);
  // `iscrowd` is the crowd flag in VOC files: a user attribute of that name keeps its prefix.
  return (RESERVED_ATTRS.has(name) && name !== ATTR.crowd) || VOC_FIELDS.has(name) ? name : key;
}

/** Where fast-xml-parser puts the text of an element that also has child elements. */
export const TEXT = '#text';
