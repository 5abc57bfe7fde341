import { MethodNotAllowed, NotAcceptable } from './errors.ts';
import { type BodyKind, parseBody } from './http/body.ts';
import { addVary } from './http/write.ts';
import { challenge, checkObjectPermissions, type Policy, runPipeline } from './pipeline.ts';
import { type AuthRequest, header } from './request.ts';
import { type ApiResponse, jsonResponse, toResponse } from './response.ts';
import type { User } from './stores/types.ts';
import type { Permission, RequestContext, UserOf } from './types.ts';

/** What a handler sees: the authenticated request, its lazily parsed body, and object checks. */
export interface ViewContext<U extends User | null = User | null> extends RequestContext<U> {
  /** DRF's `request.data`: parsed on first call; throws ParseError/UnsupportedMediaType. */
  data(): unknown;
  /** DRF's `check_object_permissions`. */
  checkObject(obj: unknown): Promise<void>;
  /** Path parameters from the router, e.g. `{ id: '3' }`. */
  readonly params: Readonly<Record<string, string>>;
}

export type Handler<U extends User | null = User | null> = (
  ctx: ViewContext<U>,
) => ApiResponse | Promise<ApiResponse>;

export const VIEW_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type ViewMethod = (typeof VIEW_METHODS)[number];

/** What a view can render: JSON always; `html` lets a browsable-API wrapper render its answers as pages. */
export type Renderer = 'json' | 'html';

export interface ViewDefinition<P extends readonly Permission[] = readonly Permission[]>
  extends Partial<Omit<Policy, 'permissions'>> {
  /** The endpoint's name, as the browsable API shows it ("Article List"). */
  name: string;
  /** DRF's `permission_classes`; `[IsAuthenticated]` types `ctx.user` as `User` in the handlers. */
  permissions?: P;
  handlers: Partial<Record<ViewMethod, Handler<UserOf<P>>>>;
  /**
   * DRF's `parser_classes`: JSON, form and multipart by default (DRF's
   * defaults); CSRF applies to session requests whatever the content type.
   */
  parsers?: readonly BodyKind[];
  /** DRF's `renderer_classes`; a JSON-only view answers 406 to a client that accepts no JSON. Default both. */
  renderers?: readonly Renderer[];
  /** Headers added to every response of this view (e.g. `cache-control: no-store`). */
  headers?: Record<string, string>;
}

export interface View {
  readonly name: string;
  readonly allow: readonly string[];
  readonly headers: Readonly<Record<string, string>>;
  readonly renderers: readonly Renderer[];
  /** Runs the view: the pipeline, then the handler; never throws (errors are answers). */
  handle(req: AuthRequest, params?: Record<string, string>): Promise<ApiResponse>;
  /**
   * The view's answer to an error raised before it could run (a body over the
   * limit, a body the framework could not read), finished like every other
   * answer of the view (CORS, security headers).
   */
  fail(req: AuthRequest, error: unknown): ApiResponse;
}

/** Observes every answer of a view, with the request context when authentication ran to the end. */
export type ResponseObserver = (req: AuthRequest, ctx: RequestContext | null, res: ApiResponse) => void;

export interface ViewOptions {
  /** The policy a view inherits where its definition says nothing (DRF's `DEFAULT_*` settings). */
  defaults: Policy & { parsers?: readonly BodyKind[] };
  observe?: ResponseObserver;
  /** Answers a request before the view runs (a CORS preflight), or null. */
  intercept?: (req: AuthRequest) => ApiResponse | null;
  /** Runs on every answer, errors included (CORS headers, security headers, cookie repairs). */
  finish?: (req: AuthRequest, res: ApiResponse) => void;
}

const DEFAULT_PARSERS: readonly BodyKind[] = ['json', 'form', 'multipart'];
const DEFAULT_RENDERERS: readonly Renderer[] = ['json', 'html'];

/**
 * An API view: DRF's `APIView.dispatch` — pipeline, then the handler (405 for
 * a method it lacks, after authentication and permissions as in DRF), then
 * errors rendered by the one renderer.
 *
 * ```ts
 * const dashboard = createView({ name: 'Dashboard', permissions: [IsAuthenticated],
 *   handlers: { GET: (ctx) => jsonResponse(200, { message: `Hello ${ctx.user.username}` }) } }, { defaults });
 * ```
 */
