export const id = 754;
export const ids = [754];
export const modules = {

/***/ 40754:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  createHttpUploader: () => (/* binding */ createHttpUploader),
  httpUploader: () => (/* binding */ httpUploader)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: ./lib/errors.js
var errors = __webpack_require__(452);
// EXTERNAL MODULE: ./lib/memory/collecting-garbage.js
var collecting_garbage = __webpack_require__(13859);
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(37067);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(44708);
// EXTERNAL MODULE: ./node_modules/form-data/lib/form_data.js
var form_data = __webpack_require__(96454);
// EXTERNAL MODULE: ./lib/version.js
var version = __webpack_require__(13411);
// EXTERNAL MODULE: external "node:timers/promises"
var promises_ = __webpack_require__(58500);
// EXTERNAL MODULE: ./node_modules/p-retry/index.js + 1 modules
var p_retry = __webpack_require__(74995);
;// CONCATENATED MODULE: ./lib/upload/retry.js



/** A failure another attempt may fix, with the wait the server asked for (Retry-After). */
class RetryableError extends Error {
    retryAfterMs;
    constructor(message, retryAfterMs) {
        super(message);
        this.retryAfterMs = retryAfterMs;
        this.name = 'RetryableError';
    }
}
/** A failure another attempt cannot fix (a bad token, a wrong URL): never retried. */
class PermanentError extends Error {
    constructor(message) {
        super(message);
        this.name = 'PermanentError';
    }
}
const DEFAULT_BASE_DELAY_MS = 1000;
const DEFAULT_MAX_DELAY_MS = 30_000;
const DEFAULT_MAX_RETRY_AFTER_MS = 120_000;
/**
 * The wait before retry number `retry` (1 for the first): exponential, capped, with jitter
 * over the upper half so that many runners failing together do not retry in step.
 */
function backoffDelay(retry, random = Math.random, baseMs = DEFAULT_BASE_DELAY_MS, maxMs = DEFAULT_MAX_DELAY_MS) {
    const ceiling = Math.min(maxMs, baseMs * 2 ** (retry - 1));
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
/** A Retry-After header (seconds or an HTTP date) as milliseconds, or undefined. */
function parseRetryAfter(value, now = Date.now()) {
    const text = value?.trim() ?? '';
    if (/^\d+$/.test(text))
        return Number(text) * 1000;
    const date = Date.parse(text);
    return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
/**
 * Runs `attempt` until it succeeds, it throws a PermanentError, or the retries are spent.
 * p-retry owns the loop; the wait is computed here so that it can honour Retry-After and go
 * through an injectable sleep. Every retry is logged with its reason. The last error is
 * thrown, with the number of attempts added when there was more than one.
 */
async function withRetries(attempt, options) {
    const sleep = options.sleep ?? ((ms) => (0,promises_.setTimeout)(ms));
    const random = options.random ?? Math.random;
    const total = options.retries + 1;
    let attempts = 0;
    const run = async (attemptNumber) => {
        attempts = attemptNumber;
        try {
            return await attempt(attemptNumber);
        }
        catch (error) {
            if (error instanceof PermanentError)
                throw new p_retry/* AbortError */.lc(error);
            throw error;
        }
    };
    try {
        return await (0,p_retry/* default */.Ay)(run, {
            retries: options.retries,
            // The wait happens in shouldRetry, so p-retry itself must not wait as well.
            minTimeout: 0,
            shouldRetry: async ({ error, attemptNumber }) => {
                const wait = waitBefore(error, attemptNumber, random, options);
                options.log(`${options.label}: attempt ${attemptNumber} of ${total} failed: ` +
                    `${(0,errors/* errorMessage */.g)(error)}; retrying in ${(wait / 1000).toFixed(1)} s`);
                await sleep(wait);
                return true;
            },
        });
    }
    catch (error) {
        if (attempts <= 1 || !(error instanceof Error))
            throw error;
        error.message = `${error.message} (gave up after ${attempts} attempts)`;
        throw error;
    }
}
function waitBefore(error, attemptNumber, random, options) {
    const asked = error instanceof RetryableError ? error.retryAfterMs : undefined;
    if (asked !== undefined) {
        return Math.min(asked, options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS);
    }
    return backoffDelay(attemptNumber, random, options.baseDelayMs, options.maxDelayMs);
}

;// CONCATENATED MODULE: ./lib/upload/stall.js

/** An attempt that moved no bytes for the whole stall timeout. */
class StallError extends RetryableError {
    constructor(timeoutMs) {
        super(`no upload progress for ${timeoutMs / 1000} s, attempt abandoned ` +
            '(upload-timeout-seconds is the longest wait without progress)');
        this.name = 'StallError';
    }
}
/**
 * Calls `onStall` when `progress()` has not been called for `timeoutMs`. It limits the time
 * without progress, not the whole transfer: a large bundle on a slow link may take longer.
 */
class StallWatchdog {
    timer;
    constructor(timeoutMs, onStall) {
        this.timer = setTimeout(onStall, timeoutMs);
    }
    progress() {
        this.timer.refresh();
    }
    stop() {
        clearTimeout(this.timer);
    }
}

;// CONCATENATED MODULE: ./lib/upload/http-request.js








/** Enough for a JSON answer with a link or an error message; the rest is drained. */
const RESPONSE_TEXT_LIMIT = 64 * 1024;
/**
 * Streams the file from disk as field `file` of a multipart/form-data POST and resolves with
 * the answer, whatever its status. The form-data package piped into http(s).request with a
 * known length keeps memory flat however large the file is (fetch with a file-backed blob
 * held the whole body in memory). Network errors and stalls reject with a RetryableError.
 */
function postFile(post) {
    // form-data takes a known length of 0 for "unknown", so an empty file goes as a buffer.
    const file = post.size > 0 ? (0,external_node_fs_.createReadStream)(post.filePath) : undefined;
    const form = new form_data();
    form.append('file', file ?? Buffer.alloc(0), {
        filename: post.fileName,
        contentType: 'application/gzip',
        knownLength: post.size,
    });
    let length;
    try {
        length = form.getLengthSync();
    }
    catch (error) {
        file?.destroy();
        throw new PermanentError(`cannot size the upload body: ${(0,errors/* errorMessage */.g)(error)}`);
    }
    const headers = {
        ...form.getHeaders(),
        'Content-Length': String(length),
        'User-Agent': version/* USER_AGENT */._,
        Accept: 'application/json, text/plain;q=0.9, */*;q=0.5',
        Connection: 'close',
    };
    if (post.token)
        headers.Authorization = `Bearer ${post.token}`;
    const transport = post.url.protocol === 'https:' ? external_node_https_ : external_node_http_;
    return new Promise((resolve, reject) => {
        let settled = false;
        const request = transport.request(post.url, {
            method: 'POST',
            headers,
            // No pooling: one connection per attempt, closed when it ends.
            agent: post.agent ?? false,
        });
        const watchdog = new StallWatchdog(post.stallTimeoutMs, () => request.destroy(new StallError(post.stallTimeoutMs)));
        // Ends the attempt once: stops the timer, the file and the connection.
        const settle = (error, answer) => {
            if (settled)
                return;
            settled = true;
            watchdog.stop();
            file?.destroy();
            request.destroy();
            if (error)
                reject(error);
            else
                resolve(answer);
        };
        // The form pauses while the socket is full, so its data events are the upload's progress.
        form.on('data', () => watchdog.progress());
        form.on('error', (error) => settle(error));
        // Once an answer is coming, a failed write (a server that answers early, like a 401 or a
        // 413, and closes) is not the outcome: the answer is.
        let answered = false;
        request.on('error', (error) => {
            if (!answered)
                settle(classify(error));
        });
        request.on('response', (response) => {
            answered = true;
            watchdog.progress();
            const chunks = [];
            let kept = 0;
            response.on('data', (chunk) => {
                watchdog.progress();
                if (kept >= RESPONSE_TEXT_LIMIT)
                    return;
                chunks.push(chunk.subarray(0, RESPONSE_TEXT_LIMIT - kept));
                kept += Math.min(chunk.length, RESPONSE_TEXT_LIMIT - kept);
            });
            response.on('end', () => settle(undefined, {
                status: response.statusCode ?? 0,
                headers: response.headers,
                text: Buffer.concat(chunks).toString('utf8'),
            }));
            response.on('error', (error) => settle(classify(error)));
            response.on('aborted', () => settle(new RetryableError('the connection closed in the middle of the response')));
        });
        // Start the body only once the request has its socket: http-proxy-agent rewrites the
        // request line when it connects, and a body written before that got the headers twice.
        request.once('socket', () => form.pipe(request));
    });
}
/**
 * Network errors (reset, refused, timed out, DNS) are worth another attempt; a certificate
 * that is not trusted is not, and says how to fix it.
 */
function classify(error) {
    if (error instanceof RetryableError || error instanceof PermanentError)
        return error;
    const code = error.code ?? '';
    const text = code && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
    const classified = /CERT|SELF_SIGNED|^UNABLE_TO_/.test(code)
        ? new PermanentError(`the endpoint's TLS certificate was not accepted: ${text}; fix the certificate, or ` +
            'trust its CA with NODE_EXTRA_CA_CERTS')
        : new RetryableError(text);
    classified.cause = error;
    return classified;
}

// EXTERNAL MODULE: ./lib/report/units.js
var units = __webpack_require__(88861);
;// CONCATENATED MODULE: ./lib/upload/http-response.js



/** Longest location kept from a plain-text answer. */
const LOCATION_TEXT_LIMIT = 2000;
const LOCATION_FIELDS = ['url', 'artifact_url', 'location'];
/**
 * Where the endpoint says it stored the bundle: the JSON fields `url`, `artifact_url` or
 * `location` (in that order), else the Location header (resolved against the endpoint), else
 * the response text, trimmed and bounded. Empty when the endpoint says nothing.
 */
function locationFrom(answer, endpoint) {
    const fromJson = jsonLocation(answer.text);
    if (fromJson)
        return fromJson.slice(0, LOCATION_TEXT_LIMIT);
    const header = answer.headers.location;
    if (header) {
        try {
            return new URL(header, endpoint).href;
        }
        catch {
            return header;
        }
    }
    return answer.text.trim().slice(0, LOCATION_TEXT_LIMIT);
}
function jsonLocation(text) {
    let parsed;
    try {
        parsed = JSON.parse(text);
    }
    catch {
        return '';
    }
    if (typeof parsed !== 'object' || parsed === null)
        return '';
    const fields = parsed;
    for (const field of LOCATION_FIELDS) {
        const value = fields[field];
        if (typeof value === 'string' && value.trim())
            return value.trim();
    }
    return '';
}
/** The status with its reason phrase: "401 Unauthorized". */
function describeStatus(status) {
    return `${status} ${external_node_http_.STATUS_CODES[status] ?? 'Unknown'}`;
}
/**
 * The error for an answer that is neither 2xx nor a redirect: 408, 429 and 5xx may pass
 * (RetryableError, with the server's Retry-After); any other status will not, and the
 * message says what it means and what to check.
 */
function failureFor(answer, context) {
    const status = describeStatus(answer.status);
    const detail = excerpt(answer.text);
    const said = detail ? ` (the endpoint said: ${detail})` : '';
    if (answer.status === 408 || answer.status === 429 || answer.status >= 500) {
        const retryAfter = parseRetryAfter(headerText(answer.headers['retry-after']));
        return new RetryableError(`the endpoint answered ${status}${said}`, retryAfter);
    }
    return new PermanentError(`the endpoint answered ${status}: ${hintFor(answer.status, context)}${said}`);
}
function hintFor(status, context) {
    if (status === 401 || status === 403) {
        return context.hasToken
            ? 'the token was refused; check http-token (or ARTIFACT_UPLOAD_TOKEN, --artifact-token)'
            : 'no token was sent; set http-token (or ARTIFACT_UPLOAD_TOKEN, --artifact-token)';
    }
    if (status === 404 || status === 410) {
        return 'nothing accepts uploads there; check http-url (or ARTIFACT_UPLOAD_URL, --artifact-url)';
    }
    if (status === 405)
        return 'the URL does not accept POST; check http-url';
    if (status === 413) {
        return (`the bundle (${(0,units/* formatBytes */.z)(context.size)}) is larger than the endpoint accepts; ` +
            'lower max-bundle-size or raise the limit of the endpoint');
    }
    return 'the endpoint rejected the upload; this is not retried';
}
function headerText(value) {
    return Array.isArray(value) ? value[0] : value;
}
/** The start of an error body on one line, enough to recognise it. */
function excerpt(text) {
    const line = text.replace(/\s+/g, ' ').trim();
    return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

// EXTERNAL MODULE: ./node_modules/proxy-agent/dist/index.js + 1 modules
var dist = __webpack_require__(8052);
// EXTERNAL MODULE: ./node_modules/proxy-from-env/index.js
var proxy_from_env = __webpack_require__(98182);
;// CONCATENATED MODULE: ./lib/upload/proxy.js


/**
 * The proxy that applies to `url` according to HTTPS_PROXY/https_proxy, HTTP_PROXY/http_proxy,
 * ALL_PROXY and NO_PROXY (as runners behind a corporate proxy set them), or '' for none.
 */
function proxyFor(url) {
    return (0,proxy_from_env/* getProxyForUrl */.T)(url);
}
/**
 * An agent that sends requests for `url` through the proxy that applies to it, or undefined
 * when none does (the caller keeps its default agent). Works for http and https targets, so
 * the AWS SDK's NodeHttpHandler can take it as `httpsAgent` too. Call `destroy()` when done.
 */
// TODO: an https endpoint given by IP address fails its certificate check through an HTTPS
// proxy (https-proxy-agent checks it against "localhost", TooTallNate/proxy-agents#365).
function proxyAgentFor(url) {
    const proxy = proxyFor(url);
    if (!proxy)
        return undefined;
    return new dist/* ProxyAgent */.k({ getProxyForUrl: () => proxy, keepAlive: false });
}
/** A proxy URL fit for the log: any user name and password are left out. */
function describeProxy(proxy) {
    try {
        const parsed = new URL(proxy);
        return `${parsed.protocol}//${parsed.host}`;
    }
    catch {
        return '(unparsable proxy setting)';
    }
}

;// CONCATENATED MODULE: ./lib/upload/http.js







/** Spent file chunks allowed to pile up before a collection is forced (see collectingGarbage). */
const HTTP_GARBAGE_GROWTH = 16 * 1024 * 1024;
/** Same-origin 307/308 redirects followed within one attempt. */
const MAX_REDIRECTS = 5;
/**
 * The HTTP destination: a multipart POST of the archive to an artifact endpoint with a
 * bearer token, retried on network errors, stalls, 408, 429 and 5xx.
 */
function createHttpUploader(options = {}) {
    return {
        destination: 'http',
        upload: (request) => uploadOverHttp(request, options),
    };
}
const httpUploader = createHttpUploader();
async function uploadOverHttp(request, options) {
    const { url: rawUrl, token, allowInsecureHttp } = request.settings.http;
    const { reporter } = request;
    if (token)
        reporter.setSecret(token);
    const mask = (text) => (token ? text.split(token).join('***') : text);
    const failed = (error) => ({
        destination: 'http',
        ok: false,
        outputs: {},
        error: mask(error),
    });
    const endpoint = parseEndpoint(rawUrl);
    if (typeof endpoint === 'string')
        return failed(endpoint);
    if (token && !allowInsecureHttp && !isSafeForToken(endpoint)) {
        return failed(`http-url ${displayUrl(endpoint)} uses plain http:// to a host that is not loopback, ` +
            'so the token would travel unencrypted; use https://, or set allow-insecure-http: true ' +
            'if that network is trusted');
    }
    const proxy = proxyFor(endpoint);
    reporter.info(mask(`Uploading ${request.archiveName} (${request.size} bytes) to ${displayUrl(endpoint)}` +
        (proxy ? ` through proxy ${describeProxy(proxy)}` : '')));
    const agent = proxyAgentFor(endpoint);
    try {
        // Node 24 left some 50 MB of spent file chunks uncollected during a 300 MiB upload.
        const { answer, url } = await (0,collecting_garbage/* collectingGarbage */.q)(HTTP_GARBAGE_GROWTH, (message) => reporter.debug(message), () => withRetries(() => postWithRedirects(request, endpoint, agent), {
            retries: request.settings.retries,
            log: (message) => reporter.info(mask(message)),
            label: 'HTTP upload',
            sleep: options.sleep,
        }));
        const location = mask(locationFrom(answer, url));
        reporter.info(`The endpoint answered ${describeStatus(answer.status)}`);
        return {
            destination: 'http',
            ok: true,
            location: location || undefined,
            outputs: { 'http-location': location },
        };
    }
    catch (error) {
        return failed((0,errors/* errorMessage */.g)(error));
    }
    finally {
        agent?.destroy();
    }
}
/**
 * One attempt: posts the archive, following 307/308 redirects within the same origin (they
 * keep the method and body). A redirect to another scheme, host or port is refused: the token
 * must never reach another origin, and another status cannot carry the upload's body.
 */
async function postWithRedirects(request, endpoint, agent) {
    const size = archiveSize(request.archivePath);
    let url = endpoint;
    for (let hop = 0;; hop++) {
        const answer = await postFile({
            url,
            token: request.settings.http.token,
            filePath: request.archivePath,
            fileName: request.archiveName,
            size,
            stallTimeoutMs: request.settings.stallTimeoutMs,
            agent,
        });
        if (answer.status >= 200 && answer.status < 300)
            return { answer, url };
        if (answer.status < 300 || answer.status >= 400) {
            throw failureFor(answer, { hasToken: request.settings.http.token !== '', size });
        }
        const target = redirectTarget(answer, url);
        const status = describeStatus(answer.status);
        if (!target)
            throw new PermanentError(`the endpoint answered ${status} without a Location`);
        if (target.origin !== url.origin) {
            throw new PermanentError(`the endpoint answered ${status} to ${displayUrl(target)}, another origin; not followed, ` +
                'so the token is not sent there. If that address is trusted, set http-url to it');
        }
        if (answer.status !== 307 && answer.status !== 308) {
            throw new PermanentError(`the endpoint answered ${status} to ${displayUrl(target)}; a ${answer.status} redirect ` +
                'drops the upload body, so set http-url to the address that accepts the POST');
        }
        if (hop >= MAX_REDIRECTS) {
            throw new PermanentError(`more than ${MAX_REDIRECTS} redirects; check http-url`);
        }
        request.reporter.info(`Redirected (${status}) to ${displayUrl(target)}`);
        url = target;
    }
}
function redirectTarget(answer, base) {
    if (!answer.headers.location)
        return undefined;
    try {
        return new URL(answer.headers.location, base);
    }
    catch {
        return undefined;
    }
}
/** The archive's size now, so the Content-Length matches what is read. */
function archiveSize(archivePath) {
    try {
        return (0,external_node_fs_.statSync)(archivePath).size;
    }
    catch (error) {
        throw new PermanentError(`cannot read the archive ${archivePath}: ${(0,errors/* errorMessage */.g)(error)}`);
    }
}
/** The endpoint as a URL, or the error message when it is not an http(s) URL. */
function parseEndpoint(value) {
    let url;
    try {
        url = new URL(value);
    }
    catch {
        return `http-url '${value}' is not a URL; give one like https://artifacts.example.com/upload`;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        return `http-url '${displayUrl(url)}' must start with https:// or http://`;
    }
    return url;
}
/** A token may travel over https, or over plain http to this machine only. */
function isSafeForToken(url) {
    if (url.protocol === 'https:')
        return true;
    const host = url.hostname;
    return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}
/** A URL fit for the log: a password in it is replaced. */
function displayUrl(url) {
    if (!url.password)
        return url.href;
    const shown = new URL(url.href);
    shown.password = '***';
    return shown.href;
}


/***/ })

};
