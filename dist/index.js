import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 42613:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("assert");

/***/ }),

/***/ 20181:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("buffer");

/***/ }),

/***/ 35317:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("child_process");

/***/ }),

/***/ 49140:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("constants");

/***/ }),

/***/ 76982:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("crypto");

/***/ }),

/***/ 72250:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("dns");

/***/ }),

/***/ 24434:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("events");

/***/ }),

/***/ 79896:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs");

/***/ }),

/***/ 91943:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs/promises");

/***/ }),

/***/ 58611:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("http");

/***/ }),

/***/ 65692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("https");

/***/ }),

/***/ 73339:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("module");

/***/ }),

/***/ 69278:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("net");

/***/ }),

/***/ 34589:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:assert");

/***/ }),

/***/ 16698:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:async_hooks");

/***/ }),

/***/ 4573:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:buffer");

/***/ }),

/***/ 31421:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");

/***/ }),

/***/ 37540:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:console");

/***/ }),

/***/ 77598:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");

/***/ }),

/***/ 53053:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:diagnostics_channel");

/***/ }),

/***/ 40610:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:dns");

/***/ }),

/***/ 78474:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:events");

/***/ }),

/***/ 73024:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");

/***/ }),

/***/ 51455:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");

/***/ }),

/***/ 37067:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");

/***/ }),

/***/ 32467:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http2");

/***/ }),

/***/ 44708:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:https");

/***/ }),

/***/ 98995:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:module");

/***/ }),

/***/ 77030:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:net");

/***/ }),

/***/ 48161:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");

/***/ }),

/***/ 76760:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");

/***/ }),

/***/ 643:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:perf_hooks");

/***/ }),

/***/ 1708:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:process");

/***/ }),

/***/ 41792:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:querystring");

/***/ }),

/***/ 57075:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream");

/***/ }),

/***/ 46466:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream/promises");

/***/ }),

/***/ 46193:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:string_decoder");

/***/ }),

/***/ 58500:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:timers/promises");

/***/ }),

/***/ 41692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:tls");

/***/ }),

/***/ 73136:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");

/***/ }),

/***/ 57975:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");

/***/ }),

/***/ 73429:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util/types");

/***/ }),

/***/ 78877:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:v8");

/***/ }),

/***/ 30714:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:vm");

/***/ }),

/***/ 75919:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:worker_threads");

/***/ }),

/***/ 38522:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");

/***/ }),

/***/ 70857:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("os");

/***/ }),

/***/ 16928:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("path");

/***/ }),

/***/ 2203:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("stream");

/***/ }),

/***/ 13193:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("string_decoder");

/***/ }),

/***/ 53557:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("timers");

/***/ }),

/***/ 64756:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("tls");

/***/ }),

/***/ 52018:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("tty");

/***/ }),

/***/ 87016:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("url");

/***/ }),

/***/ 39023:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("util");

/***/ }),

/***/ 43106:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("zlib");

/***/ }),

/***/ 43817:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Z: () => (/* binding */ openRegularFile)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(73024);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(51455);


/**
 * Opens, for reading, a file that was a regular file when it was listed. It may have been
 * swapped since: a symbolic link put in its place is not followed (it could point anywhere
 * the runner can read), a FIFO does not block the open, and anything that is not a regular
 * file once open is refused.
 */
async function openRegularFile(file) {
    const flags = node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_RDONLY | node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_NOFOLLOW | node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_NONBLOCK;
    const handle = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.open)(file, flags);
    if ((await handle.stat()).isFile())
        return handle;
    await handle.close();
    const error = new Error('no longer a regular file (replaced while collecting)');
    throw Object.assign(error, { code: 'ENOTREG' });
}


/***/ }),

/***/ 49594:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   V: () => (/* binding */ ownBuffer)
/* harmony export */ });
/** What the main thread and the scrubbing thread say to each other. */
/**
 * The bytes in an ArrayBuffer of their own, which can be handed to the other thread. A view
 * into a larger buffer (Node's pool of small buffers, a slice of a bigger read) is copied:
 * handing over its buffer would take everything else in it away from this thread.
 */
function ownBuffer(bytes) {
    const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
    return whole ? bytes : new Uint8Array(bytes);
}


/***/ }),

/***/ 79796:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  Iv: () => (/* binding */ ScrubThread),
  j8: () => (/* binding */ registerScrubThread)
});

