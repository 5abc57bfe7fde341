/**
 * A route path in the syntax Express, Fastify and Hono share
 * (`/api/sessions/:id/`), compiled once for the routers that need to match
 * paths themselves (node:http's `mount`, APPEND_SLASH).
 *
 * ```ts
 * const match = routePattern('/api/sessions/:id/');
 * match('/api/sessions/ab12/'); // { id: 'ab12' }
 * match('/api/sessions/');      // null
 * ```
 */
export function routePattern(path: string): (candidate: string) => Record<string, string> | null {
  const names: string[] = [];
  const source = path
    .split(/(:[A-Za-z_][A-Za-z0-9_]*)/)
    .map((part) => {
      if (part.startsWith(':')) {
        names.push(part.slice(1));
        return '([^/]+)';
      }
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  const regex = new RegExp(`^${source}$`);
  return (candidate) => {
    const match = regex.exec(candidate);
    if (!match) return null;
    const params: Record<string, string> = {};
    for (let i = 0; i < names.length; i++) params[names[i]] = safeDecode(match[i + 1]);
    return params;
  };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
