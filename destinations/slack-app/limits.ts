import { TokenBucket, type BucketSettings } from '../../core/port/rate-limiter.ts';
import type { WebApiMethod } from './web-api.ts';

/**
 * Slack's Web API limits per method, as documented: `chat.postMessage` about 1 message per second
 * per channel (short bursts allowed); `chat.update` Tier 3 (50+ per minute); the file methods
 * Tier 4 (100+ per minute); `usergroups.users.list` Tier 2 (20+ per minute, used by triage); `views.open` and `views.update` Tier 4 (100+ per minute, triage's modals). Tiers count per method and workspace (here: per destination, whose bot
 * token is one app in one workspace); `chat.postMessage` per channel.
 */
export const WEB_API_LIMITS = {
  'chat.postMessage': { perMinute: 60, scope: 'channel' },
  'chat.update': { perMinute: 50, scope: 'workspace' },
  'files.getUploadURLExternal': { perMinute: 100, scope: 'workspace' },
  'files.completeUploadExternal': { perMinute: 100, scope: 'workspace' },
  'usergroups.users.list': { perMinute: 20, scope: 'workspace' },
  'views.open': { perMinute: 100, scope: 'workspace' },
  'views.update': { perMinute: 100, scope: 'workspace' },
} as const satisfies Record<WebApiMethod, { readonly perMinute: number; readonly scope: 'channel' | 'workspace' }>;

/**
 * The token buckets of one consumer instance for app destinations: one per destination and method,
 * kept for the life of the instance, so 429 pauses and spent tokens carry over between invocations.
 * `chat.postMessage` follows `delivery.messagesPerSecond` and `burst` like a webhook; the others
 * their tier, with a burst of a tenth of a minute's calls. Every bucket is scaled by `instanceShare`
 * (`1 / maxConcurrency` in Lambda), so the instances together stay within Slack's limits.
 */
export class WebApiLimiters {
  readonly #buckets = new Map<string, TokenBucket>();
  readonly #settings: Readonly<Record<WebApiMethod, BucketSettings>>;

  constructor(post: { readonly messagesPerSecond: number; readonly burst: number }, instanceShare: number) {
    const share = instanceShare > 0 && instanceShare <= 1 ? instanceShare : 1;
    const tier = (perMinute: number): BucketSettings => ({
      ratePerSecond: (perMinute / 60) * share,
      capacity: Math.max(1, Math.floor((perMinute / 10) * share)),
    });
    this.#settings = {
      'chat.postMessage': {
        ratePerSecond: post.messagesPerSecond * share,
        capacity: Math.max(1, Math.floor(post.burst * share)),
      },
      'chat.update': tier(WEB_API_LIMITS['chat.update'].perMinute),
      'files.getUploadURLExternal': tier(WEB_API_LIMITS['files.getUploadURLExternal'].perMinute),
      'files.completeUploadExternal': tier(WEB_API_LIMITS['files.completeUploadExternal'].perMinute),
      'usergroups.users.list': tier(WEB_API_LIMITS['usergroups.users.list'].perMinute),
      'views.open': tier(WEB_API_LIMITS['views.open'].perMinute),
      'views.update': tier(WEB_API_LIMITS['views.update'].perMinute),
    };
  }

  /** The bucket of `method` for `destination`. */
  bucket(destination: string, method: WebApiMethod, nowMs: number): TokenBucket {
    const key = `${destination}\n${method}`;
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(this.#settings[method], nowMs);
      this.#buckets.set(key, bucket);
    }
    return bucket;
  }

  /** The settings of `method`'s buckets. */
  settings(method: WebApiMethod): BucketSettings {
    return this.#settings[method];
  }
}
