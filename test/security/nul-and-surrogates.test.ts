/**
 * Issue 8.7: on PostgreSQL a NUL byte in the browsable login's username
 * answered 500 (the field skipped charFields, and PostgreSQL's text refuses
 * NUL). Every field of every form now goes through the same validation, and
 * path parameters that no store can hold name nothing. A NUL and a lone
 * surrogate go into every field of every form, the `next` parameter and every
 * path parameter: each answers 4xx, a re-rendered form, or (for `next`) a
 * redirect to `/`, never 5xx, on SQLite and on PostgreSQL.
 *
 * A form body cannot carry a lone surrogate (UTF-8 has none); it gets the
 * bytes a CESU-8 encoder would send (ED A0 80) instead, as does a URL. JSON
 * carries the real thing (`"\ud800"`).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import type { SecurityEvent } from '#gatehouse';
import { makeApp, type Reply, type TestApp } from '../helpers/app.ts';

const PASSWORD = 'Pw-12345678';
const TOKEN = /name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"/;
const PG_URL = process.env.GATEHOUSE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const NUL = 'a\u0000b';
const SURROGATE = 'a\ud800b';
// What a form or a URL carries where JSON would carry U+D800: its CESU-8 bytes.
const SURROGATE_BYTES = 'a%ED%A0%80b';

/** JSON endpoints and the fields each validates; the other fields are valid. */
const JSON_FORMS: {
  method: string;
  path: string;
  auth: 'csrf' | 'token' | 'none';
  fields: Record<string, string>;
}[] = [
  {
    method: 'POST',
    path: '/api/register/',
    auth: 'csrf',
    fields: { username: 'newbie', password: 'Pw-87654321', email: 'n@example.com' },
  },
  { method: 'POST', path: '/api/login/', auth: 'csrf', fields: { username: 'alice', password: PASSWORD } },
  {
    method: 'POST',
    path: '/api/password/change/',
    auth: 'token',
    fields: { old_password: PASSWORD, new_password: 'Pw-87654321' },
  },
  {
    method: 'POST',
    path: '/api-token-auth/',
    auth: 'none',
    fields: { username: 'alice', password: PASSWORD },
  },
  { method: 'POST', path: '/api/tokens/', auth: 'token', fields: { name: 'laptop', expires_in: '3600' } },
  { method: 'POST', path: '/api/token/', auth: 'none', fields: { username: 'alice', password: PASSWORD } },
  { method: 'POST', path: '/api/token/refresh/', auth: 'none', fields: { refresh: 'x' } },
  { method: 'POST', path: '/api/token/verify/', auth: 'none', fields: { token: 'x' } },
  { method: 'POST', path: '/api/token/blacklist/', auth: 'none', fields: { refresh: 'x' } },
  { method: 'POST', path: '/api/articles/', auth: 'token', fields: { title: 'Title', body: 'Body' } },
  { method: 'PUT', path: '/api/articles/<id>/', auth: 'token', fields: { title: 'Title', body: 'Body' } },
  { method: 'PATCH', path: '/api/articles/<id>/', auth: 'token', fields: { title: 'Title', body: 'Body' } },
];

