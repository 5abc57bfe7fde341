import { drfDate, type User } from '../src/index.ts';
import type { Article } from './articles/types.ts';

/** The staff listing's row (`/api/admin/users/`). */
export function adminUserJson(user: User) {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    is_staff: user.isStaff,
    is_active: user.isActive,
    date_joined: drfDate(user.dateJoined),
    last_login: drfDate(user.lastLogin),
  };
}

/** An article as the DRF tutorial's serializer renders it (`author` is the username). */
export function articleJson(article: Article, author: string) {
  return {
    id: article.id,
    title: article.title,
    body: article.body,
    author,
    created: drfDate(article.created),
  };
}
