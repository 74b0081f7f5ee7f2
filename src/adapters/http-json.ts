/**
 * What the HTTP data providers share (Finnhub and Marketaux news, Polygon
 * market data): a token-bucket rate limiter on an
 * injectable clock (so a test can watch it space calls without waiting a
 * minute), a JSON GET with retries and exponential backoff on 429, 5xx and
 * network errors (honouring Retry-After), zod parsing at the boundary, and
 * errors whose messages never carry the API key (it travels as a query
 * parameter, so every URL in a message is redacted).
 */
import type { z } from 'zod';
import { QuantError } from '../domain/errors';

/** Time as the limiter and the retries see it. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

/** The few logger methods the providers use; a Temporal `Logger` fits. */
export interface ProviderLogger {
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
}

/** Default logger: one JSON line on stderr (the worker passes its own). */
export const stderrProviderLogger: ProviderLogger = {
  info: (msg, meta) => process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'info', msg, ...meta })}\n`),
  warn: (msg, meta) => process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'warn', msg, ...meta })}\n`),
};

export type ProviderErrorKind = 'rate_limited' | 'server' | 'network' | 'client' | 'auth' | 'malformed';

/**
 * A provider request that failed. `retryable` says whether trying again later can
 * help (429, 5xx, network) or not (bad key, bad request, a body that does not
 * parse). The message names provider, symbol and the redacted URL.
 */
export class ProviderHttpError extends QuantError {
  readonly type = 'ProviderHttpError';
  constructor(
    message: string,
    readonly provider: string,
    readonly kind: ProviderErrorKind,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ProviderHttpError';
  }
}

const SECRET_PARAMS = /([?&](?:token|api_token|apikey|api_key|key)=)[^&#\s]*/gi;

/**
 * Remove secrets from text: values of token-like query parameters, and every
 * literal occurrence of the given secrets (also URL-encoded).
 *
 * @example
 *   redactSecrets('GET https://x/news?symbol=A&token=abc123', ['abc123']) // 'GET https://x/news?symbol=A&token=***'
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text.replace(SECRET_PARAMS, '$1***');
  for (const s of secrets) {
    if (!s) continue;
    out = out.split(s).join('***');
    const enc = encodeURIComponent(s);
    if (enc !== s) out = out.split(enc).join('***');
  }
  return out;
}

export interface TokenBucketOptions {
  /** Tokens added per minute (the provider's rate limit). */
  perMinute: number;
  /** Bucket size: calls allowed back to back after a quiet spell. Default 1, i.e. strict spacing of 60/perMinute s. */
  burst?: number;
  clock?: Clock;
}

/**
 * A token bucket: starts full (`burst` tokens), refills at perMinute/60 000
 * tokens per ms, and each `take()` waits (on the clock) until a whole token is
 * there. Concurrent takers are served in call order.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly ratePerMs: number;
  private readonly capacity: number;
  private readonly clock: Clock;
  private queue: Promise<void> = Promise.resolve();

  constructor(options: TokenBucketOptions) {
    if (!(options.perMinute > 0)) throw new RangeError(`perMinute must be positive, got ${options.perMinute}`);
    this.capacity = Math.max(1, options.burst ?? 1);
    this.ratePerMs = options.perMinute / 60_000;
    this.clock = options.clock ?? systemClock;
    this.tokens = this.capacity;
    this.last = this.clock.now();
  }

  /** Wait for a token and consume it. */
  take(): Promise<void> {
    const next = this.queue.then(async () => {
      this.refill();
      if (this.tokens < 1) {
        await this.clock.sleep(Math.ceil((1 - this.tokens) / this.ratePerMs));
        this.refill();
        // A clock that slept a little short still grants the token: the wait was computed for it.
        if (this.tokens < 1) this.tokens = 1;
      }
      this.tokens -= 1;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.ratePerMs);
    this.last = now;
  }
}

export interface RetryPolicy {
  /** Total attempts including the first. Default 4. */
  maxAttempts?: number;
  /** First backoff; doubles each retry. Default 1000 ms. */
  baseDelayMs?: number;
  /** Cap on one backoff or Retry-After wait. Default 30 000 ms. */
  maxDelayMs?: number;
  /** Per-request timeout. Default 15 000 ms. */
  timeoutMs?: number;
}

export interface GetJsonOptions<T> {
  provider: string;
  /** What is being fetched, for messages, e.g. `company news AAPL 2025-01-01..2025-01-07`. */
  what: string;
  url: URL;
  schema: z.ZodType<T>;
  secrets: readonly (string | undefined)[];
  limiter?: TokenBucket;
  retry?: RetryPolicy;
  clock?: Clock;
  fetch?: typeof fetch;
  logger?: ProviderLogger;
}

function retryAfterMs(header: string | null, clock: Clock): number | undefined {
  if (!header) return undefined;
  const secs = Number(header);
  if (Number.isFinite(secs) && secs >= 0) return secs * 1000;
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - clock.now()) : undefined;
}