function suite(backend: string, options: { skip?: string; databaseUrl?: () => string }) {
  describe(`issue 8.7: a NUL or a lone surrogate in any field is a 4xx, never a 5xx (${backend})`, {
    skip: options.skip,
  }, () => {
    let t: TestApp;
    let token: string;
    let articleId: number;
    const events: SecurityEvent[] = [];

    before(async () => {
      t = await makeApp({
        env: options.databaseUrl ? { DATABASE_URL: options.databaseUrl() } : {},
        securityLog: (event) => events.push(event),
      });
      await t.user('alice');
      const c = t.client();
      token = (
        await c.request('POST', '/api-token-auth/', { json: { username: 'alice', password: PASSWORD } })
      ).json.token;
      articleId = (
        await c.request('POST', '/api/articles/', {
          json: { title: 'Hello', body: 'World' },
          headers: { authorization: `Token ${token}` },
        })
      ).json.id;
    });
    after(() => t?.close());

    test(`issue 8.7: every field of every JSON form answers 400 with DRF's message (${backend})`, async () => {
      for (const form of JSON_FORMS) {
        for (const field of Object.keys(form.fields)) {
          for (const [bad, message] of [
            [NUL, 'Null characters are not allowed.'],
            [SURROGATE, 'Surrogate characters are not allowed: U+D800.'],
          ]) {
            const c = t.client();
            if (form.auth === 'csrf') await c.primeCsrf();
            const res = await c.request(form.method, form.path.replace('<id>', String(articleId)), {
              json: { ...form.fields, [field]: bad },
              csrf: form.auth === 'csrf',
              headers: form.auth === 'token' ? { authorization: `Token ${token}` } : {},
            });
            const where = `${form.method} ${form.path} ${field}=${JSON.stringify(bad)}`;
            assert.equal(res.status, 400, `${where}: ${res.status} ${res.body}`);
            const expected = field === 'expires_in' ? 'A valid integer is required.' : message;
            assert.deepEqual(res.json[field], [expected], `${where}: ${res.body}`);
          }
        }
      }
    });

    async function loginPage(c = t.client()) {
      const page = await c.request('GET', '/api-auth/login/');
      return { c, csrfmiddlewaretoken: TOKEN.exec(page.body)![1] };
    }

    /** Posts a form body as a browser would, `raw` already encoded. */
    function postForm(c: ReturnType<TestApp['client']>, path: string, raw: string): Promise<Reply> {
      return c.request('POST', path, {
        body: raw,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
    }

    const encoded = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

    test(`issue 8.7: the browsable login re-renders the form for a NUL in either field, and looks nothing up (${backend})`, async () => {
      for (const field of ['username', 'password']) {
        const { c, csrfmiddlewaretoken } = await loginPage();
        const before = events.length;
        const res = await postForm(
          c,
          '/api-auth/login/',
          encoded({ username: 'alice', password: PASSWORD, csrfmiddlewaretoken, [field]: NUL }),
        );
        assert.equal(res.status, 200, `${field}: ${res.status} ${res.body.slice(0, 300)}`);
        assert.match(String(res.headers['content-type']), /^text\/html/);
        assert.match(res.body, /<p class="error">Null characters are not allowed\.<\/p>/);
        assert.match(res.body, /name="csrfmiddlewaretoken"/);
        assert.ok(!res.setCookies.some((line) => line.startsWith('sessionid=')), field);
        // No credential check ran: no login_failed, no login.
        assert.deepEqual(
          events.slice(before).map((e) => e.event),
          [],
        );
      }
    });

    test(`issue 8.7: an empty or over-long username re-renders the form with Django's messages (${backend})`, async () => {
      const { c, csrfmiddlewaretoken } = await loginPage();
      const empty = await postForm(
        c,
        '/api-auth/login/',
        encoded({ username: '  ', password: '', csrfmiddlewaretoken }),
      );
      assert.equal(empty.status, 200);
      assert.equal(empty.body.match(/<p class="error">This field is required\.<\/p>/g)?.length, 2);
      const long = await postForm(
        c,
        '/api-auth/login/',
        encoded({ username: 'a'.repeat(151), password: PASSWORD, csrfmiddlewaretoken }),
      );
      assert.equal(long.status, 200);
      assert.match(long.body, /<p class="error">Ensure this field has no more than 150 characters\.<\/p>/);
    });

    test(`issue 8.7: every other form field, the next parameter and path parameters are never a 5xx (${backend})`, async () => {
      const checks: [string, Reply, number][] = [];
      // A NUL makes `next` unsafe (a control character): `/`. The surrogate's bytes decode to three
      // U+FFFD, a relative path, encoded back as iri_to_uri does.
      for (const [bad, location] of [
        [encodeURIComponent(NUL), '/'],
        [SURROGATE_BYTES, 'a%EF%BF%BD%EF%BF%BD%EF%BF%BDb'],
      ]) {
        // The browsable login: the surrogate's bytes arrive as U+FFFD, a wrong username or password.
        for (const field of ['username', 'password']) {
          const { c, csrfmiddlewaretoken } = await loginPage();
          const fields = encoded({ username: 'alice', password: PASSWORD, csrfmiddlewaretoken }).replace(
            new RegExp(`${field}=[^&]*`),
            `${field}=${bad}`,
          );
          checks.push([`login ${field}=${bad}`, await postForm(c, '/api-auth/login/', fields), 200]);
        }
        {
          const { c, csrfmiddlewaretoken } = await loginPage();
          const raw = `${encoded({ username: 'alice', password: PASSWORD, csrfmiddlewaretoken })}&next=${bad}`;
          const res = await postForm(c, '/api-auth/login/', raw);
          checks.push([`login next=${bad}`, res, 302]);
          assert.equal(res.headers.location, location);
          const logout = await postForm(
            c,
            `/api-auth/logout/?next=${bad}`,
            encoded({ csrfmiddlewaretoken: c.csrf! }),
          );
          checks.push([`logout ?next=${bad}`, logout, 302]);
          assert.equal(logout.headers.location, location);
        }
        {
          const { c } = await loginPage();
          await c
            .request('GET', `/api-auth/login/?next=${bad}`)
            .then((r) => checks.push([`GET login ?next=${bad}`, r, 200]));
          const raw = `csrfmiddlewaretoken=${bad}&${encoded({ username: 'alice', password: PASSWORD })}`;
          checks.push([`login csrfmiddlewaretoken=${bad}`, await postForm(c, '/api-auth/login/', raw), 403]);
          checks.push([
            `logout csrfmiddlewaretoken=${bad}`,
            await postForm(c, '/api-auth/logout/', `csrfmiddlewaretoken=${bad}`),
            403,
          ]);
          const logout = await postForm(c, '/api-auth/logout/', `csrfmiddlewaretoken=${c.csrf}&next=${bad}`);
          checks.push([`logout next=${bad}`, logout, 302]);
        }
        const auth = { authorization: `Token ${token}` };
        for (const [method, resource] of [
          ['DELETE', 'sessions'],
          ['DELETE', 'tokens'],
          ['GET', 'articles'],
          ['PUT', 'articles'],
          ['PATCH', 'articles'],
          ['DELETE', 'articles'],
        ]) {
          const res = await t.client().request(method, `/api/${resource}/${bad}/`, {
            headers: auth,
            ...(method === 'PUT' || method === 'PATCH' ? { json: { title: 'T', body: 'B' } } : {}),
          });
          checks.push([`${method} /api/${resource}/${bad}/`, res, 404]);
        }
      }
      const wrong = checks
        .filter(([, res, status]) => res.status !== status)
        .map(
          ([what, res, status]) => `${what}: ${res.status} (expected ${status}) ${res.body.slice(0, 120)}`,
        );
      assert.deepEqual(wrong, []);
    });
  });
}

suite('SQLite', {});

// PostgreSQL: a database of its own, dropped after. Runs when GATEHOUSE_TEST_POSTGRES=1 (as `npm test` sets it).
{
  const database = `gh_nul_${randomBytes(4).toString('hex')}`;
  const url = new URL(PG_URL);
  url.pathname = `/${database}`;
  const skip = process.env.GATEHOUSE_TEST_POSTGRES === '1' ? undefined : 'needs GATEHOUSE_TEST_POSTGRES=1';
  describe('PostgreSQL database for issue 8.7', { skip }, () => {
    const admin = new pg.Client({ connectionString: PG_URL });
    before(async () => {
      await admin.connect();
      await admin.query(`CREATE DATABASE ${database}`);
    });
    after(async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    });
    suite('PostgreSQL', { databaseUrl: () => url.toString() });
  });
}
