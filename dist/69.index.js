export const id = 69;
export const ids = [69];
export const modules = {

/***/ 39069:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  s3Uploader: () => (/* binding */ s3Uploader)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-s3/dist-cjs/index.js
var dist_cjs = __webpack_require__(53711);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/lib-storage/dist-cjs/index.js
var lib_storage_dist_cjs = __webpack_require__(22358);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/s3-request-presigner/dist-cjs/index.js
var s3_request_presigner_dist_cjs = __webpack_require__(18505);
// EXTERNAL MODULE: ./lib/errors.js
var errors = __webpack_require__(452);
// EXTERNAL MODULE: ./lib/report/units.js
var units = __webpack_require__(88861);
// EXTERNAL MODULE: ./lib/memory/collecting-garbage.js
var collecting_garbage = __webpack_require__(13859);
// EXTERNAL MODULE: ./node_modules/proxy-agent/dist/index.js + 1 modules
var dist = __webpack_require__(8052);
// EXTERNAL MODULE: ./lib/version.js
var version = __webpack_require__(13411);
;// CONCATENATED MODULE: ./lib/upload/s3-client.js



/**
 * Builds the S3 client for one upload. Credentials are left to the SDK's default chain
 * (environment, web identity, profiles, container and instance roles): no input ever holds
 * a secret key.
 */
function createS3Client(settings, env) {
    const s3 = settings.s3;
    const checksum = checksumMode(s3);
    // The SDK ignores HTTPS_PROXY/NO_PROXY; ProxyAgent reads them for every request and
    // connects directly when no proxy applies.
    const agent = new dist/* ProxyAgent */.k({ keepAlive: true, maxSockets: 16 });
    const config = {
        region: configuredRegion(s3, env),
        forcePathStyle: s3.forcePathStyle,
        // One retry setting for every destination: the SDK's own strategy, no loop around it.
        maxAttempts: settings.retries + 1,
        customUserAgent: version/* USER_AGENT */._,
        // With an agent of its own the SDK sends bodies without waiting for "100 Continue", and
        // the proxy agent then writes the request head twice (a phantom empty request on the
        // connection): the header only does harm here.
        expectContinueHeader: false,
        requestHandler: {
            httpAgent: agent,
            httpsAgent: agent,
            // A stall is time without any bytes moving, not a limit on the whole request: a
            // socket idle timeout is exactly that, and the SDK retries it as a transient error.
            connectionTimeout: settings.stallTimeoutMs,
            socketTimeout: settings.stallTimeoutMs,
        },
    };
    if (s3.endpoint)
        config.endpoint = s3.endpoint;
    if (checksum) {
        config.requestChecksumCalculation = checksum;
        config.responseChecksumValidation = checksum;
    }
    return new dist_cjs.S3Client(config);
}
/**
 * The region to give the SDK: the input, else the environment (the SDK itself reads only
 * AWS_REGION, not AWS_DEFAULT_REGION), else us-east-1 for a custom endpoint. Undefined lets
 * the SDK look in the shared config profile.
 */
function configuredRegion(s3, env) {
    const region = s3.region || env.AWS_REGION || env.AWS_DEFAULT_REGION;
    if (region)
        return region;
    return s3.endpoint ? 'us-east-1' : undefined;
}
/**
 * Which checksums the SDK computes. Many S3-compatible stores reject the CRC32 trailers and
 * aws-chunked bodies that recent SDKs send by default, so a custom endpoint computes them only
 * when an operation requires one; on AWS the SDK's defaults (and its own env/profile
 * settings) stay in force.
 */
function checksumMode(s3) {
    if (s3.checksum === 'when-required')
        return 'WHEN_REQUIRED';
    if (s3.checksum === 'when-supported')
        return 'WHEN_SUPPORTED';
    return s3.endpoint ? 'WHEN_REQUIRED' : undefined;
}

;// CONCATENATED MODULE: ./lib/upload/s3-errors.js

const CREDENTIAL_ERRORS = new Set([
    'AccessDenied',
    'InvalidAccessKeyId',
    'SignatureDoesNotMatch',
    'InvalidToken',
    'ExpiredToken',
    'TokenRefreshRequired',
    'InvalidSecurity',
    // When it is not about the region (checked first), the key or its scope is malformed.
    'AuthorizationHeaderMalformed',
]);
const REGION_ERRORS = new Set([
    'PermanentRedirect',
    'AuthorizationHeaderMalformed',
    'IllegalLocationConstraintException',
]);
const NETWORK_CODES = new Set([
    'ECONNREFUSED',
    'ECONNRESET',
    'ENOTFOUND',
    'EAI_AGAIN',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'EPIPE',
    'ERR_TLS_CERT_ALTNAME_INVALID',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'SELF_SIGNED_CERT_IN_CHAIN',
]);
const CHECKSUM_ERRORS = new Set([
    'NotImplemented',
    'MissingContentLength',
    'XAmzContentSHA256Mismatch',
    'InvalidDigest',
    'BadDigest',
]);
/**
 * Turns a failed S3 call into a message a user can act on. Decisions rest on the error's
 * name, HTTP status and network code, never on its message alone: some S3-compatible servers
 * answer with empty messages.
 */
function describeS3Error(error, context) {
    const facts = readFacts(error);
    const where = `s3://${context.bucket}/${context.key}`;
    const region = context.region || 'not set';
    const status = facts.status ? `${facts.name}, HTTP ${facts.status}` : facts.name;
    if (facts.name === 'CredentialsProviderError') {
        return (`no AWS credentials were found for ${where}: set AWS_ACCESS_KEY_ID and ` +
            'AWS_SECRET_ACCESS_KEY, or add aws-actions/configure-aws-credentials before this step');
    }
    if (/region is missing/i.test(facts.message)) {
        return `no AWS region is set for ${where}: set s3-region, or AWS_REGION in the environment`;
    }
    if (facts.name === 'NoSuchBucket' || (facts.status === 404 && facts.name === 'NotFound')) {
        return (`the bucket '${context.bucket}' does not exist in region ${region} at ` +
            `${context.endpoint} (${status}): check s3-bucket (or DIAGNOSTICS_S3_BUCKET) and s3-region`);
    }
    if (isRegionError(facts))
        return describeRegionError(facts, context, status);
    if (CREDENTIAL_ERRORS.has(facts.name) || facts.status === 403) {
        return describeRefusedCredentials(facts, context, status);
    }
    if (facts.name === 'TimeoutError' || facts.name === 'RequestTimeout') {
        return (`the upload to ${context.endpoint} made no progress for ${context.stallSeconds} s ` +
            `(${status}; ${attemptCount(facts, context)}): check the network and proxy, or raise ` +
            'upload-timeout-seconds');
    }
    if (facts.code && NETWORK_CODES.has(facts.code)) {
        return (`could not reach the S3 endpoint ${context.endpoint} (${facts.code}; ` +
            `${attemptCount(facts, context)}): check s3-endpoint (or AWS_ENDPOINT_URL_S3), ` +
            'that the server is running, and the proxy variables HTTPS_PROXY/NO_PROXY');
    }
    if (CHECKSUM_ERRORS.has(facts.name) || facts.status === 501 || facts.status === 411) {
        return (`the S3 server at ${context.endpoint} rejected how the upload was sent (${status}): ` +
            'set s3-checksum: when-required for S3-compatible stores that do not support ' +
            'checksums or chunked bodies');
    }
    if (facts.name === 'InvalidStorageClass') {
        return `the server does not accept this storage class (${status}): check s3-storage-class`;
    }
    if (facts.name.startsWith('KMS') || /kms/i.test(facts.message)) {
        return `server-side encryption failed (${status}: ${facts.message}): check s3-kms-key-id`;
    }
    if (facts.name === 'EntityTooLarge') {
        return (`the bundle is larger than ${context.endpoint} accepts (${status}): ` +
            'lower max-bundle-size');
    }
    const detail = facts.message && facts.message !== facts.name ? `: ${facts.message}` : '';
    return `uploading to ${where} at ${context.endpoint} failed (${status})${detail}`;
}
/** The raw facts of an error, for the debug log. */
function s3ErrorDetail(error) {
    const facts = readFacts(error);
    const parts = [`name=${facts.name}`, `message=${facts.message}`];
    if (facts.status)
        parts.push(`status=${facts.status}`);
    if (facts.code)
        parts.push(`code=${facts.code}`);
    if (facts.attempts)
        parts.push(`attempts=${facts.attempts}`);
    if (facts.bucketRegion)
        parts.push(`bucket-region=${facts.bucketRegion}`);
    return parts.join(' ');
}
function describeRegionError(facts, context, status) {
    const used = context.region || 'not set';
    if (facts.bucketRegion) {
        return (`the bucket '${context.bucket}' is in region ${facts.bucketRegion}, not ${used} ` +
            `(${status}): set s3-region: ${facts.bucketRegion}`);
    }
    return (`the bucket '${context.bucket}' is not in region ${used} (${status}): set s3-region to ` +
        "the bucket's region");
}
function describeRefusedCredentials(facts, context, status) {
    const expired = facts.name === 'ExpiredToken' || facts.name === 'TokenRefreshRequired';
    const what = expired ? 'the AWS session token has expired' : 'the S3 credentials were refused';
    return (`${what} for s3://${context.bucket}/${context.key} at ${context.endpoint} (${status}): ` +
        'check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, or the role set by ' +
        'aws-actions/configure-aws-credentials, and that it may s3:PutObject and ' +
        's3:PutObjectTagging on this key');
}
function isRegionError(facts) {
    if (facts.name === 'AuthorizationHeaderMalformed') {
        // Malformed for another reason (not the region) is a credentials problem.
        return Boolean(facts.bucketRegion) || /region/i.test(facts.message);
    }
    return REGION_ERRORS.has(facts.name) || facts.status === 301;
}
function attemptCount(facts, context) {
    const count = facts.attempts ?? context.maxAttempts;
    return count === 1 ? '1 attempt' : `${count} attempts`;
}
function readFacts(error) {
    const value = (typeof error === 'object' && error !== null ? error : {});
    const status = value.$metadata?.httpStatusCode;
    const attempts = value.$metadata?.attempts;
    const header = value.$response?.headers?.['x-amz-bucket-region'];
    const region = typeof header === 'string' && header ? header : value.Region;
    return {
        name: specificName(s3_errors_text(value.name), s3_errors_text(value.Code)),
        status: typeof status === 'number' ? status : undefined,
        code: s3_errors_text(value.code) || networkCodeOf(error),
        message: (0,errors/* errorMessage */.g)(error),
        bucketRegion: typeof region === 'string' && region ? region : undefined,
        attempts: typeof attempts === 'number' ? attempts : undefined,
    };
}
/** Network errors can come wrapped (an AggregateError, or an error with a cause). */
function networkCodeOf(error) {
    const inner = error;
    const nested = [...(inner?.errors ?? []), inner?.cause].filter(Boolean);
    for (const candidate of nested) {
        const code = candidate.code;
        if (typeof code === 'string')
            return code;
    }
    return undefined;
}
/** The SDK names an error by its S3 code; a bodiless answer leaves only a generic name. */
function specificName(name, code) {
    const generic = ['', 'Error', 'Unknown', 'UnknownError', 'S3ServiceException'];
    if (!generic.includes(name))
        return name;
    return code || name || 'Error';
}
function s3_errors_text(value) {
    return typeof value === 'string' ? value : '';
}

;// CONCATENATED MODULE: ./lib/upload/s3-location.js
function objectUri({ bucket, key }) {
    return `s3://${bucket}/${key}`;
}
/**
 * The object's URL: on AWS its https address in its region, otherwise on the configured
 * endpoint, path-style or virtual-hosted as the client addresses it.
 */
function objectUrl(location, s3) {
    const base = new URL(serviceOrigin(location, s3));
    const path = s3.forcePathStyle
        ? `${encodeSegment(location.bucket)}/${encodeKey(location.key)}`
        : encodeKey(location.key);
    if (!s3.forcePathStyle)
        base.hostname = `${location.bucket}.${base.hostname}`;
    const prefix = base.pathname.replace(/\/+$/, '');
    return `${base.origin}${prefix}/${path}`;
}
/**
 * The endpoint requests go to, for messages: the custom endpoint (without any `user:password@`
 * in it), or AWS's for the region.
 */
function serviceOrigin({ region }, s3) {
    if (s3.endpoint)
        return s3.endpoint.replace(/\/+$/, '').replace(/(:\/\/)[^/]*@/, '$1');
    const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
    return `https://s3.${region}.${domain}`;
}
function encodeKey(key) {
    return key.split('/').map(encodeSegment).join('/');
}
function encodeSegment(segment) {
    return encodeURIComponent(segment);
}

;// CONCATENATED MODULE: ./lib/upload/s3-object.js
/** The object key: the prefix (already ending in `/` when set) plus the archive's name. */
function objectKey(request) {
    return `${request.settings.s3.prefix}${request.archiveName}`;
}
/**
 * What the object is stored with: type, metadata that ties it to its run, storage class and
 * encryption. Tags are set separately (see objectTags).
 */
function objectParams(request, key) {
    const s3 = request.settings.s3;
    const params = {
        Bucket: s3.bucket,
        Key: key,
        ContentType: 'application/gzip',
        Metadata: objectMetadata(request),
    };
    if (s3.storageClass)
        params.StorageClass = s3.storageClass;
    if (s3.sse)
        params.ServerSideEncryption = s3.sse;
    if (s3.sse === 'aws:kms' && s3.kmsKeyId)
        params.SSEKMSKeyId = s3.kmsKeyId;
    return params;
}
/** User metadata (sent as x-amz-meta-*): the archive's digest and the run it came from. */
function objectMetadata(request) {
    const env = request.env;
    const metadata = { sha256: request.sha256 };
    if (env.GITHUB_REPOSITORY)
        metadata.repository = env.GITHUB_REPOSITORY;
    if (env.GITHUB_RUN_ID)
        metadata['run-id'] = env.GITHUB_RUN_ID;
    if (env.GITHUB_RUN_ATTEMPT)
        metadata['run-attempt'] = env.GITHUB_RUN_ATTEMPT;
    if (env.GITHUB_SHA)
        metadata['commit-sha'] = env.GITHUB_SHA;
    return metadata;
}
/** The `s3-tags` input as the tag set lib-storage applies once the object exists. */
function objectTags(tags) {
    return Object.entries(tags).map(([name, value]) => ({ Key: name, Value: value }));
}

;// CONCATENATED MODULE: ./lib/upload/s3.js











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
const s3Uploader = {
    destination: 's3',
    upload: uploadToS3,
};
async function uploadToS3(request) {
    const { reporter, settings } = request;
    const s3 = settings.s3;
    maskCredentials(reporter, [process.env, request.env]);
    const key = objectKey(request);
    const location = {
        bucket: s3.bucket,
        key,
        region: configuredRegion(s3, request.env) ?? '',
    };
    let client;
    try {
        client = createS3Client(settings, request.env);
        // Resolved up front: the SDK may find the region in a profile, and a missing one
        // should fail before any bytes are read.
        location.region = await client.config.region();
        reporter.info(`Uploading ${request.archiveName} (${(0,units/* formatBytes */.z)(request.size)}) to ${objectUri(location)} ` +
            `at ${serviceOrigin(location, s3)} (region ${location.region})`);
        await sendArchive(client, request, key);
        const outputs = {
            's3-uri': objectUri(location),
            's3-url': objectUrl(location, s3),
        };
        // The URI is what `aws s3 cp` takes; the summary shows it beside the link.
        const notes = [outputs['s3-uri'] ?? ''];
        if (s3.presignSeconds > 0) {
            await addPresignedLink(client, request, location, outputs, notes);
        }
        return { destination: 's3', ok: true, location: outputs['s3-url'], outputs, notes };
    }
    catch (error) {
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
    }
    finally {
        client?.destroy();
    }
}
/**
 * Streams the archive up: one PutObject when it fits in a part, otherwise a multipart upload
 * whose parts are aborted on failure so no orphaned upload is left in the bucket.
 */
async function sendArchive(client, request, key) {
    const upload = new lib_storage_dist_cjs/* Upload */._({
        client,
        params: { ...objectParams(request, key), Body: (0,external_node_fs_.createReadStream)(request.archivePath) },
        // Applied by a tagging call after the upload: some S3-compatible stores (Ceph) ignore
        // tags sent with a multipart upload's first request.
        tags: objectTags(request.settings.s3.tags),
        partSize: Math.max(PART_SIZE, Math.ceil(request.size / MAX_PARTS)),
        queueSize: QUEUE_SIZE,
        leavePartsOnError: false,
    });
    reportProgress(upload, request);
    // One part's worth of spent buffers: see collectingGarbage.
    await (0,collecting_garbage/* collectingGarbage */.q)(PART_SIZE, request.reporter.debug.bind(request.reporter), () => upload.done());
}
/** Logs a line as each quarter of a multipart upload is passed, and every part at debug level. */
function reportProgress(upload, request) {
    if (request.size <= PART_SIZE)
        return;
    let nextQuarter = 1;
    upload.on('httpUploadProgress', (progress) => {
        const loaded = progress.loaded ?? 0;
        request.reporter.debug(`S3 part ${progress.part ?? '?'} sent; ${loaded} bytes in total`);
        if (nextQuarter > 3 || loaded < (request.size * nextQuarter) / 4)
            return;
        const percent = Math.floor((loaded * 100) / request.size);
        request.reporter.info(`  ${percent}% sent (${(0,units/* formatBytes */.z)(loaded)})`);
        nextQuarter = Math.floor(percent / 25) + 1;
    });
}
/**
 * A time-limited GET link. It grants access to the bundle, so it is masked like a secret
 * and the summary prints it only when asked to.
 */
async function addPresignedLink(client, request, location, outputs, notes) {
    const s3 = request.settings.s3;
    try {
        const command = new dist_cjs.GetObjectCommand({ Bucket: location.bucket, Key: location.key });
        const url = await (0,s3_request_presigner_dist_cjs/* getSignedUrl */.A)(client, command, { expiresIn: s3.presignSeconds });
        request.reporter.setSecret(url);
        outputs['s3-presigned-url'] = url;
        notes.push(s3.presignInSummary
            ? `Presigned download link (valid ${s3.presignSeconds} s): ${url}`
            : `A presigned download link valid for ${s3.presignSeconds} s was made ` +
                '(output s3-presigned-url; set s3-presign-in-summary: true to print it here)');
    }
    catch (error) {
        // The object is uploaded; a link that could not be signed does not undo that.
        request.reporter.warning(`The S3 upload worked but no presigned link: ${(0,errors/* errorMessage */.g)(error)}`);
    }
}
/** The endpoint for a message; without a region, AWS's endpoint is not known yet. */
function endpointLabel(location, request) {
    const s3 = request.settings.s3;
    return s3.endpoint || location.region ? serviceOrigin(location, s3) : 'AWS S3';
}
function maskCredentials(reporter, environments) {
    for (const env of environments) {
        for (const name of CREDENTIAL_VARIABLES) {
            const value = env[name];
            if (value)
                reporter.setSecret(value);
        }
    }
}


/***/ })

};
