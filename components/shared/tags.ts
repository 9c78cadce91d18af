/** Tag keys envstack sets on every taggable resource; a stack cannot override them. */
export const RESERVED_TAG_KEYS = ["environment", "owner", "managed-by"] as const;

/** AWS tags, key to value. */
export type Tags = Record<string, string>;

/** The environment's tags: the reserved ones first, then the stack's extra tags. */
export function environmentTags(name: string, owner: string, extra: Tags = {}): Tags {
    return { ...extra, environment: name, owner, "managed-by": "envstack" };
}
