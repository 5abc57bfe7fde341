import { existsSync, readFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { AllowAny, type Gatehouse, type Route } from '../../src/index.ts';

const PUBLIC = new URL('../public/', import.meta.url);

// The gatehouse mark of the app's header, as the browser's tab icon.
const ICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><path fill="#2b4acb" d="M1 2h3v2h2V2h4v2h2V2h3v13h-5v-4a2 2 0 0 0-4 0v4H1z"/></svg>';

const SECURITY_HEADERS = {
  // data: images for the TOTP QR code, which /auth/mfa/totp/activate/ sends as a data URI.
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

/**
 * The app's script: the JavaScript the build wrote beside the page (the
 * installed package ships no TypeScript), or, in a checkout, app.ts stripped
 * of its types once at start-up by Node itself — no bundler, no stale build.
 */
function appScript(): string {
  const built = new URL('app.js', PUBLIC);
  if (existsSync(built)) return readFileSync(built, 'utf8');
  return stripTypeScriptTypes(readFileSync(new URL('app.ts', PUBLIC), 'utf8'));
}

/**
 * The single-page app at `/`. Its script is written in TypeScript and served
 * as JavaScript (see appScript), so `npm start` needs no bundler and nothing
 * is fetched from a CDN.
 */
export function spaRoutes(gh: Gatehouse): Route[] {
  // The app words sign-up by whether new accounts wait for their activation link.
  const html = readFileSync(new URL('index.html', PUBLIC), 'utf8').replace(
    '<title>',
    `<meta name="gatehouse-send-activation-email" content="${gh.accountFlows.sendActivationEmail ? 1 : 0}">\n<title>`,
  );
  const css = readFileSync(new URL('app.css', PUBLIC), 'utf8');
  const js = appScript();
  const file = (name: string, type: string, text: string) =>
    gh.view({
      name,
      authenticators: [],
      permissions: [AllowAny],
      throttles: [],
      headers: { ...SECURITY_HEADERS, 'content-type': type, 'cache-control': 'no-cache' },
      handlers: { GET: () => ({ status: 200, headers: {}, cookies: [], text }) },
    });
  return [
    { name: 'spa', path: '/', view: file('App', 'text/html; charset=utf-8', html), group: 'pages' },
    {
      name: 'spa-app-js',
      path: '/app.js',
      view: file('App script', 'text/javascript; charset=utf-8', js),
      group: 'pages',
    },
    {
      name: 'spa-app-css',
      path: '/app.css',
      view: file('App styles', 'text/css; charset=utf-8', css),
      group: 'pages',
    },
    {
      name: 'spa-favicon-ico',
      path: '/favicon.ico',
      view: file('Icon', 'image/svg+xml', ICON),
      group: 'pages',
    },
  ];
}
