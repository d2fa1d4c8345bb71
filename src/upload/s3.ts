import { createReadStream } from 'node:fs';

import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

import { errorMessage } from '../errors.js';
import type { Reporter } from '../report/reporter.js';
import { formatBytes } from '../report/units.js';
import { collectingGarbage } from '../memory/collecting-garbage.js';
import { configuredRegion, createS3Client } from './s3-client.js';
import { describeS3Error, s3ErrorDetail } from './s3-errors.js';
import { objectUri, objectUrl, serviceOrigin, type S3Location } from './s3-location.js';
import { objectKey, objectParams, objectTags } from './s3-object.js';
import type { UploadRequest, UploadResult, Uploader } from './types.js';

/**
 * 8 MiB parts, one in flight. lib-storage copies the file's chunks into a buffer per part and
 * most of the peak is garbage awaiting collection, so memory barely depends on the archive's
 * size; measured here with a 160 MiB archive, the CLI's peak RSS was 116-137 MiB with one part
 * in flight and 142-152 MiB with two. Node 24 collected later still (143-159 MB for 300 MiB),
 * so a collection is forced per part (133 MB).
 */
const PART_SIZE = 8 * 1024 * 1024;
const QUEUE_SIZE = 1;
/** S3 allows at most 10,000 parts; larger bundles get larger parts. */
const MAX_PARTS = 10_000;

/** Credentials the SDK's chain may read from the environment: masked before any logging. */
const CREDENTIAL_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
];

export const s3Uploader: Uploader = {
  destination: 's3',
  upload: uploadToS3,
};

async function uploadToS3(request: UploadRequest): Promise<UploadResult> {
  const { reporter, settings } = request;
  const s3 = settings.s3;
  maskCredentials(reporter, [process.env, request.env]);

  const key = objectKey(request);
  const location: S3Location = {
    bucket: s3.bucket,
    key,
    region: configuredRegion(s3, request.env) ?? '',
  };
  let client: S3Client | undefined;
  try {
    client = createS3Client(settings, request.env);
    // Resolved up front: the SDK may find the region in a profile, and a missing one
    // should fail before any bytes are read.
    location.region = await client.config.region();
    reporter.info(
      `Uploading ${request.archiveName} (${formatBytes(request.size)}) to ${objectUri(location)} ` +
        `at ${serviceOrigin(location, s3)} (region ${location.region})`,
    );

    await sendArchive(client, request, key);

    const outputs: Record<string, string> = {
      's3-uri': objectUri(location),
      's3-url': objectUrl(location, s3),
    };
    // The URI is what `aws s3 cp` takes; the summary shows it beside the link.
    const notes: string[] = [outputs['s3-uri'] ?? ''];
    if (s3.presignSeconds > 0) {
      await addPresignedLink(client, request, location, outputs, notes);
    }
    return { destination: 's3', ok: true, location: outputs['s3-url'], outputs, notes };
  } catch (error) {
    const message = describeS3Error(error, {
      bucket: s3.bucket,
      key,
      region: location.region,
      endpoint: endpointLabel(location, request),
      maxAttempts: settings.retries + 1,
      stallSeconds: settings.stallTimeoutMs / 1000,
    });
    reporter.debug(`S3 error: ${s3ErrorDetail(error)}`);
    return { destination: 's3', ok: false, outputs: {}, error: message };
  } finally {
    client?.destroy();
  }
}

/**
 * Streams the archive up: one PutObject when it fits in a part, otherwise a multipart upload
 * whose parts are aborted on failure so no orphaned upload is left in the bucket.
 */
async function sendArchive(client: S3Client, request: UploadRequest, key: string): Promise<void> {
  const upload = new Upload({
    client,
    params: { ...objectParams(request, key), Body: createReadStream(request.archivePath) },
    // Applied by a tagging call after the upload: some S3-compatible stores (Ceph) ignore
    // tags sent with a multipart upload's first request.
    tags: objectTags(request.settings.s3.tags),
    partSize: Math.max(PART_SIZE, Math.ceil(request.size / MAX_PARTS)),
    queueSize: QUEUE_SIZE,
    leavePartsOnError: false,
  });
  reportProgress(upload, request);
  // One part's worth of spent buffers: see collectingGarbage.
  await collectingGarbage(PART_SIZE, request.reporter.debug.bind(request.reporter), () =>
    upload.done(),
  );
}

/** Logs a line as each quarter of a multipart upload is passed, and every part at debug level. */
function reportProgress(upload: Upload, request: UploadRequest): void {
  if (request.size <= PART_SIZE) return;
  let nextQuarter = 1;
  upload.on('httpUploadProgress', (progress) => {
    const loaded = progress.loaded ?? 0;
    request.reporter.debug(`S3 part ${progress.part ?? '?'} sent; ${loaded} bytes in total`);
    if (nextQuarter > 3 || loaded < (request.size * nextQuarter) / 4) return;
    const percent = Math.floor((loaded * 100) / request.size);
    request.reporter.info(`  ${percent}% sent (${formatBytes(loaded)})`);
    nextQuarter = Math.floor(percent / 25) + 1;
  });
}

/**
 * A time-limited GET link. It grants access to the bundle, so it is masked like a secret
 * and the summary prints it only when asked to.
 */
async function addPresignedLink(
  client: S3Client,
  request: UploadRequest,
  location: S3Location,
  outputs: Record<string, string>,
  notes: string[],
): Promise<void> {
  const s3 = request.settings.s3;
  try {
    const command = new GetObjectCommand({ Bucket: location.bucket, Key: location.key });
    const url = await getSignedUrl(client, command, { expiresIn: s3.presignSeconds });
    request.reporter.setSecret(url);
    outputs['s3-presigned-url'] = url;
    notes.push(
      s3.presignInSummary
        ? `Presigned download link (valid ${s3.presignSeconds} s): ${url}`
        : `A presigned download link valid for ${s3.presignSeconds} s was made ` +
            '(output s3-presigned-url; set s3-presign-in-summary: true to print it here)',
    );
  } catch (error) {
    // The object is uploaded; a link that could not be signed does not undo that.
    request.reporter.warning(`The S3 upload worked but no presigned link: ${errorMessage(error)}`);
  }
}

/** The endpoint for a message; without a region, AWS's endpoint is not known yet. */
function endpointLabel(location: S3Location, request: UploadRequest): string {
  const s3 = request.settings.s3;
  return s3.endpoint || location.region ? serviceOrigin(location, s3) : 'AWS S3';
}

function maskCredentials(reporter: Reporter, environments: NodeJS.ProcessEnv[]): void {
  for (const env of environments) {
    for (const name of CREDENTIAL_VARIABLES) {
      const value = env[name];
      if (value) reporter.setSecret(value);
    }
  }
}
