/**
 * The one object-store interface every adapter implements (filesystem, S3).
 * Keys are S3-style (`a/b/c.parquet`) and are validated the same way by every
 * implementation, so a key that works on a laptop works on MinIO.
 */
import { QuantError } from '../../domain/errors';

export interface ObjectStore {
  readonly bucket: string;
  /** Write (or overwrite) an object. Idempotent: the same put twice leaves one object. */
  put(key: string, body: Uint8Array | string, opts?: { contentType?: string }): Promise<void>;
  /** The whole object. Throws ObjectNotFoundError when absent. */
  get(key: string): Promise<Uint8Array>;
  /** `length` bytes from `offset` (fewer at the end of the object). Throws ObjectNotFoundError when absent. */
  getRange(key: string, offset: number, length: number): Promise<Uint8Array>;
  /** Size in bytes. Throws ObjectNotFoundError when absent. */
  size(key: string): Promise<number>;
  exists(key: string): Promise<boolean>;
  /** When the object was last written (S3: whole seconds). Throws ObjectNotFoundError when absent. */
  modifiedAt(key: string): Promise<Date>;
  /** Every key starting with `prefix` (a plain string prefix, '' for all), sorted. */
  list(prefix: string): Promise<string[]>;
  /** Remove an object; removing an absent object is not an error. */
  delete(key: string): Promise<void>;
  /** Human-facing location, e.g. file:///abs/path or s3://bucket/key */
  locate(key: string): string;
}

export class ObjectNotFoundError extends QuantError {
  readonly type = 'ObjectNotFound';
  readonly retryable = true;
  constructor(
    readonly key: string,
    where?: string,
  ) {
    super(`object not found: ${key}${where ? ` (${where})` : ''}`);
    this.name = 'ObjectNotFoundError';
  }
}

/**
 * The store itself cannot be reached or used (the fs bucket is not a usable
 * directory, permission denied): an outage, retried through the outage
 * window, never mistaken for a missing object.
 */
export class ObjectStoreUnavailableError extends QuantError {
  readonly type = 'ObjectStoreUnavailable';
  readonly retryable = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ObjectStoreUnavailableError';
  }
}

export class InvalidObjectKeyError extends QuantError {
  readonly type = 'InvalidObjectKey';
  readonly retryable = false;
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`invalid object key ${JSON.stringify(key)}: ${reason}`);
    this.name = 'InvalidObjectKeyError';
  }
}

/**
 * Throw InvalidObjectKeyError unless `key` is a relative, normalised,
 * slash-separated path: no leading or trailing slash, no empty, `.` or `..`
 * segments, no backslashes or control characters, at most 1024 bytes (the S3
 * limit). The same rule on every store keeps the fs layout equal to S3's.
 */
export function assertValidKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0) throw new InvalidObjectKeyError(String(key), 'empty');
  if (Buffer.byteLength(key, 'utf8') > 1024) throw new InvalidObjectKeyError(key, 'longer than 1024 bytes');
  if (key.startsWith('/')) throw new InvalidObjectKeyError(key, 'leading slash');
  if (key.endsWith('/')) throw new InvalidObjectKeyError(key, 'trailing slash');
  if (/[\u0000-\u001f\u007f\\]/.test(key)) throw new InvalidObjectKeyError(key, 'control character or backslash');
  for (const seg of key.split('/')) {
    if (seg === '') throw new InvalidObjectKeyError(key, 'empty path segment');
    if (seg === '.' || seg === '..') throw new InvalidObjectKeyError(key, `"${seg}" segment`);
  }
}

/** A list prefix is '' or a key-like string that may end with '/'. */
export function assertValidPrefix(prefix: string): void {
  if (prefix === '') return;
  assertValidKey(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix);
}

export function toBytes(body: Uint8Array | string): Uint8Array {
  return typeof body === 'string' ? new TextEncoder().encode(body) : body;
}

export function assertRange(key: string, offset: number, length: number): void {
  if (!Number.isInteger(offset) || offset < 0)
    throw new RangeError(`getRange ${key}: offset must be a non-negative integer, got ${offset}`);
  if (!Number.isInteger(length) || length < 0)
    throw new RangeError(`getRange ${key}: length must be a non-negative integer, got ${length}`);
}