export function createView<const P extends readonly Permission[] = readonly Permission[]>(
  definition: ViewDefinition<P>,
  options: ViewOptions,
): View {
  const { defaults, observe, intercept, finish } = options;
  const policy: Policy = {
    authenticators: definition.authenticators ?? defaults.authenticators,
    permissions: definition.permissions ?? defaults.permissions,
    throttles: definition.throttles ?? defaults.throttles,
    csrf: definition.csrf ?? defaults.csrf,
    alwaysCheckCsrf: definition.alwaysCheckCsrf ?? false,
    gate: definition.gate === undefined ? defaults.gate : definition.gate,
  };
  const handlers = definition.handlers as Partial<Record<ViewMethod, Handler>>;
  const parsers = definition.parsers ?? defaults.parsers ?? DEFAULT_PARSERS;
  const renderers = definition.renderers ?? DEFAULT_RENDERERS;
  const jsonOnly = !renderers.includes('html');
  const allow = [...VIEW_METHODS.filter((m) => handlers[m]), ...(handlers.GET ? ['HEAD'] : []), 'OPTIONS'];
  const headers = definition.headers ?? {};
  const readsSession = policy.authenticators.some((a) => a.enforcesCsrf);

  function complete(req: AuthRequest, res: ApiResponse): ApiResponse {
    res.headers.allow ??= allow.join(', ');
    for (const [name, value] of Object.entries(headers)) res.headers[name] ??= value;
    finish?.(req, res);
    return res;
  }

  async function handle(req: AuthRequest, params: Record<string, string> = {}): Promise<ApiResponse> {
    const early = intercept?.(req);
    if (early) return early;
    let res: ApiResponse;
    let seen: RequestContext | null = null;
    try {
      // DRF's perform_content_negotiation runs first in initial(): a JSON-only view refuses such a client.
      if (jsonOnly && !acceptsJson(header(req, 'accept'))) throw new NotAcceptable();
      const base = await runPipeline(req, policy, (ctx) => {
        seen = ctx;
      });
      const method = req.method === 'HEAD' ? 'GET' : req.method;
      let parsed: { value: unknown } | null = null;
      const ctx: ViewContext = {
        ...base,
        params,
        data() {
          parsed ??= { value: parseBody(req, parsers).data };
          return parsed.value;
        },
        checkObject: (obj) =>
          checkObjectPermissions(base, policy, obj).catch((e) => {
            throw challenge(e, req, policy.authenticators);
          }),
      };
      if (method === 'OPTIONS') res = jsonResponse(200, metadata(definition.name, parsers, renderers));
      else {
        const handler = handlers[method as ViewMethod];
        if (!handler) throw new MethodNotAllowed(req.method, allow);
        res = await handler(ctx);
      }
    } catch (error) {
      res = toResponse(challenge(error, req, policy.authenticators));
    }
    // Cookies the pipeline asked for (a stale session's deletion), on success and refusal alike.
    if (seen && (seen as RequestContext).cookies.length > 0)
      res.cookies.unshift(...(seen as RequestContext).cookies);
    // The session was consulted, so the answer depends on the cookie (DRF's `Vary: Cookie`).
    if (readsSession) res.headers.vary = addVary(res.headers.vary, 'Cookie');
    observe?.(req, seen, res);
    return complete(req, res);
  }

  function fail(req: AuthRequest, error: unknown): ApiResponse {
    return complete(req, toResponse(error));
  }

  return Object.freeze({ name: definition.name, allow, headers, renderers, handle, fail });
}

/** Whether an Accept header admits `application/json` (no header admits anything). */
function acceptsJson(accept: string | undefined): boolean {
  if (!accept) return true;
  if (accept.length > 4096) return false;
  return accept.split(',').some((part) => {
    const [type, ...params] = part.trim().toLowerCase().split(';');
    const q = params.find((p) => p.trim().startsWith('q='));
    if (q && Number(q.trim().slice(2)) === 0) return false;
    return ['application/json', 'application/*', '*/*'].includes(type.trim());
  });
}

const MEDIA_TYPES: Record<BodyKind, string> = {
  json: 'application/json',
  form: 'application/x-www-form-urlencoded',
  multipart: 'multipart/form-data',
};

function metadata(name: string, parsers: readonly BodyKind[], renderers: readonly Renderer[]): unknown {
  return {
    name,
    description: '',
    renders: renderers.map((r) => (r === 'json' ? 'application/json' : 'text/html')),
    parses: parsers.map((p) => MEDIA_TYPES[p]),
  };
}
