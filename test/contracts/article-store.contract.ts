import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ArticleStore, UserStore } from '../../src/stores/types.ts';
import { type MakeFixture, makeUser } from './fixture.ts';

/**
 * The ArticleStore contract (the reference server's example resource), run on every backend.
 *
 * ```ts
 * articleStoreContract('memory', async () => { const s = createMemoryStores(); return { store: s.articles, users: s.users, close: s.close }; });
 * ```
 */
export function articleStoreContract(name: string, make: MakeFixture<ArticleStore>): void {
  describe(`ArticleStore contract: ${name}`, () => {
    let articles: ArticleStore;
    let users: UserStore;
    let close: () => Promise<void>;
    before(async () => ({ store: articles, users, close } = await make()));
    after(() => close());

    test('create assigns an id; get returns the article; unknown ids are null', async () => {
      const author = await makeUser(users);
      const a = await articles.create({ title: 'Hello', body: 'World', authorId: author.id, created: 10 });
      assert.equal(typeof a.id, 'number');
      assert.deepEqual(a, { id: a.id, title: 'Hello', body: 'World', authorId: author.id, created: 10 });
      assert.deepEqual(await articles.get(a.id), a);
      assert.equal(await articles.get(987654321), null);
    });

    test('list is newest first, ties broken by the later id', async () => {
      const author = await makeUser(users);
      const old = await articles.create({ title: 'old', body: '', authorId: author.id, created: 100 });
      const newest = await articles.create({ title: 'new', body: '', authorId: author.id, created: 300 });
      const tieA = await articles.create({ title: 'tie a', body: '', authorId: author.id, created: 200 });
      const tieB = await articles.create({ title: 'tie b', body: '', authorId: author.id, created: 200 });
      const list = await articles.list();
      const mine = list.filter((a) => a.authorId === author.id).map((a) => a.id);
      assert.deepEqual(mine, [newest.id, tieB.id, tieA.id, old.id]);
      for (let i = 1; i < list.length; i++) assert.ok(list[i - 1].created >= list[i].created);
    });

    test('update changes only the given fields; unknown ids are null', async () => {
      const author = await makeUser(users);
      const a = await articles.create({ title: 'T', body: 'B', authorId: author.id, created: 1 });
      assert.deepEqual(await articles.update(a.id, { title: 'T2' }), { ...a, title: 'T2' });
      assert.deepEqual(await articles.update(a.id, { body: 'B2' }), { ...a, title: 'T2', body: 'B2' });
      assert.deepEqual(await articles.update(a.id, {}), { ...a, title: 'T2', body: 'B2' });
      assert.deepEqual(await articles.get(a.id), { ...a, title: 'T2', body: 'B2' });
      assert.equal(await articles.update(987654321, { title: 'x' }), null);
    });

    test('delete removes the article once', async () => {
      const author = await makeUser(users);
      const a = await articles.create({ title: 'T', body: 'B', authorId: author.id, created: 1 });
      assert.equal(await articles.delete(a.id), true);
      assert.equal(await articles.get(a.id), null);
      assert.equal(await articles.delete(a.id), false);
    });

    test('returned records are copies', async () => {
      const author = await makeUser(users);
      const a = await articles.create({ title: 'T', body: 'B', authorId: author.id, created: 1 });
      a.title = 'mutated';
      (await articles.get(a.id))!.body = 'mutated';
      assert.deepEqual(await articles.get(a.id), { ...a, title: 'T', body: 'B' });
    });
  });
}
