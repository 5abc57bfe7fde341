export { AllowAny } from './allow-any.ts';
export { IsAuthenticated } from './is-authenticated.ts';
export { IsAdminUser } from './is-admin-user.ts';
export { IsAuthenticatedOrReadOnly, SAFE_METHODS } from './is-authenticated-or-read-only.ts';
export { and, or, not } from './compose.ts';
