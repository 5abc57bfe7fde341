export { AllowAny } from './allow-any.ts';
export { and, not, or } from './compose.ts';
export { IsAdminUser } from './is-admin-user.ts';
export { IsAuthenticated } from './is-authenticated.ts';
export { IsAuthenticatedOrReadOnly, SAFE_METHODS } from './is-authenticated-or-read-only.ts';