/**
 * GET a JSON document and parse it with `schema`. Retries 429, 5xx and
 * network failures with exponential backoff (or the server's Retry-After),
 * each attempt taking a limiter token first. Throws ProviderHttpError with
 * the key redacted.
 */
export async function getJson<T>(o: GetJsonOptions<T>): Promise<T> {
  const clock = o.clock ?? systemClock;
  const doFetch = o.fetch ?? fetch;
  const maxAttempts = Math.max(1, o.retry?.maxAttempts ?? 4);
  const base = o.retry?.baseDelayMs ?? 1000;
  const cap = o.retry?.maxDelayMs ?? 30_000;
  const timeoutMs = o.retry?.timeoutMs ?? 15_000;
  const where = redactSecrets(`${o.url.origin}${o.url.pathname}${o.url.search}`, o.secrets);
  const fail = (msg: string, kind: ProviderErrorKind, retryable: boolean, status?: number) =>
    new ProviderHttpError(redactSecrets(`${o.provider}: ${o.what}: ${msg} (GET ${where})`, o.secrets), o.provider, kind, retryable, status);

  let lastError: ProviderHttpError | undefined;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    await o.limiter?.take();
    let res: Response;
    let text: string;
    try {
      res = await doFetch(o.url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
      text = await res.text();
    } catch (err) {
      const cause =
        err instanceof Error ? `${err.name}: ${err.message}${err.cause instanceof Error ? ` (${err.cause.message})` : ''}` : String(err);
      lastError = fail(`request failed: ${cause}`, 'network', true);
      if (attempt < maxAttempts) {
        const wait = Math.min(cap, base * 2 ** (attempt - 1));
        o.logger?.warn('provider request failed, retrying', {
          provider: o.provider,
          what: o.what,
          attempt,
          waitMs: wait,
          error: lastError.message,
        });
        await clock.sleep(wait);
      }
      continue;
    }
    if (res.status === 429 || res.status >= 500) {
      lastError = fail(
        `HTTP ${res.status}${res.status === 429 ? ' (rate limited)' : ''}: ${text.slice(0, 200)}`,
        res.status === 429 ? 'rate_limited' : 'server',
        true,
        res.status,
      );
      if (attempt < maxAttempts) {
        const wait = Math.min(cap, retryAfterMs(res.headers.get('retry-after'), clock) ?? base * 2 ** (attempt - 1));
        o.logger?.warn('provider request got a transient error, retrying', {
          provider: o.provider,
          what: o.what,
          status: res.status,
          attempt,
          waitMs: wait,
        });
        await clock.sleep(wait);
      }
      continue;
    }
    if (res.status === 401 || res.status === 403)
      throw fail(`HTTP ${res.status}: the API key was refused: ${text.slice(0, 200)}`, 'auth', false, res.status);
    if (res.status < 200 || res.status >= 300) throw fail(`HTTP ${res.status}: ${text.slice(0, 200)}`, 'client', false, res.status);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw fail(`response is not JSON: ${JSON.stringify(text.slice(0, 120))}`, 'malformed', false, res.status);
    }
    const parsed = o.schema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw fail(`unexpected response shape at ${issue.path.join('.') || '(root)'}: ${issue.message}`, 'malformed', false, res.status);
    }
    return parsed.data;
  }
  throw lastError ?? fail('no attempt made', 'network', true);
}

/** [from 00:00:00.000, to 23:59:59.999] UTC in epoch ms for YYYY-MM-DD dates; throws on a bad date or from > to. */
export function dayRange(provider: string, from: string, to: string): { start: number; end: number } {
  const day = /^\d{4}-\d{2}-\d{2}$/;
  const start = day.test(from) ? Date.parse(`${from}T00:00:00.000Z`) : NaN;
  const end = day.test(to) ? Date.parse(`${to}T23:59:59.999Z`) : NaN;
  if (!Number.isFinite(start) || !Number.isFinite(end))
    throw new ProviderHttpError(`${provider}: dates must be YYYY-MM-DD, got ${from}..${to}`, provider, 'client', false);
  if (start > end) throw new ProviderHttpError(`${provider}: from ${from} is after to ${to}`, provider, 'client', false);
  return { start, end };
}

/** A symbol as the providers accept it (letters, digits, '.', '-', '^', '='); throws otherwise. */
export function checkSymbol(provider: string, symbol: string): string {
  if (!/^[A-Za-z0-9.^=-]{1,20}$/.test(symbol))
    throw new ProviderHttpError(`${provider}: invalid symbol ${JSON.stringify(symbol)}`, provider, 'client', false);
  return symbol.toUpperCase();
}

/** Options every HTTP news provider takes: its key, endpoint, rate limit and the injectable parts tests replace. */
export interface HttpNewsProviderOptions {
  /** Secret. */
  apiKey: string;
  /** The provider's API base URL (tests point it at a loopback server). */
  baseUrl?: string;
  /** Calls per minute. Default 60. */
  perMinute?: number;
  /** Calls allowed back to back. Default 1. */
  burst?: number;
  retry?: RetryPolicy;
  clock?: Clock;
  fetch?: typeof fetch;
  logger?: ProviderLogger;
}