// UNUSED EXPORTS: THREAD_MIN_BYTES, THREAD_STALL_MS

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __nccwpck_require__(51455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(76760);
// EXTERNAL MODULE: external "node:worker_threads"
var external_node_worker_threads_ = __nccwpck_require__(75919);
// EXTERNAL MODULE: ./lib/collect/stage-file.js
var stage_file = __nccwpck_require__(45635);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __nccwpck_require__(57075);
// EXTERNAL MODULE: ./lib/collect/scrub-protocol.js
var scrub_protocol = __nccwpck_require__(49594);
;// CONCATENATED MODULE: ./lib/collect/thread-scrub.js


/**
 * The scrubbing half of a file's pipeline, done on the thread: each chunk is handed over
 * (transferred, not copied) and its scrubbed bytes come back in order. One chunk is scrubbed
 * there while the next is read here; no more are in flight, so memory stays put.
 */
class ThreadScrub extends external_node_stream_.Transform {
    stream;
    counter;
    send;
    previous = null;
    ended = false;
    constructor(stream, counter, send) {
        super();
        this.stream = stream;
        this.counter = counter;
        this.send = send;
    }
    _transform(chunk, _encoding, done) {
        const previous = this.previous;
        this.previous = this.send({ stream: this.stream, bytes: (0,scrub_protocol/* ownBuffer */.V)(chunk) });
        // Its failure is reported when it is awaited, below or in _flush.
        this.previous.catch(() => undefined);
        if (!previous) {
            done();
            return;
        }
        previous.then((reply) => done(null, this.scrubbed(reply)), done);
    }
    _flush(done) {
        this.ended = true;
        const previous = this.previous ?? Promise.resolve(null);
        previous
            .then((reply) => {
            const bytes = reply ? this.scrubbed(reply) : undefined;
            if (bytes)
                this.push(bytes);
            return this.send({ stream: this.stream, end: true });
        })
            .then((reply) => done(null, this.scrubbed(reply)), done);
    }
    _destroy(error, done) {
        // Abandoned half way (the copy failed): the thread forgets what it held of this file.
        if (!this.ended)
            this.send({ stream: this.stream, drop: true }).catch(() => undefined);
        done(error);
    }
    scrubbed(reply) {
        this.counter.redactions += reply.redactions;
        const bytes = reply.bytes;
        return bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : undefined;
    }
}

;// CONCATENATED MODULE: ./lib/collect/scrub-thread.js





/** Files smaller than this are scrubbed on the main thread: a trip to the worker costs more. */
const THREAD_MIN_BYTES = 1024 * 1024;
/**
 * Heap limits of the scrubbing thread. Its garbage is the windows it scrubs (large strings),
 * which V8 frees only at a full collection: a small heap collects them often, so they never
 * pile up (24 MB gave a 1 GiB bundle a peak 6 MB lower than 48 MB; 16 MB, 2 MB lower again).
 * Node 22 and later run some 18 MB higher, so there the old generation is 10 MB: 4 MB less
 * at the peak for 3 % more CPU (on Node 20 it cost 10 %, and 8 MB thrashed).
 * A window's work needs a few MB; should the thread still run out, the file is scrubbed here.
 */
const THREAD_HEAP = {
    maxYoungGenerationSizeMb: 4,
    maxOldGenerationSizeMb: Number(process.versions.node.split('.')[0]) >= 22 ? 10 : 16,
};
/**
 * How long the thread may keep a request unanswered. A window takes it well under a second;
 * a thread stuck for this long (spinning, thrashing near its heap limit) is stopped and the
 * file scrubbed here, instead of the whole job waiting on it until the runner kills it.
 */
const THREAD_STALL_MS = 60_000;
/** The module that starts a scrubbing thread; set by the entry points (registerScrubThread). */
let threadEntry = null;
/**
 * Called by an entry module with its own URL: that module, started as a worker, serves
 * scrubbing (see startEntry in scrub-worker.ts). A bundled build has no separate worker file,
 * so the entry itself is the worker. Without an entry, every file is scrubbed on this thread.
 */
function registerScrubThread(entry) {
    threadEntry = entry;
}
/** The thread stopped (out of memory, killed): the copy it was part of is made again here. */
class ThreadStopped extends Error {
}
/**
 * Scrubs large files on a worker thread, the costliest work per byte, while this thread reads
 * them, hashes them and hands their blocks to the compressor (libuv's pool): the scrubbing
 * then runs beside everything else instead of before it. Large files are staged compressed
 * at `gzipLevel`, so their compression runs while they are scrubbed, not once they are whole
 * (StreamingPacker takes them as they are). Files are staged one at a time, in the order the
 * bundle's budget needs.
 */
class ScrubThread {
    data;
    gzipLevel;
    minBytes;
    stallMs;
    worker = null;
    /** Per stream, the resolvers of its requests in the order they went. */
    waiting = new Map();
    nextStream = 0;
    broken = false;
    /** Armed while a reply is awaited; re-armed by each reply. */
    stallTimer = null;
    /** How many files were scrubbed on the thread (the rest were scrubbed here). */
    copiesOnThread = 0;
    /** Why the thread stopped early, if it did (everything was then scrubbed here). */
    failure = null;
    constructor(data, gzipLevel, minBytes = THREAD_MIN_BYTES, stallMs = THREAD_STALL_MS) {
        this.data = data;
        this.gzipLevel = gzipLevel;
        this.minBytes = minBytes;
        this.stallMs = stallMs;
    }
    /** A scrubbing thread for this redactor's secrets, or null when no entry registered one. */
    static for(redactor, gzipLevel, minBytes = THREAD_MIN_BYTES, stallMs = THREAD_STALL_MS) {
        if (!threadEntry)
            return null;
        const data = {
            k98ScrubWorker: true,
            secretValues: redactor.secretValues,
            userPatterns: redactor.userPatterns,
        };
        return new ScrubThread(data, gzipLevel, minBytes, stallMs);
    }
    /** Starts the thread now, so that its start-up overlaps the small files before the first. */
    warmUp() {
        if (!this.broken)
            this.start();
    }
    /** Same contract as stageCopy(); large files are scrubbed on the thread and gzipped. */
    copy = async (file, stagingDir, archivePath, maxBytes, redactor) => {
        if ((await sizeOf(file)) < this.minBytes) {
            return (0,stage_file/* stageCopy */.Uz)(file, stagingDir, archivePath, maxBytes, redactor);
        }
        const onThread = redactor !== null && !this.broken;
        const scrubStream = onThread ? (counter) => this.scrubStream(counter) : undefined;
        try {
            const staged = await (0,stage_file/* stageCopy */.Uz)(file, stagingDir, archivePath, maxBytes, redactor, {
                gzipLevel: this.gzipLevel,
                scrubStream,
            });
            if (onThread)
                this.copiesOnThread++;
            return staged;
        }
        catch (error) {
            if (!(error instanceof ThreadStopped))
                throw error;
            // What was half written is replaced by a copy scrubbed here.
            await (0,promises_.rm)(external_node_path_.join(stagingDir, archivePath), { force: true });
            return (0,stage_file/* stageCopy */.Uz)(file, stagingDir, archivePath, maxBytes, redactor, {
                gzipLevel: this.gzipLevel,
            });
        }
    };
    /** Stops the thread, so its memory is given back before the uploads. */
    async close() {
        const worker = this.worker;
        this.worker = null;
        worker?.removeAllListeners();
        this.clearStallTimer();
        this.rejectAll('the scrubbing thread was closed');
        await worker?.terminate();
    }
    scrubStream(counter) {
        const stream = this.nextStream++;
        return new ThreadScrub(stream, counter, (request) => this.send(request));
    }
    send(request) {
        if (this.broken)
            return Promise.reject(new ThreadStopped(this.failure ?? 'stopped'));
        const worker = this.start();
        return new Promise((resolve, reject) => {
            // A dropped stream gets no answer.
            if (request.drop)
                resolve({ stream: request.stream, redactions: 0 });
            else
                this.waiting.set(request.stream, [...this.queueOf(request.stream), { resolve, reject }]);
            // A thread with work in hand keeps the process alive; an idle one must not.
            worker.ref();
            if (!request.drop)
                this.stallTimer ??= this.watchForStall(worker);
            const bytes = request.bytes;
            worker.postMessage(request, bytes ? [bytes.buffer] : []);
        });
    }
    queueOf(stream) {
        return this.waiting.get(stream) ?? [];
    }
    start() {
        if (this.worker)
            return this.worker;
        if (!threadEntry)
            throw new Error('no entry registered a scrubbing thread');
        const worker = new external_node_worker_threads_.Worker(threadEntry, { workerData: this.data, resourceLimits: THREAD_HEAP });
        worker.unref();
        worker.on('message', (reply) => {
            this.clearStallTimer();
            const queue = this.waiting.get(reply.stream) ?? [];
            const settle = queue.shift();
            if (queue.length === 0)
                this.waiting.delete(reply.stream);
            if (this.waiting.size === 0)
                worker.unref();
            else
                this.stallTimer = this.watchForStall(worker);
            if (reply.error)
                settle?.reject(new Error(`scrubbing failed: ${reply.error}`));
            else
                settle?.resolve(reply);
        });
        // Out of memory, or killed: what was asked is scrubbed on this thread instead.
        const giveUp = (reason) => this.giveUp(typeof reason === 'number' ? `it exited with code ${reason}` : reason.message);
        worker.on('error', giveUp);
        worker.on('exit', giveUp);
        this.worker = worker;
        return worker;
    }
    /** The thread cannot be relied on any more: what was asked of it is done here instead. */
    giveUp(reason) {
        this.failure ??= reason;
        this.broken = true;
        this.worker = null;
        this.clearStallTimer();
        this.rejectAll(this.failure);
    }
    watchForStall(worker) {
        return setTimeout(() => {
            this.giveUp(`it answered nothing for ${this.stallMs / 1000} s`);
            worker.removeAllListeners();
            void worker.terminate();
        }, this.stallMs);
    }
    clearStallTimer() {
        if (this.stallTimer)
            clearTimeout(this.stallTimer);
        this.stallTimer = null;
    }
    rejectAll(reason) {
        for (const queue of this.waiting.values()) {
            for (const settle of queue)
                settle.reject(new ThreadStopped(reason));
        }
        this.waiting.clear();
    }
}
async function sizeOf(file) {
    try {
        return (await (0,promises_.stat)(file)).size;
    }
    catch {
        // stageCopy reports why the file cannot be read.
        return 0;
    }
}


/***/ }),

