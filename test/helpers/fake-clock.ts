/** The fake clock lives in the package's `./testing` subpath now; this re-export keeps old imports working. */
export { createFakeClock, type FakeClock } from '../../src/testing/fake-clock.ts';
