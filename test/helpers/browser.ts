/**
 * A browser-like client for the reference servers of a multi-instance test:
 * cookies kept (one jar, whichever server answered), the CSRF header sent on
 * unsafe requests, as the single-page app does.
 *
 * ```ts
 * const browser = new Browser();
 * await browser.login(a.url, 'alice');
 * await browser.send(b.url, 'GET', '/api/dashboard/'); // the same session, on B
 * ```
 */
export class Browser {
  readonly jar = new Map<string, string>();

  /** The `Cookie` header carrying only the session, as a stolen or replayed cookie would be. */
  get sessionCookie(): string {
    return `sessionid=${this.jar.get('sessionid')}`;
  }

  async send(
    base: string,
    method: string,
    path: string,
    json?: unknown,
    headers: Record<string, string> = {},
  ) {
    const all: Record<string, string> = { ...headers };
    if (this.jar.size) all.cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    if (method !== 'GET' && this.jar.has('csrftoken')) all['x-csrftoken'] = this.jar.get('csrftoken')!;
    if (json !== undefined) all['content-type'] = 'application/json';
    const res = await fetch(base + path, {
      method,
      headers: all,
      body: json === undefined ? undefined : JSON.stringify(json),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
      if (line.includes('Max-Age=0')) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    const text = await res.text();
    return {
      status: res.status,
      text,
      /** The body parsed, read when asked (an HTML answer does not throw until then). */
      // biome-ignore lint/suspicious/noExplicitAny: tests read the contract's bodies field by field
      get json(): any {
        return text ? JSON.parse(text) : undefined;
      },
    };
  }

  async login(base: string, username: string, password = 'Pw-12345678') {
    await this.send(base, 'GET', '/api/csrf/');
    const res = await this.send(base, 'POST', '/api/login/', { username, password });
    if (res.status !== 200) throw new Error(`login of ${username} on ${base}: ${res.status} ${res.text}`);
    return res;
  }
}