/***/ 42488:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   L: () => (/* binding */ startEntry)
/* harmony export */ });
/* unused harmony export serveScrubbing */
/* harmony import */ var node_worker_threads__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(75919);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(452);
/* harmony import */ var _redact_scrubber_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(7513);
/* harmony import */ var _scrub_protocol_js__WEBPACK_IMPORTED_MODULE_4__ = __nccwpck_require__(49594);
/* harmony import */ var _scrub_thread_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(79796);





/**
 * What an entry module does first. Started by a ScrubThread, it serves scrubbing; otherwise
 * it registers itself as the scrubbing thread's worker (a bundled build has no other file to
 * start) and runs `main`.
 */
async function startEntry(entry, main) {
    if (isScrubWorker()) {
        serveScrubbing();
        return;
    }
    (0,_scrub_thread_js__WEBPACK_IMPORTED_MODULE_3__/* .registerScrubThread */ .j8)(new URL(entry));
    await main();
}
/** Whether this thread was started by a ScrubThread (the entry module then serves scrubbing). */
function isScrubWorker() {
    if (node_worker_threads__WEBPACK_IMPORTED_MODULE_0__.isMainThread)
        return false;
    return node_worker_threads__WEBPACK_IMPORTED_MODULE_0__.workerData?.k98ScrubWorker === true;
}
/**
 * Answers the main thread's requests in the order they come: each stream (one file) keeps
 * its own held-back window here until its end.
 */
function serveScrubbing() {
    const data = node_worker_threads__WEBPACK_IMPORTED_MODULE_0__.workerData;
    const redactor = new _redact_scrubber_js__WEBPACK_IMPORTED_MODULE_2__/* .Redactor */ .pO(data.secretValues, data.userPatterns);
    const streams = new Map();
    const port = node_worker_threads__WEBPACK_IMPORTED_MODULE_0__.parentPort;
    if (!port)
        throw new Error('serveScrubbing() runs only in a worker thread');
    port.on('message', (request) => {
        const { stream } = request;
        if (request.drop) {
            streams.delete(stream);
            return;
        }
        const windows = streams.get(stream) ?? new _redact_scrubber_js__WEBPACK_IMPORTED_MODULE_2__/* .WindowScrub */ .E3(redactor);
        streams.set(stream, windows);
        try {
            let scrubbed;
            if (request.end) {
                scrubbed = windows.end();
                streams.delete(stream);
            }
            else {
                const bytes = request.bytes ?? new Uint8Array(0);
                scrubbed = windows.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
            }
            const reply = { stream, redactions: windows.takeRedactions() };
            if (!scrubbed) {
                port.postMessage(reply);
                return;
            }
            reply.bytes = (0,_scrub_protocol_js__WEBPACK_IMPORTED_MODULE_4__/* .ownBuffer */ .V)(scrubbed);
            port.postMessage(reply, [reply.bytes.buffer]);
        }
        catch (error) {
            streams.delete(stream);
            port.postMessage({ stream, redactions: 0, error: (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .errorMessage */ .g)(error) });
        }
    });
}


/***/ }),

/***/ 45635:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Ao: () => (/* binding */ stageContent),
/* harmony export */   HX: () => (/* binding */ stageStream),
/* harmony export */   Qf: () => (/* binding */ inBlocks),
/* harmony export */   Uz: () => (/* binding */ stageCopy),
/* harmony export */   Wb: () => (/* binding */ looksBinary)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(73024);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(51455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(76760);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(57075);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_4__ = __nccwpck_require__(46466);
/* harmony import */ var _pack_fingerprint_js__WEBPACK_IMPORTED_MODULE_5__ = __nccwpck_require__(32149);
/* harmony import */ var _pack_parallel_gzip_js__WEBPACK_IMPORTED_MODULE_6__ = __nccwpck_require__(28275);
/* harmony import */ var _open_regular_js__WEBPACK_IMPORTED_MODULE_7__ = __nccwpck_require__(43817);








/**
 * Writes `source` into the staging directory at `archivePath`, redacting on the way unless
 * `redactor` is null (binary files kept as they are).
 */
async function stageStream(source, stagingDir, archivePath, redactor, options = {}) {
    const { afterScrub, gzipLevel, scrubStream } = options;
    const target = node_path__WEBPACK_IMPORTED_MODULE_2__.join(stagingDir, archivePath);
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.mkdir)(node_path__WEBPACK_IMPORTED_MODULE_2__.dirname(target), { recursive: true });
    const counter = { redactions: 0 };
    const fingerprint = new _pack_fingerprint_js__WEBPACK_IMPORTED_MODULE_5__/* .Fingerprint */ .$();
    const output = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.createWriteStream)(target, { flags: 'wx' });
    const steps = [];
    if (redactor)
        steps.push(scrubStream ? scrubStream(counter) : redactor.stream(counter));
    if (afterScrub)
        steps.push(afterScrub);
    steps.push(fingerprint);
    // Two blocks in flight: compressing a block takes longer than scrubbing it, and with one
    // the copy waited for each block's compression (100 MiB of logs took 3.2 s, now 2.6 s).
    // Blocks of half the size keep the memory in flight where one block put it.
    if (gzipLevel !== undefined) {
        steps.push(new _pack_parallel_gzip_js__WEBPACK_IMPORTED_MODULE_6__/* .ParallelGzip */ .mX(gzipLevel, 2, _pack_parallel_gzip_js__WEBPACK_IMPORTED_MODULE_6__/* .GZIP_BLOCK_BYTES */ .BR / 2));
    }
    await (0,node_stream_promises__WEBPACK_IMPORTED_MODULE_4__.pipeline)([source, ...steps, output]);
    return {
        size: fingerprint.size,
        sha256: fingerprint.hash.digest('hex'),
        redactions: counter.redactions,
        ...(gzipLevel === undefined ? {} : { gzipped: true }),
    };
}
/** Stages generated content. */
function stageContent(content, stagingDir, archivePath, redactor) {
    return stageStream(node_stream__WEBPACK_IMPORTED_MODULE_3__.Readable.from(inBlocks(Buffer.from(content))), stagingDir, archivePath, redactor);
}
/** Splits a buffer into 1 MiB blocks: the scrubber never works on more text than that. */
function* inBlocks(bytes, blockSize = 1024 * 1024) {
    for (let offset = 0; offset < bytes.length; offset += blockSize) {
        yield bytes.subarray(offset, offset + blockSize);
    }
}
/** Whether the first bytes hold a NUL: the file is binary and is not rewritten. */
async function looksBinary(file) {
    const handle = await (0,_open_regular_js__WEBPACK_IMPORTED_MODULE_7__/* .openRegularFile */ .Z)(file);
    try {
        const sample = Buffer.alloc(8192);
        const { bytesRead } = await handle.read(sample, 0, sample.length, 0);
        return sample.subarray(0, bytesRead).includes(0);
    }
    finally {
        await handle.close();
    }
}
/**
 * Copies a file into the staging directory, bounded by `maxBytes`: a larger file keeps its
 * first and last halves with a marker between. The file is read only up to the size it had
 * when opened, so a log appended to meanwhile gives a consistent snapshot.
 */
