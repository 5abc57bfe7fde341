export { parseRate, type Rate } from './rate.ts';
export { RateThrottle, AnonRateThrottle, UserRateThrottle, ScopedRateThrottle } from './rate-throttle.ts';
export { LoginThrottle, type LoginThrottleOptions } from './login-throttle.ts';
