/** Stage throttling as a token bucket: `rateLimit` requests per second, bursts up to `burstLimit`. */

export interface ThrottleSettings {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

export interface Throttle {
  /** True if the request may pass; false means 429 THROTTLED. */
  take(): boolean;
}

export function createThrottle(settings: ThrottleSettings, now: () => number = Date.now): Throttle {
  if (settings.rateLimit <= 0 || settings.burstLimit < 1) throw new Error("throttle: rateLimit must be > 0 and burstLimit >= 1");
  let tokens = settings.burstLimit;
  let last = now();
  return {
    take(): boolean {
      const t = now();
      tokens = Math.min(settings.burstLimit, tokens + ((t - last) / 1000) * settings.rateLimit);
      last = t;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}