async function stageCopy(file, stagingDir, archivePath, maxBytes, redactor, options = {}) {
    const handle = await (0,_open_regular_js__WEBPACK_IMPORTED_MODULE_7__/* .openRegularFile */ .Z)(file);
    try {
        const snapshotSize = (await handle.stat()).size;
        const truncated = snapshotSize > maxBytes;
        // Cut at line breaks, so no line (and no secret in it) is split in two; where no line
        // ends near the cut, at least not through anything the redactor would remove.
        let headBytes = snapshotSize;
        let tailStart = snapshotSize;
        if (truncated) {
            headBytes = await lineBoundaryBefore(handle, Math.floor(maxBytes / 2));
            tailStart = await lineBoundaryAfter(handle, snapshotSize - (maxBytes - Math.floor(maxBytes / 2)));
            if (redactor) {
                headBytes = await clearOfSecrets(handle, headBytes, redactor, 'back');
                tailStart = await clearOfSecrets(handle, tailStart, redactor, 'forward');
            }
        }
        const tailBytes = snapshotSize - tailStart;
        const cutBytes = snapshotSize - headBytes - tailBytes;
        const source = node_stream__WEBPACK_IMPORTED_MODULE_3__.Readable.from((async function* () {
            yield* rangeOf(handle, 0, headBytes);
            if (!truncated)
                return;
            yield Buffer.from(`\n[... k98-diagnostics: ${cutBytes} bytes cut from the middle ...]\n`);
            yield* rangeOf(handle, snapshotSize - tailBytes, snapshotSize);
        })(), 
        // Readable.from() reads ahead 16 items by default: 16 MiB of blocks waiting to be
        // scrubbed. One is enough to keep the reader a step ahead.
        { highWaterMark: 1 });
        const staged = await stageStream(source, stagingDir, archivePath, redactor, options);
        return { ...staged, snapshotSize, truncated, cutBytes };
    }
    finally {
        await handle.close();
    }
}
const BOUNDARY_SEARCH = 64 * 1024;
/**
 * The end of the last whole line before `position` (searching back a little), else
 * `position`. Lines end at '\n' or '\r', so CR-only logs are cut at line breaks too.
 */
async function lineBoundaryBefore(handle, position) {
    const start = Math.max(0, position - BOUNDARY_SEARCH);
    const window = Buffer.alloc(position - start);
    const { bytesRead } = await handle.read(window, 0, window.length, start);
    const read = window.subarray(0, bytesRead);
    const lineEnd = Math.max(read.lastIndexOf(0x0a), read.lastIndexOf(0x0d));
    return lineEnd === -1 ? position : start + lineEnd + 1;
}
/** The start of the first whole line at or after `position` (searching on a little). */
async function lineBoundaryAfter(handle, position) {
    if (position === 0)
        return 0;
    const window = Buffer.alloc(BOUNDARY_SEARCH);
    const { bytesRead } = await handle.read(window, 0, window.length, position - 1);
    const read = window.subarray(0, bytesRead);
    const ends = [read.indexOf(0x0a), read.indexOf(0x0d)].filter((index) => index !== -1);
    return ends.length === 0 ? position : position - 1 + Math.min(...ends) + 1;
}
/** Moves a cut at `position` off any match of the redactor around it (see clearCut). */
async function clearOfSecrets(handle, position, redactor, direction) {
    const start = Math.max(0, position - redactor.overlap);
    const window = Buffer.alloc(redactor.overlap * 2);
    const { bytesRead } = await handle.read(window, 0, window.length, start);
    const text = window.toString('latin1', 0, bytesRead);
    return start + redactor.clearCut(text, position - start, direction);
}
/**
 * Reads `start`..`end` in blocks. Each block becomes one window of the scrubber, a string of
 * its size: 512 KiB windows took 8 MB off a bundle's peak memory against 1 MiB ones, for
 * about 3 % (1 GiB) to 8 % (100 MiB) more time. (256 KiB ones, on the scrubbing thread, took
 * 4 MB more off at 1 GiB but made it about 10 % slower.)
 */
async function* rangeOf(handle, start, end) {
    const blockSize = 512 * 1024;
    let position = start;
    while (position < end) {
        const block = Buffer.allocUnsafe(Math.min(blockSize, end - position));
        const { bytesRead } = await handle.read(block, 0, block.length, position);
        // The file shrank while we read it: what was read is the snapshot.
        if (bytesRead === 0)
            return;
        position += bytesRead;
        yield block.subarray(0, bytesRead);
    }
}


/***/ }),

/***/ 452:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   d: () => (/* binding */ InputError),
/* harmony export */   g: () => (/* binding */ errorMessage)
/* harmony export */ });
/**
 * A problem with what the user asked for: reported before anything runs. The value is shown
 * without the password of a URL (`https://bot:***@host`): a wrong URL is still a secret's.
 */
class InputError extends Error {
    input;
    allowed;
    value;
    constructor(input, value, allowed) {
        const shown = value.replace(/(:\/\/[^\s/@:]*:)[^\s/]*@/g, '$1***@');
        super(`Input '${input}' has an invalid value '${shown}': ${allowed}`);
        this.input = input;
        this.allowed = allowed;
        this.name = 'InputError';
        this.value = shown;
    }
}
/** Turns anything thrown into one line of text a user can read. */
function errorMessage(error) {
    if (error instanceof Error) {
        const code = error.code;
        const text = error.message || error.name;
        return code && !text.includes(code) ? `${text} (${code})` : text;
    }
    if (typeof error === 'string')
        return error;
    try {
        return JSON.stringify(error);
    }
    catch {
        return String(error);
    }
}


/***/ }),

/***/ 75691:
/***/ ((__webpack_module__, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(__webpack_module__, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _collect_scrub_worker_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(42488);

// The action's entry, for main and post (and the scrubbing thread's worker).
await (0,_collect_scrub_worker_js__WEBPACK_IMPORTED_MODULE_0__/* .startEntry */ .L)(import.meta.url, async () => (await Promise.all(/* import() */[__nccwpck_require__.e(434), __nccwpck_require__.e(892)]).then(__nccwpck_require__.bind(__nccwpck_require__, 66892))).runAction());

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 32149:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   $: () => (/* binding */ Fingerprint)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(77598);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(57075);


/** Counts and hashes bytes on their way through, so records describe exactly what was written. */
class Fingerprint extends node_stream__WEBPACK_IMPORTED_MODULE_1__.Transform {
    hash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256');
    size = 0;
    lastProgress = Date.now();
    _transform(chunk, _encoding, done) {
        this.hash.update(chunk);
        this.size += chunk.length;
        this.lastProgress = Date.now();
        done(null, chunk);
    }
}


/***/ }),

/***/ 28275:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   BR: () => (/* binding */ GZIP_BLOCK_BYTES),
/* harmony export */   V9: () => (/* binding */ Precompressed),
/* harmony export */   mX: () => (/* binding */ ParallelGzip)
/* harmony export */ });
/* unused harmony export ZLIB_CHUNK_BYTES */
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(48161);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(57075);
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(57975);
/* harmony import */ var node_zlib__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(38522);




const gzip = (0,node_util__WEBPACK_IMPORTED_MODULE_2__.promisify)(node_zlib__WEBPACK_IMPORTED_MODULE_3__.gzip);
/** Input bytes per gzip member: large enough that the ratio barely suffers. */
const GZIP_BLOCK_BYTES = 1024 * 1024;
/**
 * zlib's output buffer per step. Its 16 KiB default costs a thread-pool round trip per 16 KiB
 * of output; a buffer that holds most of a compressed block in one step is much cheaper.
 */
const ZLIB_CHUNK_BYTES = 64 * 1024;
/** Bytes that are gzip members already: ParallelGzip passes them on, in their place. */
class Precompressed {
    members;
    constructor(members) {
        this.members = members;
    }
}
/**
 * gzip that uses every core: the input is cut into blocks, each compressed on libuv's thread
 * pool as an independent gzip member, and the members are written in order. Concatenated
 * members are one valid gzip stream (RFC 1952), read by gunzip and `tar -z` alike, which is
 * also why input that is gzip members already (Precompressed) can go out as it is. Memory is
 * bounded by the blocks in flight.
 */
