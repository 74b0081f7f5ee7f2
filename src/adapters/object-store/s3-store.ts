/**
 * S3 object store on @aws-sdk/client-s3, path-style by default so it works
 * against MinIO and other S3-compatible servers on any endpoint. Same key
 * rules and errors as the filesystem store (the shared contract suite runs
 * against both); a missing object maps to ObjectNotFoundError.
 */
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { ObjectNotFoundError, assertRange, assertValidKey, assertValidPrefix, toBytes, type ObjectStore } from './types';

export interface S3ObjectStoreOptions {
  /** e.g. http://127.0.0.1:9000 for MinIO; omit for AWS. */
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Path-style URLs (`endpoint/bucket/key`). Default true: MinIO needs it. */
  forcePathStyle?: boolean;
}

export interface S3ObjectStore extends ObjectStore {
  /** Create the bucket if it does not exist (idempotent). */
  ensureBucket(): Promise<void>;
  /** Release the HTTP client's sockets. */
  close(): void;
}

const isNotFound = (err: unknown): boolean => {
  if (!(err instanceof S3ServiceException) && !(err instanceof Error)) return false;
  const e = err as S3ServiceException;
  // A missing bucket is a configuration error, not a missing object.
  if (e.name === 'NoSuchBucket') return false;
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
};

/**
 * @example
 *   const store = createS3ObjectStore({ endpoint: 'http://127.0.0.1:9000', region: 'us-east-1', bucket: 'quant-data', accessKeyId, secretAccessKey });
 *   await store.ensureBucket();
 */
export function createS3ObjectStore(opts: S3ObjectStoreOptions): S3ObjectStore {
  const client = new S3Client({
    endpoint: opts.endpoint,
    region: opts.region,
    forcePathStyle: opts.forcePathStyle ?? true,
    credentials: { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey },
    // Checksums on every request cost time and MinIO does not need them for correctness here.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const Bucket = opts.bucket;
  const where = `s3://${Bucket}`;

  const readBody = async (key: string, range?: string): Promise<Uint8Array> => {
    try {
      const res = await client.send(new GetObjectCommand({ Bucket, Key: key, Range: range }));
      if (!res.Body) return new Uint8Array(0);
      return await res.Body.transformToByteArray();
    } catch (err) {
      if (isNotFound(err)) throw new ObjectNotFoundError(key, where);
      if ((err as Error).name === 'NoSuchBucket')
        throw new Error(`bucket ${Bucket} does not exist at ${opts.endpoint ?? 'AWS'} (reading ${key}); create it with ensureBucket()`, {
          cause: err,
        });
      // An empty object has no satisfiable range; a range past the end is empty like on the fs store.
      if ((err as S3ServiceException).name === 'InvalidRange') return new Uint8Array(0);
      throw err;
    }
  };

  return {
    bucket: Bucket,

    async ensureBucket() {
      try {
        await client.send(new HeadBucketCommand({ Bucket }));
        return;
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      try {
        await client.send(new CreateBucketCommand({ Bucket }));
      } catch (err) {
        const name = (err as Error).name;
        if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw err;
      }
    },

    close() {
      client.destroy();
    },

    async put(key, body, putOpts) {
      assertValidKey(key);
      const bytes = toBytes(body);
      await client.send(
        new PutObjectCommand({
          Bucket,
          Key: key,
          Body: bytes,
          ContentLength: bytes.byteLength,
          ContentType: putOpts?.contentType ?? (typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/octet-stream'),
        }),
      );
    },

    async get(key) {
      assertValidKey(key);
      return readBody(key);
    },

    async getRange(key, offset, length) {
      assertValidKey(key);
      assertRange(key, offset, length);
      if (length === 0) {
        await this.size(key); // still report a missing object
        return new Uint8Array(0);
      }
      return readBody(key, `bytes=${offset}-${offset + length - 1}`);
    },

    async size(key) {
      assertValidKey(key);
      try {
        const res = await client.send(new HeadObjectCommand({ Bucket, Key: key }));
        return res.ContentLength ?? 0;
      } catch (err) {
        if (isNotFound(err)) throw new ObjectNotFoundError(key, where);
        throw err;
      }
    },

    async modifiedAt(key) {
      assertValidKey(key);
      try {
        const res = await client.send(new HeadObjectCommand({ Bucket, Key: key }));
        if (!res.LastModified) throw new Error(`HEAD ${key}: no Last-Modified`);
        return res.LastModified;
      } catch (err) {
        if (isNotFound(err)) throw new ObjectNotFoundError(key, where);
        throw err;
      }
    },

    async exists(key) {
      assertValidKey(key);
      try {
        await client.send(new HeadObjectCommand({ Bucket, Key: key }));
        return true;
      } catch (err) {
        if (isNotFound(err)) return false;
        throw err;
      }
    },

    async list(prefix) {
      assertValidPrefix(prefix);
      const out: string[] = [];
      let ContinuationToken: string | undefined;
      do {
        const res = await client.send(new ListObjectsV2Command({ Bucket, Prefix: prefix || undefined, ContinuationToken }));
        for (const o of res.Contents ?? []) if (o.Key !== undefined) out.push(o.Key);
        ContinuationToken = res.IsTruncated ? res.NextContinuationToken : undefined;
      } while (ContinuationToken);
      // S3 lists in UTF-8 byte order; sort with the same comparator as the fs store.
      return out.sort();
    },

    async delete(key) {
      assertValidKey(key);
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
    },

    locate(key) {
      assertValidKey(key);
      return `s3://${Bucket}/${key}`;
    },
  };
}
