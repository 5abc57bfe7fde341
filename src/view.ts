import { MethodNotAllowed } from './errors.ts';
import { type BodyKind, parseBody } from './http/body.ts';
import { addVary } from './http/write.ts';
import { challenge, checkObjectPermissions, type Policy, runPipeline } from './pipeline.ts';
import type { AuthRequest } from './request.ts';
import { type ApiResponse, jsonResponse, toResponse } from './response.ts';
import type { RequestContext } from './types.ts';

/** What a handler sees: the authenticated request, its lazily parsed body, and object checks. */
export interface ViewContext extends RequestContext {
  /** DRF's `request.data`: parsed on first call; throws ParseError/UnsupportedMediaType. */
  data(): unknown;
  /** DRF's `check_object_permissions`. */
  checkObject(obj: unknown): Promise<void>;
  /** Path parameters from the router, e.g. `{ id: '3' }`. */
  readonly params: Readonly<Record<string, string>>;
}

export type Handler = (ctx: ViewContext) => ApiResponse | Promise<ApiResponse>;

export const VIEW_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type ViewMethod = (typeof VIEW_METHODS)[number];

export interface ViewDefinition extends Partial<Policy> {
  /** The endpoint's name, as the browsable API shows it ("Article List"). */
  name: string;
  handlers: Partial<Record<ViewMethod, Handler>>;
  /**
   * Body formats the view accepts; default JSON only, so a cross-site HTML form
   * (a CORS "simple" request) cannot reach it (CSRF-10). Login views add forms.
   */
  parsers?: readonly BodyKind[];
  /** Headers added to every response of this view (e.g. `cache-control: no-store`). */
  headers?: Record<string, string>;
}

export interface View {
  readonly name: string;
  readonly allow: readonly string[];
  readonly headers: Readonly<Record<string, string>>;
  handle(req: AuthRequest, params?: Record<string, string>): Promise<ApiResponse>;
}

/**
 * An API view: DRF's `APIView.dispatch` — pipeline, then the handler (405 for
 * a method it lacks, after authentication and permissions as in DRF), then
 * errors rendered by the one renderer.
 *
 * ```ts
 * const dashboard = createView({ name: 'Dashboard', ...policy, permissions: [IsAuthenticated],
 *   handlers: { GET: (ctx) => jsonResponse(200, { message: `Hello ${ctx.user!.username}` }) } });
 * ```
 */
/** Observes every answer of a view, with the request context when authentication ran to the end. */
export type ResponseObserver = (req: AuthRequest, ctx: RequestContext | null, res: ApiResponse) => void;

export function createView(definition: ViewDefinition, defaults: Policy, observe?: ResponseObserver): View {
  const policy: Policy = {
    authenticators: definition.authenticators ?? defaults.authenticators,
    permissions: definition.permissions ?? defaults.permissions,
    throttles: definition.throttles ?? defaults.throttles,
    csrf: definition.csrf ?? defaults.csrf,
    alwaysCheckCsrf: definition.alwaysCheckCsrf ?? false,
  };
  const handlers = definition.handlers;
  const allow = [...VIEW_METHODS.filter((m) => handlers[m]), ...(handlers.GET ? ['HEAD'] : []), 'OPTIONS'];
  const headers = definition.headers ?? {};
  const readsSession = policy.authenticators.some((a) => a.enforcesCsrf);

  async function handle(req: AuthRequest, params: Record<string, string> = {}): Promise<ApiResponse> {
    let res: ApiResponse;
    let seen: RequestContext | null = null;
    try {
      const base = await runPipeline(req, policy, (ctx) => {
        seen = ctx;
      });
      const method = req.method === 'HEAD' ? 'GET' : req.method;
      let parsed: { value: unknown } | null = null;
      const ctx: ViewContext = {
        ...base,
        params,
        data() {
          parsed ??= { value: parseBody(req, definition.parsers ?? ['json']).data };
          return parsed.value;
        },
        checkObject: (obj) =>
          checkObjectPermissions(base, policy, obj).catch((e) => {
            throw challenge(e, req, policy.authenticators);
          }),
      };
      if (method === 'OPTIONS') res = jsonResponse(200, metadata(definition));
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
    res.headers.allow ??= allow.join(', ');
    for (const [name, value] of Object.entries(headers)) res.headers[name] ??= value;
    observe?.(req, seen, res);
    return res;
  }

  return Object.freeze({ name: definition.name, allow, headers, handle });
}

function metadata(definition: ViewDefinition): unknown {
  return {
    name: definition.name,
    description: '',
    renders: ['application/json', 'text/html'],
    parses: (definition.parsers ?? ['json']).map(
      (p) =>
        ({
          json: 'application/json',
          form: 'application/x-www-form-urlencoded',
          multipart: 'multipart/form-data',
        })[p],
    ),
  };
}