class ParallelGzip extends node_stream__WEBPACK_IMPORTED_MODULE_1__.Transform {
    level;
    blockBytes;
    pending = [];
    pendingBytes = 0;
    inFlight = [];
    maxInFlight;
    wroteAny = false;
    constructor(level, parallelism = Math.max(2, node_os__WEBPACK_IMPORTED_MODULE_0__.availableParallelism()), blockBytes = GZIP_BLOCK_BYTES) {
        // Written to with Buffers and Precompressed pieces: one piece waiting is enough (an
        // object-mode stream would otherwise take 16, each up to a block of data).
        super({ writableObjectMode: true, writableHighWaterMark: 1 });
        this.level = level;
        this.blockBytes = blockBytes;
        // One block per core: a spare one in flight kept the cores no busier here and cost memory.
        this.maxInFlight = parallelism;
    }
    _transform(chunk, _encoding, done) {
        if (chunk instanceof Precompressed) {
            this.passOn(chunk.members)
                .then(() => done())
                .catch(done);
            return;
        }
        this.pending.push(chunk);
        this.pendingBytes += chunk.length;
        this.drainFullBlocks()
            .then(() => done())
            .catch(done);
    }
    _flush(done) {
        if (this.pendingBytes > 0 || !this.wroteAny)
            this.dispatch(Buffer.concat(this.pending));
        this.pending = [];
        this.pendingBytes = 0;
        this.writeAll()
            .then(() => done())
            .catch(done);
    }
    async drainFullBlocks() {
        if (this.pendingBytes < this.blockBytes)
            return;
        const joined = Buffer.concat(this.pending);
        let offset = 0;
        while (joined.length - offset >= this.blockBytes) {
            this.dispatch(joined.subarray(offset, offset + this.blockBytes));
            offset += this.blockBytes;
            // Backpressure: wait for the oldest block before starting more than the cores can take.
            while (this.inFlight.length >= this.maxInFlight)
                this.push(await this.inFlight.shift());
        }
        const rest = joined.subarray(offset);
        this.pending = rest.length > 0 ? [Buffer.from(rest)] : [];
        this.pendingBytes = rest.length;
    }
    /** Ends the member being gathered, so members made elsewhere follow in order. */
    async passOn(members) {
        if (this.pendingBytes > 0)
            this.dispatch(Buffer.concat(this.pending));
        this.pending = [];
        this.pendingBytes = 0;
        await this.writeAll();
        this.wroteAny = true;
        this.push(members);
    }
    dispatch(block) {
        this.wroteAny = true;
        this.inFlight.push(gzip(block, { level: this.level, chunkSize: ZLIB_CHUNK_BYTES }));
    }
    async writeAll() {
        while (this.inFlight.length > 0)
            this.push(await this.inFlight.shift());
    }
}


/***/ }),

/***/ 54222:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   XF: () => (/* binding */ REDACTED),
/* harmony export */   Xg: () => (/* binding */ isHarmlessAssignment),
/* harmony export */   iR: () => (/* binding */ CREDENTIAL_PATTERNS)
/* harmony export */ });
const REDACTED = '[REDACTED]';
/**
 * `start` where a token may begin: at a word boundary, or right after a JSON escape (`\n`,
 * `\t`) or a percent-escaped byte (`%FF`, as escaped file names have it), both of which end
 * in a word character. The look back is made only where `start` matched: tried at every
 * position, it made these patterns six times slower.
 */
function tokenStart(start) {
    return String.raw `${start}(?<=(?:^|[^A-Za-z0-9_]|\\[nrt]|%[0-9A-Fa-f]{2})${start})`;
}
const CREDENTIAL_PATTERNS = [
    {
        // The body holds no '-' (base64, line breaks, JSON-escaped \n): a run of BEGIN lines
        // without END costs one short scan each, not a scan to the end of the text. An encrypted
        // key's headers (Proc-Type, DEK-Info) are whole lines: each ends at a line break.
        name: 'private-key',
        // PGP's armored `PRIVATE KEY BLOCK` is one too, with its Version or Comment lines: eight
        // header lines at most, or BEGIN lines without an END cost time growing with their square.
        regex: new RegExp('-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY( BLOCK)?-----' +
            '(?:(?:\\s|\\\\[rn])*(?:Proc-Type|DEK-Info|Version|Comment|Hash|Charset):' +
            '[^\\r\\n\\\\]*(?=[\\r\\n\\\\])){0,8}' +
            '[A-Za-z0-9+/=\\s\\\\]*-----END \\1PRIVATE KEY\\2-----', 'g'),
    },
    {
        // Body lines of a key block cut in two (an excerpt, a cut file): a line of 60-76 base64
        // characters with both cases is a key line, also indented (a YAML block) or followed by
        // spaces. The length range is that of the line without those spaces.
        name: 'private-key-line',
        regex: /^[ \t]*(?=[A-Za-z0-9+/]*[a-z])(?=[A-Za-z0-9+/]*[A-Z])[A-Za-z0-9+/]{60,76}={0,2}[ \t]*\r?$/gm,
        lineLength: { min: 60, max: 79 },
    },
    {
        // The last body line of a key is short (any length): the END line right after it tells.
        // Indentation, trailing spaces, the line break and the END line itself are kept.
        name: 'private-key-last-line',
        regex: new RegExp('^([ \\t]*)[A-Za-z0-9+/]+={0,2}' +
            '([ \\t]*(?:\\r\\n?|\\n)[ \\t]*-----END [A-Z0-9 ]*PRIVATE KEY-----)', 'gm'),
        keep: 1,
        keepAfter: 2,
        // Rarer in logs than '-----END ' (dates hold '-'): found 8 times faster.
        nextLineHolds: 'PRIVATE KEY-----',
    },
    // Prefixed tokens are matched wherever they start: after a JSON `\n` or inside an escaped
    // file name (`%FFghp_…`) a word character comes right before them.
    { name: 'github-token', regex: /(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}/g },
    { name: 'github-pat', regex: /github_pat_[A-Za-z0-9_]{40,}/g },
    {
        name: 'aws-access-key-id',
        regex: new RegExp(`${tokenStart('(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|AIPA)')}[A-Z0-9]{16}\\b`, 'g'),
    },
    {
        name: 'aws-secret-key',
        regex: /((?:aws_?secret_?access_?key|SecretAccessKey)["']?\s*[:=]\s*["']?)[A-Za-z0-9/+]{40}/gi,
        keep: 1,
    },
    { name: 'jwt', regex: /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g },
    {
        // The first part is a user id in base64: ids are decimal strings starting 1-9, which
        // always encode to M, N or O. Starting on that letter keeps the scan fast.
        name: 'discord-token',
        regex: new RegExp(`${tokenStart('[MNO]')}[A-Za-z0-9_-]{22,27}\\.[A-Za-z0-9_-]{6,7}\\.[A-Za-z0-9_-]{27,40}\\b`, 'g'),
    },
    {
        name: 'authorization-header',
        regex: /(\b(?:Bearer|Basic|Token)\s+)[A-Za-z0-9._~+/-]{8,}=*/g,
        keep: 1,
    },
    {
        // Starts at the literal `://` (fast to find); the scheme before it is left alone.
        // The user may be empty (`redis://:pw@host`); a raw `@` in the password belongs to it.
        name: 'url-password',
        regex: /(:\/\/[^\s:@/"']*:)[^\s/"']+(@)/g,
        keep: 1,
        keepAfter: 2,
    },
    {
        // A webhook's URL is its credential: anyone holding it can post as the bot.
        name: 'discord-webhook',
        regex: /(discord(?:app)?\.com\/api\/(?:v\d+\/)?webhooks\/\d+\/)[A-Za-z0-9_-]{20,}/g,
        keep: 1,
    },
    {
        name: 'cookie-header',
        regex: /(\b(?:Set-)?Cookie:[ \t]*)[^\r\n]+/gi,
        keep: 1,
    },
    {
        // Also names that end or start with the word: db_password=, bot_token=, secret_key=,
        // "apiToken": "…".
        name: 'assignment',
        // The names are factored by shared prefix (pass…, …key): case-insensitive alternatives are
        // tried at every position, and fewer of them made this pattern 2.5× faster on bot logs.
        // `pwd` only ends a name (MYSQL_PWD, db_pwd): the shell's PWD=/srv/k98 is no secret.
        // The rest of a name is at most 40 characters: unbounded, a long run of word characters
        // holding the names many times (`tokentoken…`) cost time growing with its square.
        // `==` compares (`if password == confirm`); `=>` assigns (`token => …`).
        // Quotes may be JSON-escaped (`{\"password\": \"…\"}` in a JSON log line). A quoted value
        // runs to its closing quote, spaces and escaped quotes included; a bare one to a space or
        // a separator.
        regex: new RegExp('((?:pass(?:word|wd|phrase)|[_-]pwd|token|secret' +
            '|(?:api|access|account)[_-]?key)' +
            `[A-Za-z0-9_-]{0,40}(?:\\\\?["'])?\\s*(?:=>|[:=](?!=))\\s*(?:\\\\"|"|')?)` +
            '((?<=\\\\")(?:[^"\\\\\\r\\n]|\\\\[^"\\r\\n])+' +
            '|(?<=[^\\\\]")(?:[^"\\\\\\r\\n]|\\\\[^\\r\\n])+' +
            "|(?<=')[^'\\r\\n]+" +
            `|(?<!["'])[^\\s"',;&\\]{}]+)`, 'gi'),
        keep: 1,
    },
];
/** Values an `assignment` match leaves alone: not secrets, or already redacted. */
function isHarmlessAssignment(value) {
    return /^(\d{1,7}|true|false|null|none|\*+)$/i.test(value) || value.startsWith('[REDACTED');
}


/***/ }),

/***/ 7513:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   E3: () => (/* binding */ WindowScrub),
/* harmony export */   pO: () => (/* binding */ Redactor)
/* harmony export */ });
/* unused harmony exports SCRUB_OVERLAP, WINDOW_STEP */
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(57075);
/* harmony import */ var _patterns_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(54222);


