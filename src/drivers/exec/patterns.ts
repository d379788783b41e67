/** OpenSSH's host patterns: `*` and `?` wildcards, comma lists, `!` negation. */

const cache = new Map<string, RegExp>();

/** True when `text` matches one wildcard pattern (`*` any run, `?` one character), case-insensitively. */
export function matchWildcard(pattern: string, text: string): boolean {
  let re = cache.get(pattern);
  if (!re) {
    const body = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    re = new RegExp(`^${body}$`, 'is');
    if (cache.size > 10_000) cache.clear();
    cache.set(pattern, re);
  }
  return re.test(text);
}

/**
 * Matches a comma-separated pattern list the way OpenSSH does (match_hostname): a negated pattern
 * that matches rejects the name outright; otherwise any positive match accepts it.
 */
export function matchPatternList(list: string, text: string): boolean {
  let positive = false;
  for (const raw of list.split(',')) {
    const p = raw.trim();
    if (p === '') continue;
    if (p.startsWith('!')) {
      if (matchWildcard(p.slice(1), text)) return false;
    } else if (!positive && matchWildcard(p, text)) positive = true;
  }
  return positive;
}
