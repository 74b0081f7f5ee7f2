/**
 * Build the configured object store: the filesystem store (embedded default,
 * `<dataDir>/objects/<bucket>/<key>`) or S3 (MinIO in the cluster).
 */
import { resolve } from 'node:path';
import type { Config } from '../../config/schema';
import { createFsObjectStore } from './fs-store';
import { createS3ObjectStore } from './s3-store';
import type { ObjectStore } from './types';

export { ObjectNotFoundError, InvalidObjectKeyError, type ObjectStore } from './types';
export { createFsObjectStore, type FsObjectStoreOptions } from './fs-store';
export { createS3ObjectStore, type S3ObjectStore, type S3ObjectStoreOptions } from './s3-store';

/**
 * @example
 *   const store = createObjectStore(loadConfig());
 *   await store.put('reports/x.md', '# x');
 */
export function createObjectStore(config: Config): ObjectStore {
  const os = config.objectStore;
  if (os.kind === 's3') {
    // The schema's superRefine guarantees these for kind s3; checked again so a hand-built config fails clearly.
    if (!os.endpoint || !os.accessKeyId || !os.secretAccessKey)
      throw new Error('objectStore.kind is s3 but endpoint, accessKeyId or secretAccessKey is missing');
    return createS3ObjectStore({
      endpoint: os.endpoint,
      region: os.region,
      bucket: os.bucket,
      accessKeyId: os.accessKeyId,
      secretAccessKey: os.secretAccessKey,
      forcePathStyle: os.forcePathStyle,
    });
  }
  return createFsObjectStore({ root: resolve(os.root ?? `${config.dataDir}/objects`), bucket: os.bucket });
}
