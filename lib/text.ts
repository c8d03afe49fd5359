/**
 * Text the books cannot store or a reader cannot trust: NUL (PostgreSQL's text refuses it) and
 * UTF-16 surrogates without their pair (not Unicode; they become invalid UTF-8 on the way out).
 */
const HOSTILE_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function isHostileText(s: string): boolean {
  return HOSTILE_TEXT.test(s);
}

/**
 * Where a value (a parsed JSON body, a query) holds hostile text, in a key or a string at any
 * depth: the path to it (`reason`, `items.3.note`), or null when there is none.
 */
export function findHostileText(value: unknown, path: string[] = [], depth = 0): string | null {
  if (typeof value === 'string') return isHostileText(value) ? path.join('.') || '(value)' : null;
  if (value === null || typeof value !== 'object' || depth > 64) return null;
  for (const [key, inner] of Object.entries(value)) {
    if (isHostileText(key)) return [...path, '(key)'].join('.');
    const found = findHostileText(inner, [...path, key], depth + 1);
    if (found !== null) return found;
  }
  return null;
}

/**
 * The text as it can be stored: NUL removed, an unpaired surrogate replaced by U+FFFD. For text that
 * reaches the books from outside the API's validation (a cancel signalled from Temporal's own UI),
 * where refusing is no longer possible and dropping the act would be worse.
 */
export function storableText(s: string): string;
export function storableText(s: string | null | undefined): string | null | undefined;
export function storableText(s: string | null | undefined): string | null | undefined {
  if (typeof s !== 'string' || !isHostileText(s)) return s;
  return s.replace(/\u0000/g, '').replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** storableText applied to every string and key of a JSON-like value (for jsonb, which refuses \u0000 too). */
export function storableValue<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return storableText(value) as T;
  if (value === null || typeof value !== 'object' || depth > 64) return value;
  if (Array.isArray(value)) return value.map((v) => storableValue(v, depth + 1)) as T;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [storableText(k), storableValue(v, depth + 1)])) as T;
}