/**
 * Bytes kept back between chunks so a secret that straddles a chunk boundary is still seen
 * whole: larger than a 4096-bit PEM private key (about 3.3 KiB).
 */
const SCRUB_OVERLAP = 16 * 1024;
/** What to remove from text: exact secret values plus credential shapes. */
class Redactor {
    secretValues;
    userPatterns;
    patterns;
    /** The line patterns' regexes as their scans run them, compiled once. */
    lineRegexes = new Map();
    /** Bytes kept back between chunks: enough for the longest secret value too. */
    overlap;
    /** What it was built from (the scrubbing thread builds its own from the same). */
    constructor(secretValues, userPatterns = []) {
        this.secretValues = secretValues;
        this.userPatterns = userPatterns;
        const values = secretValues.map((value) => Buffer.from(value, 'utf8').toString('latin1'));
        this.patterns = [];
        const longest = Math.max(0, ...values.map((value) => value.length));
        this.overlap = Math.max(SCRUB_OVERLAP, longest + 1024);
        if (values.length > 0) {
            const alternation = values.map(escapeRegExp).join('|');
            this.patterns.push({ name: 'secret-value', regex: new RegExp(alternation, 'g') });
        }
        this.patterns.push(..._patterns_js__WEBPACK_IMPORTED_MODULE_1__/* .CREDENTIAL_PATTERNS */ .iR);
        for (const pattern of userPatterns) {
            const flags = pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`;
            this.patterns.push({ name: 'user', regex: new RegExp(pattern.source, flags) });
        }
        for (const pattern of this.patterns) {
            const { source, flags } = pattern.regex;
            // One line at a time for the line scan; sticky from a line start for the marker scan.
            if (pattern.lineLength) {
                this.lineRegexes.set(pattern, new RegExp(source, strip(flags, 'gmy')));
            }
            else if (pattern.nextLineHolds) {
                this.lineRegexes.set(pattern, new RegExp(source, `${strip(flags, 'gy')}y`));
            }
        }
    }
    /** Redacts latin1 text; returns the text and how many redactions were made. */
    scrubLatin1(text) {
        let count = 0;
        for (const pattern of this.patterns) {
            const lineRegex = this.lineRegexes.get(pattern);
            const lines = lineRegex ? scrubByLines(text, pattern, lineRegex) : null;
            if (lines) {
                text = lines.text;
                count += lines.count;
                continue;
            }
            pattern.regex.lastIndex = 0;
            text = text.replace(pattern.regex, (...match) => {
                const groups = match;
                const whole = groups[0];
                if (pattern.name === 'assignment' && (0,_patterns_js__WEBPACK_IMPORTED_MODULE_1__/* .isHarmlessAssignment */ .Xg)(groups[2] ?? ''))
                    return whole;
                count++;
                const before = pattern.keep ? (groups[pattern.keep] ?? '') : '';
                const after = pattern.keepAfter ? (groups[pattern.keepAfter] ?? '') : '';
                return `${before}${_patterns_js__WEBPACK_IMPORTED_MODULE_1__/* .REDACTED */ .XF}${after}`;
            });
        }
        return { text, count };
    }
    /** Redacts a JavaScript string (UTF-8 in, UTF-8 out). */
    scrubText(text) {
        const latin1 = Buffer.from(text, 'utf8').toString('latin1');
        return Buffer.from(this.scrubLatin1(latin1).text, 'latin1').toString('utf8');
    }
    /**
     * Where a window can be cut so that no match straddles the cut: starts at `overlap` bytes
     * before the end and moves back before any match that crosses it.
     */
    safeCut(window, overlap) {
        const cut = window.length - overlap;
        if (cut <= 0)
            return 0;
        const regionStart = Math.max(0, cut - overlap);
        const moved = regionStart + this.clearCut(window.slice(regionStart), cut - regionStart, 'back');
        return moved > regionStart ? moved : cut;
    }
    /**
     * Moves a cut at `cut` in `text` so that no match straddles it: back to the start of such a
     * match, or forward past its end. Two halves of a secret match nothing, so a cut through
     * one would let both through.
     */
    clearCut(text, cut, direction) {
        let moved = true;
        while (moved) {
            moved = false;
            for (const pattern of this.patterns) {
                for (const [start, end] of this.spans(pattern, text)) {
                    if (start < cut && end > cut) {
                        cut = direction === 'back' ? start : end;
                        moved = true;
                    }
                }
            }
        }
        return cut;
    }
    /**
     * Where each match of `pattern` in `text` starts and ends, found by the scan the scrub
     * uses: a line pattern's regex tried at every position costs several times more.
     */
    *spans(pattern, text) {
        const lineRegex = this.lineRegexes.get(pattern);
        if (lineRegex && pattern.lineLength) {
            yield* lineSpans(text, lineRegex, pattern.lineLength);
        }
        else if (lineRegex && pattern.nextLineHolds) {
            for (const { start, match } of markedMatches(text, lineRegex, pattern.nextLineHolds)) {
                yield [start, start + match[0].length];
            }
        }
        else {
            pattern.regex.lastIndex = 0;
            for (const match of text.matchAll(pattern.regex)) {
                yield [match.index, match.index + match[0].length];
            }
        }
    }
    /** A stream that redacts what passes through it, counting into `counter`. */
    stream(counter, overlap = this.overlap) {
        return new ScrubStream(this, counter, overlap);
    }
}
/**
 * Scrubs a stream of bytes window by window: each chunk joins what was held back, and all
 * but the last `overlap` bytes (moved back off any match crossing the cut) are scrubbed and
 * let out. The main thread's ScrubStream and the scrubbing thread both work through this.
 */
class WindowScrub {
    redactor;
    overlap;
    pending = '';
    /** Redactions made since the last takeRedactions(). */
    redactions = 0;
    constructor(redactor, overlap = redactor.overlap) {
        this.redactor = redactor;
        this.overlap = overlap;
    }
    /** The scrubbed bytes that can go out once `chunk` is in, or null while all is held. */
    push(chunk) {
        const scrubbed = [];
        for (let offset = 0; offset < chunk.length; offset += WINDOW_STEP) {
            const end = Math.min(chunk.length, offset + WINDOW_STEP);
            const text = this.take(chunk.toString('latin1', offset, end));
            if (text)
                scrubbed.push(text);
        }
        return latin1Bytes(scrubbed);
    }
    /** The rest, scrubbed, at the end of the stream. */
    end() {
        const rest = this.pending;
        this.pending = '';
        return rest ? latin1Bytes([this.scrub(rest)]) : null;
    }
    takeRedactions() {
        const count = this.redactions;
        this.redactions = 0;
        return count;
    }
    /** Adds `text` to what is held back; returns what can go out then, scrubbed, if anything. */
    take(text) {
        const window = this.pending + text;
        if (window.length <= this.overlap * 2) {
            this.pending = window;
            return null;
        }
        const cut = this.redactor.safeCut(window, this.overlap);
        this.pending = window.slice(cut);
        return this.scrub(window.slice(0, cut));
    }
    scrub(text) {
        const scrubbed = this.redactor.scrubLatin1(text);
        this.redactions += scrubbed.count;
        return scrubbed.text;
    }
}
/**
 * How much of a chunk joins a window at a time. With the 16 KiB held back, a window stays
 * under 128 KiB, V8's limit for ordinary heap objects: a larger string gets pages of its own,
 * fresh from the kernel and given back once collected, and every string a window makes (the
 * text, each pattern's replacement) paid for its pages again. Windows of 512 KiB cost 140,000
 * page faults per 100 MiB of logs against 43,000 with these, and 10 % more time.
 */
const WINDOW_STEP = 96 * 1024;
/** The texts, one latin1 byte per character, in one buffer; null when there is nothing. */
function latin1Bytes(texts) {
    let total = 0;
    for (const text of texts)
        total += text.length;
    if (total === 0)
        return null;
    const bytes = Buffer.allocUnsafe(total);
    let offset = 0;
    for (const text of texts)
        offset += bytes.write(text, offset, 'latin1');
    return bytes;
}
class ScrubStream extends node_stream__WEBPACK_IMPORTED_MODULE_0__.Transform {
    counter;
    windows;
    constructor(redactor, counter, overlap) {
        super();
        this.counter = counter;
        this.windows = new WindowScrub(redactor, overlap);
    }
    _transform(chunk, _encoding, done) {
        this.let(this.windows.push(chunk));
        done();
    }
    _flush(done) {
        this.let(this.windows.end());
        done();
    }
    let(scrubbed) {
        this.counter.redactions += this.windows.takeRedactions();
        if (scrubbed)
            this.push(scrubbed);
    }
}
/** Runs a line pattern by its cheap scan, with `lineRegex` compiled for that scan. */
function scrubByLines(text, pattern, lineRegex) {
    if (pattern.lineLength)
        return redactLines(text, lineRegex, pattern.lineLength);
    if (pattern.nextLineHolds) {
        return redactLinesBefore(text, pattern, lineRegex, pattern.nextLineHolds);
    }
    return null;
}
function strip(flags, remove) {
    return [...flags].filter((flag) => !remove.includes(flag)).join('');
}
/**
 * Replaces the part of each line that `test` (anchored with ^ and $, not global) matches,
 * spaces and tabs around it left in place.
 */
function redactLines(text, test, range) {
    let scrubbed = '';
    let copied = 0;
    let count = 0;
    for (const [first, last] of lineSpans(text, test, range)) {
        scrubbed += `${text.slice(copied, first)}${_patterns_js__WEBPACK_IMPORTED_MODULE_1__/* .REDACTED */ .XF}`;
        copied = last;
        count++;
    }
    return count === 0 ? { text, count } : { text: scrubbed + text.slice(copied), count };
}
/**
 * The lines `test` matches, without the spaces and tabs around them. Lines end at '\n' or
 * '\r', as they do for the m flag; only those whose length without those spaces is in
 * `range` are tested.
 */
function* lineSpans(text, test, range) {
    let nextLf = text.indexOf('\n');
    let nextCr = text.indexOf('\r');
    for (let start = 0; start <= text.length;) {
        if (nextLf !== -1 && nextLf < start)
            nextLf = text.indexOf('\n', start);
        if (nextCr !== -1 && nextCr < start)
            nextCr = text.indexOf('\r', start);
        const end = Math.min(nextLf === -1 ? text.length : nextLf, nextCr === -1 ? text.length : nextCr);
        let first = start;
        let last = end;
        if (last - first >= range.min) {
            // Most lines neither start nor end with a blank (a log line starts with a digit): for
            // those, two character reads and no loop.
            if (text.charCodeAt(first) <= SPACE || text.charCodeAt(last - 1) <= SPACE) {
                while (first < last && isBlank(text.charCodeAt(first)))
                    first++;
                while (last > first && isBlank(text.charCodeAt(last - 1)))
                    last--;
            }
            const length = last - first;
            if (length >= range.min && length <= range.max && test.test(text.slice(first, last))) {
                yield [first, last];
            }
        }
        start = end + 1;
    }
}
/**
 * Runs `sticky` (the pattern's `^…` regex, m and y flags) only from the start of the line
 * before each line that holds `marker`: a search for a literal is far cheaper
 * than trying the regex at every position of the text.
 */
function redactLinesBefore(text, pattern, sticky, marker) {
    let scrubbed = '';
    let copied = 0;
    let count = 0;
    for (const { start, match } of markedMatches(text, sticky, marker)) {
        const before = pattern.keep ? (match[pattern.keep] ?? '') : '';
        const after = pattern.keepAfter ? (match[pattern.keepAfter] ?? '') : '';
        scrubbed += `${text.slice(copied, start)}${before}${_patterns_js__WEBPACK_IMPORTED_MODULE_1__/* .REDACTED */ .XF}${after}`;
        copied = start + match[0].length;
        count++;
    }
    return count === 0 ? { text, count } : { text: scrubbed + text.slice(copied), count };
}
/** The matches of `sticky` that start on the line before a line holding `marker`. */
function* markedMatches(text, sticky, marker) {
    // Line breaks are looked for back to the end of the previous marker only, so no part of
    // the text is walked twice, however many markers a hostile file holds.
    let floor = 0;
    for (let at = text.indexOf(marker); at !== -1; at = text.indexOf(marker, at + marker.length)) {
        const start = previousLineStart(text, at, floor);
        floor = at + marker.length;
        if (start === -1)
            continue;
        sticky.lastIndex = start;
        const match = sticky.exec(text);
        if (match)
            yield { start, match };
    }
}
/**
 * Where the line before the line holding `at` starts (a line break is '\r\n', '\n' or '\r'),
 * or -1 when that is not found after `floor`: the line holding `at` is the first one, or
 * one of the two lines also holds the previous marker (already looked at, or no key line).
 */
function previousLineStart(text, at, floor) {
    let lineBreak = lastBreak(text, at, floor);
    if (lineBreak === -1)
        return -1;
    if (text.charCodeAt(lineBreak) === LF && text.charCodeAt(lineBreak - 1) === CR)
        lineBreak--;
    const before = lastBreak(text, lineBreak, floor);
    if (before !== -1)
        return before + 1;
    return floor === 0 ? 0 : -1;
}
/** The last '\n' or '\r' before `end` and at or after `floor`, or -1. */
function lastBreak(text, end, floor) {
    for (let index = end - 1; index >= floor; index--) {
        const code = text.charCodeAt(index);
        if (code === LF || code === CR)
            return index;
    }
    return -1;
}
const TAB = 9;
const SPACE = 32;
const LF = 10;
const CR = 13;
function isBlank(code) {
    return code === SPACE || code === TAB;
}
function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}


/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		id: moduleId,
/******/ 		loaded: false,
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId].call(module.exports, module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Flag the module as loaded
/******/ 	module.loaded = true;
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/******/ // expose the modules object (__webpack_modules__)
/******/ __nccwpck_require__.m = __webpack_modules__;
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/create fake namespace object */
/******/ (() => {
/******/ 	var getProto = Object.getPrototypeOf ? (obj) => (Object.getPrototypeOf(obj)) : (obj) => (obj.__proto__);
/******/ 	var leafPrototypes;
/******/ 	// create a fake namespace object
/******/ 	// mode & 1: value is a module id, require it
/******/ 	// mode & 2: merge all properties of value into the ns
/******/ 	// mode & 4: return value when already ns object
/******/ 	// mode & 16: return value when it's Promise-like
/******/ 	// mode & 8|1: behave like require
/******/ 	__nccwpck_require__.t = function(value, mode) {
/******/ 		if(mode & 1) value = this(value);
/******/ 		if(mode & 8) return value;
/******/ 		if(typeof value === 'object' && value) {
/******/ 			if((mode & 4) && value.__esModule) return value;
/******/ 			if((mode & 16) && typeof value.then === 'function') return value;
/******/ 		}
/******/ 		var ns = Object.create(null);
/******/ 		__nccwpck_require__.r(ns);
/******/ 		var def = {};
/******/ 		leafPrototypes = leafPrototypes || [null, getProto({}), getProto([]), getProto(getProto)];
/******/ 		for(var current = mode & 2 && value; typeof current == 'object' && !~leafPrototypes.indexOf(current); current = getProto(current)) {
/******/ 			Object.getOwnPropertyNames(current).forEach((key) => (def[key] = () => (value[key])));
/******/ 		}
/******/ 		def['default'] = () => (value);
/******/ 		__nccwpck_require__.d(ns, def);
/******/ 		return ns;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/ensure chunk */
/******/ (() => {
/******/ 	__nccwpck_require__.f = {};
/******/ 	// This file contains only the entry chunk.
/******/ 	// The chunk loading function for additional chunks
/******/ 	__nccwpck_require__.e = (chunkId) => {
/******/ 		return Promise.all(Object.keys(__nccwpck_require__.f).reduce((promises, key) => {
/******/ 			__nccwpck_require__.f[key](chunkId, promises);
/******/ 			return promises;
/******/ 		}, []));
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/get javascript chunk filename */
/******/ (() => {
/******/ 	// This function allow to reference async chunks
/******/ 	__nccwpck_require__.u = (chunkId) => {
/******/ 		// return url for filenames based on template
/******/ 		return "" + chunkId + ".index.js";
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/******/ /* webpack/runtime/make namespace object */
/******/ (() => {
/******/ 	// define __esModule on exports
/******/ 	__nccwpck_require__.r = (exports) => {
/******/ 		if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 			Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 		}
/******/ 		Object.defineProperty(exports, '__esModule', { value: true });
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/node module decorator */
/******/ (() => {
/******/ 	__nccwpck_require__.nmd = (module) => {
/******/ 		module.paths = [];
/******/ 		if (!module.children) module.children = [];
/******/ 		return module;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/import chunk loading */
/******/ (() => {
/******/ 	// no baseURI
/******/ 	
/******/ 	// object to store loaded and loading chunks
/******/ 	// undefined = chunk not loaded, null = chunk preloaded/prefetched
/******/ 	// [resolve, Promise] = chunk loading, 0 = chunk loaded
/******/ 	var installedChunks = {
/******/ 		792: 0
/******/ 	};
/******/ 	
/******/ 	var installChunk = (data) => {
/******/ 		var {ids, modules, runtime} = data;
/******/ 		// add "modules" to the modules object,
/******/ 		// then flag all "ids" as loaded and fire callback
/******/ 		var moduleId, chunkId, i = 0;
/******/ 		for(moduleId in modules) {
/******/ 			if(__nccwpck_require__.o(modules, moduleId)) {
/******/ 				__nccwpck_require__.m[moduleId] = modules[moduleId];
/******/ 			}
/******/ 		}
/******/ 		if(runtime) runtime(__nccwpck_require__);
/******/ 		for(;i < ids.length; i++) {
/******/ 			chunkId = ids[i];
/******/ 			if(__nccwpck_require__.o(installedChunks, chunkId) && installedChunks[chunkId]) {
/******/ 				installedChunks[chunkId][0]();
/******/ 			}
/******/ 			installedChunks[ids[i]] = 0;
/******/ 		}
/******/ 	
/******/ 	}
/******/ 	
/******/ 	__nccwpck_require__.f.j = (chunkId, promises) => {
/******/ 			// import() chunk loading for javascript
/******/ 			var installedChunkData = __nccwpck_require__.o(installedChunks, chunkId) ? installedChunks[chunkId] : undefined;
/******/ 			if(installedChunkData !== 0) { // 0 means "already installed".
/******/ 	
/******/ 				// a Promise means "currently loading".
/******/ 				if(installedChunkData) {
/******/ 					promises.push(installedChunkData[1]);
/******/ 				} else {
/******/ 					if(true) { // all chunks have JS
/******/ 						// setup Promise in chunk cache
/******/ 						var promise = import("./" + __nccwpck_require__.u(chunkId)).then(installChunk, (e) => {
/******/ 							if(installedChunks[chunkId] !== 0) installedChunks[chunkId] = undefined;
/******/ 							throw e;
/******/ 						});
/******/ 						var promise = Promise.race([promise, new Promise((resolve) => (installedChunkData = installedChunks[chunkId] = [resolve]))])
/******/ 						promises.push(installedChunkData[1] = promise);
/******/ 					}
/******/ 				}
/******/ 			}
/******/ 	};
/******/ 	
/******/ 	// no prefetching
/******/ 	
/******/ 	// no preloaded
/******/ 	
/******/ 	// no external install chunk
/******/ 	
/******/ 	// no on chunks loaded
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(75691);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
