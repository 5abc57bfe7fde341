export { type LoginAttempt, LoginThrottle, type LoginThrottleOptions } from './login-throttle.ts';
export { parseRate, type Rate } from './rate.ts';
export { AnonRateThrottle, RateThrottle, ScopedRateThrottle, UserRateThrottle } from './rate-throttle.ts';
