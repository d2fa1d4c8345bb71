export const id = 2;
export const ids = [2];
export const modules = {

/***/ 27002:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  artifactUploader: () => (/* binding */ artifactUploader),
  artifactUrl: () => (/* binding */ artifactUrl),
  findExistingArtifact: () => (/* binding */ findExistingArtifact)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./node_modules/@actions/artifact/lib/artifact.js + 273 modules
var artifact = __webpack_require__(48787);
// EXTERNAL MODULE: ./lib/errors.js
var errors = __webpack_require__(452);
;// CONCATENATED MODULE: ./lib/upload/artifact-env.js
/**
 * Upload concurrency for the artifact library: one block at a time, the lowest it goes (193 MiB
 * peak at the library's default of 5 with its 8 MiB blocks).
 */
const ARTIFACT_UPLOAD_CONCURRENCY = 1;
/**
 * Block size for the artifact library, which patches/@actions+artifact+6.2.1.patch lets us
 * set (the library has it fixed at 8 MiB and reads the file, so it cannot be done from here).
 * Its streams hold some five blocks at once (a fresh buffer per file read, its 8 MiB stream
 * buffers, the block being sent). Measured with `k98-diagnostics upload` of a 256 MiB archive
 * (peak RSS, MiB), 8 MiB blocks: 130-137 on Node 20 but 151-155 on Node 24, whose node and
 * loaded library take some 20 MiB more; 4 MiB blocks: 116-118 and 131-135. Two 4 MiB blocks at
 * once were faster on loopback but peaked at 141-142 on Node 24, too near the 150 MB bound.
 */
const ARTIFACT_UPLOAD_CHUNK_SIZE = 4 * 1024 * 1024;
/** The block size in effect; called inside `withArtifactEnv`, where a user's value counts. */
function artifactChunkSize() {
    return Number(process.env.ACTIONS_ARTIFACT_UPLOAD_CHUNK_SIZE) || ARTIFACT_UPLOAD_CHUNK_SIZE;
}
/** The variables @actions/artifact reads from process.env when it is called. */
const LIBRARY_VARIABLES = [
    'ACTIONS_RUNTIME_TOKEN',
    'ACTIONS_RESULTS_URL',
    'GITHUB_SERVER_URL',
    'GITHUB_RETENTION_DAYS',
    'ACTIONS_ARTIFACT_UPLOAD_CONCURRENCY',
    'ACTIONS_ARTIFACT_UPLOAD_CHUNK_SIZE',
    'ACTIONS_ARTIFACT_UPLOAD_TIMEOUT_MS',
];
/**
 * Runs `body` with the library's variables taken from the request's environment rather than
 * the process's, so a caller (and a test) decides what the library sees. The concurrency, block
 * size and stall timeout are ours unless the user set the library's own variables. The process's
 * values are restored afterwards.
 */
async function withArtifactEnv(env, stallTimeoutMs, body) {
    const saved = new Map(LIBRARY_VARIABLES.map((name) => [name, process.env[name]]));
    const wanted = {
        ACTIONS_RUNTIME_TOKEN: env.ACTIONS_RUNTIME_TOKEN,
        ACTIONS_RESULTS_URL: env.ACTIONS_RESULTS_URL,
        GITHUB_SERVER_URL: env.GITHUB_SERVER_URL,
        GITHUB_RETENTION_DAYS: env.GITHUB_RETENTION_DAYS,
        ACTIONS_ARTIFACT_UPLOAD_CONCURRENCY: env.ACTIONS_ARTIFACT_UPLOAD_CONCURRENCY || String(ARTIFACT_UPLOAD_CONCURRENCY),
        ACTIONS_ARTIFACT_UPLOAD_CHUNK_SIZE: env.ACTIONS_ARTIFACT_UPLOAD_CHUNK_SIZE || String(ARTIFACT_UPLOAD_CHUNK_SIZE),
        ACTIONS_ARTIFACT_UPLOAD_TIMEOUT_MS: env.ACTIONS_ARTIFACT_UPLOAD_TIMEOUT_MS || String(stallTimeoutMs),
    };
    checkChunkSize(wanted.ACTIONS_ARTIFACT_UPLOAD_CHUNK_SIZE);
    for (const name of LIBRARY_VARIABLES)
        setVariable(name, wanted[name]);
    try {
        return await body();
    }
    finally {
        for (const [name, value] of saved)
            setVariable(name, value);
    }
}
/**
 * The patched library rejects a block size out of range only once the artifact is created
 * (and left empty on the run); the same rule, checked before any call.
 */
function checkChunkSize(value = '') {
    const bytes = Number(value);
    if (Number.isInteger(bytes) && bytes >= 1024 * 1024 && bytes <= 64 * 1024 * 1024)
        return;
    throw new Error(`Invalid value set for ACTIONS_ARTIFACT_UPLOAD_CHUNK_SIZE env variable: '${value}' ` +
        '(a number of bytes from 1048576 to 67108864; unset it for the default)');
}
function setVariable(name, value) {
    if (value === undefined || value === '')
        delete process.env[name];
    else
        process.env[name] = value;
}

// EXTERNAL MODULE: ./lib/memory/collecting-garbage.js
var collecting_garbage = __webpack_require__(13859);
;// CONCATENATED MODULE: ./lib/upload/artifact-errors.js

/**
 * True when the service refused the name because a finalized artifact already has it in this
 * run. The library passes the service's answer through as text: `(409) Conflict: …`.
 */
function isNameConflict(error) {
    const text = (0,errors/* errorMessage */.g)(error);
    return /\(409\)/.test(text) || /already[ _]exists/i.test(text);
}
/** The conflict message for a name the user chose (or every default name being taken). */
function conflictMessage(name, archivePath, explicit) {
    const what = explicit
        ? `an artifact named '${name}' already exists in this workflow run (409 Conflict)`
        : `the default artifact name and its suffixes up to '${name}' are all taken in this run`;
    return (`${what}. Set artifact-name to a name unique to this step (for a matrix job, set ` +
        'matrix-key: ${{ strategy.job-index }}), or set overwrite: true to delete the earlier ' +
        `artifact of that name first. The bundle is kept at ${archivePath}`);
}
/**
 * Turns what @actions/artifact throws into one message a user can act on. The library has
 * already retried what it considers transient; this only explains the final failure.
 */
function describeArtifactError(error, context) {
    const name = error instanceof Error ? error.name : '';
    const text = firstLine((0,errors/* errorMessage */.g)(error));
    const kept = `The bundle is kept at ${context.archivePath}`;
    const status = httpStatus(error, text);
    if (isNameConflict(error)) {
        return conflictMessage(context.artifactName, context.archivePath, true);
    }
    if (name === 'GHESNotSupportedError') {
        return ('workflow artifacts through @actions/artifact are not supported on GitHub Enterprise ' +
            `Server (GITHUB_SERVER_URL points elsewhere than github.com); use s3 or http. ${kept}`);
    }
    if (name === 'UsageError') {
        return ('the artifact storage quota of this account or organisation is used up: delete old ' +
            `artifacts, lower retention-days, or upload to s3 or http instead. ${kept}`);
    }
    const unreachable = /\b(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH)\b/.test(text);
    if (name === 'NetworkError' || unreachable) {
        return (`could not reach the artifact service at ${context.resultsUrl || 'ACTIONS_RESULTS_URL'} ` +
            `(${networkCode(error, text)}); on a self-hosted runner check that it can reach ` +
            `GitHub's Actions endpoints. ${kept}`);
    }
    if (/invalid and\/or missing claims|ACTIONS_RUNTIME_TOKEN/.test(text)) {
        return ('ACTIONS_RUNTIME_TOKEN is not a runtime token the artifact library can read (it lacks ' +
            `the Actions.Results scope); run inside a GitHub Actions job or use s3 or http. ${kept}`);
    }
    if (status === 401 || status === 403) {
        return (`the artifact service refused this job's credentials (${status}): ${text}. The runtime ` +
            'token may have expired (a very long job) or the signed upload URL was rejected; ' +
            `re-run the job. ${kept}`);
    }
    if (/stalled/i.test(text)) {
        return (`the artifact upload made no progress for ${Math.round(context.stallTimeoutMs / 1000)} s ` +
            `(upload-timeout-seconds) and was abandoned. ${kept}`);
    }
    if (/after \d+ attempts/.test(text)) {
        return `the artifact service kept failing, the library gave up: ${text}. ${kept}`;
    }
    return `artifact upload failed: ${text}. ${kept}`;
}
/** The HTTP status from the library's text (`(401) Unauthorized`) or a storage RestError. */
function httpStatus(error, text) {
    const fromError = error?.statusCode;
    if (typeof fromError === 'number')
        return fromError;
    const match = /\((\d{3})\)/.exec(text);
    return match ? Number(match[1]) : undefined;
}
function networkCode(error, text) {
    const code = error?.code;
    if (typeof code === 'string')
        return code;
    return /\b(E[A-Z]+)\b/.exec(text)?.[1] ?? 'network error';
}
/** The library's messages run over several lines of advice; the first line says what failed. */
function firstLine(text) {
    return (text.split('\n')[0] ?? text).trim();
}

;// CONCATENATED MODULE: ./lib/upload/artifact-name.js
/** How many names a default-named upload tries: the name itself, then `-2` … `-10`. */
const MAX_NAME_CANDIDATES = 10;
/**
 * Characters the artifact service rejects in a name. Matrix values (`ubuntu:22.04/py3.12`) and
 * timestamps with colons bring them in, so they are replaced rather than reported.
 */
const REJECTED_CHARACTERS = /[":<>|*?\r\n\\/]+/g;
/** The extension the uploaded file carries; the service names the artifact after the file. */
const ARCHIVE_EXTENSION = '.tar.gz';
/** Replaces the characters the artifact service rejects with `-`. */
function sanitizeArtifactName(name) {
    return name.replace(REJECTED_CHARACTERS, '-').trim();
}
/**
 * The default name, `k98-diagnostics-<job>[-<matrix-key>]-attempt<N>`. An action cannot read
 * the matrix it runs in, so `matrix-key` is how a matrix job gets a stable, distinct name.
 */
function defaultArtifactName(matrixKey, env) {
    const job = env.GITHUB_JOB?.trim() || 'job';
    const attempt = env.GITHUB_RUN_ATTEMPT?.trim() || '1';
    const key = matrixKey ? `-${matrixKey}` : '';
    return `k98-diagnostics-${job}${key}-attempt${attempt}`;
}
/**
 * The artifact names to try, each ending in `.tar.gz` (the name the service shows and the file
 * a maintainer downloads). A default name gets suffixes `-2` … `-10` for when an earlier step
 * or a sibling matrix job in this run already took it.
 */
function artifactNames(settings, env) {
    const explicit = settings.name !== '';
    const wanted = withoutExtension(explicit ? settings.name : defaultArtifactName(settings.matrixKey, env));
    const base = sanitizeArtifactName(wanted) || 'k98-diagnostics';
    const names = {
        candidates: [`${base}${ARCHIVE_EXTENSION}`],
        explicit,
    };
    if (base !== wanted)
        names.original = wanted;
    if (!explicit) {
        for (let suffix = 2; suffix <= MAX_NAME_CANDIDATES; suffix++) {
            names.candidates.push(`${base}-${suffix}${ARCHIVE_EXTENSION}`);
        }
    }
    return names;
}
/** A user who writes `artifact-name: logs.tar.gz` gets `logs.tar.gz`, not `logs.tar.gz.tar.gz`. */
function withoutExtension(name) {
    return name.replace(/\.(tar\.gz|tgz)$/i, '');
}

;// CONCATENATED MODULE: ./lib/upload/artifact.js









/**
 * The workflow artifact destination. The tar.gz goes up as it is (no zip around it), under
 * `<name>.tar.gz`; the library's own retries are the only ones.
 */
const artifactUploader = {
    destination: 'artifact',
    upload: uploadArtifact,
};
async function uploadArtifact(request) {
    const { env, reporter, settings } = request;
    if (env.ACTIONS_RUNTIME_TOKEN)
        reporter.setSecret(env.ACTIONS_RUNTIME_TOKEN);
    if (isEnterpriseServer(env)) {
        return failed('@actions/artifact does not support workflow artifacts on GitHub Enterprise Server ' +
            `(${env.GITHUB_SERVER_URL}); use s3 or http. The bundle is kept at ${request.archivePath}`);
    }
    const names = artifactNames(settings.artifact, env);
    const firstName = names.candidates[0] ?? '';
    if (names.original !== undefined) {
        reporter.info(`Artifact name '${names.original}' has characters the artifact service rejects; ` +
            `using '${firstName}'`);
    }
    // The library names an unwrapped upload after its file, so the archive gets a second name
    // (a hard link, or a copy across file systems) in a directory of its own.
    const staging = await (0,promises_.mkdtemp)(external_node_path_.join(env.RUNNER_TEMP || (0,external_node_os_.tmpdir)(), 'k98-artifact-'));
    let current = firstName;
    try {
        return await withArtifactEnv(env, settings.stallTimeoutMs, () => uploadUnderFreeName(request, names, staging, (name) => (current = name)));
    }
    catch (error) {
        const message = describeArtifactError(error, {
            artifactName: current,
            archivePath: request.archivePath,
            resultsUrl: env.ACTIONS_RESULTS_URL ?? '',
            stallTimeoutMs: settings.stallTimeoutMs,
        });
        return { destination: 'artifact', ok: false, outputs: {}, error: message };
    }
    finally {
        await (0,promises_.rm)(staging, { recursive: true, force: true });
    }
}
/**
 * Tries the candidate names in order. A name conflict moves a default name on to its next
 * suffix; an explicit name fails with advice. Any other error is thrown to the caller.
 */
async function uploadUnderFreeName(request, names, staging, trying) {
    const { reporter, settings } = request;
    const client = new artifact/* DefaultArtifactClient */.t9();
    let taken = new Set();
    for (const name of names.candidates) {
        if (taken.has(name))
            continue;
        trying(name);
        if (settings.artifact.overwrite)
            await deleteEarlier(client, name, request);
        const file = await stageArchive(request.archivePath, staging, name);
        reporter.info(`Uploading workflow artifact '${name}' (${request.size} bytes)`);
        try {
            // One block of the library's: see collectingGarbage.
            const response = await (0,collecting_garbage/* collectingGarbage */.q)(artifactChunkSize(), (message) => reporter.debug(message), () => client.uploadArtifact(name, [file], staging, {
                skipArchive: true,
                retentionDays: settings.artifact.retentionDays || undefined,
            }));
            return uploaded(request, name, response.id, response.digest);
        }
        catch (error) {
            if (!isNameConflict(error))
                throw error;
        }
        // Someone (an earlier step, a sibling matrix job, or our own main step before a post
        // step) has this name. The same bundle under any of our names counts as uploaded.
        const existing = await listQuietly(client, request);
        const same = findSameBundle(existing, names.candidates, request.sha256);
        if (same)
            return alreadyPresent(request, same);
        if (names.explicit) {
            return failed(conflictMessage(name, request.archivePath, true));
        }
        taken = new Set(existing.map((artifact) => artifact.name));
        reporter.info(`Artifact name '${name}' is already taken in this run; trying the next one`);
    }
    const last = names.candidates[names.candidates.length - 1] ?? '';
    return failed(conflictMessage(last, request.archivePath, false));
}
/**
 * A workflow artifact of one of our names that already holds exactly this bundle, as an upload
 * result; undefined when there is none or the service cannot be asked. For the post step: a
 * bundle main already uploaded counts as uploaded.
 */
async function findExistingArtifact(request) {
    const { env, reporter, settings } = request;
    const names = artifactNames(settings.artifact, env);
    try {
        return await withArtifactEnv(env, settings.stallTimeoutMs, async () => {
            const { artifacts } = await new artifact/* DefaultArtifactClient */.t9().listArtifacts();
            const same = findSameBundle(artifacts, names.candidates, request.sha256);
            return same ? alreadyPresent(request, same) : undefined;
        });
    }
    catch (error) {
        reporter.debug(`Could not list this run's artifacts: ${(0,errors/* errorMessage */.g)(error)}`);
        return undefined;
    }
}
/** This run's artifacts; none when the list fails (the conflict is then all we know). */
async function listQuietly(client, request) {
    try {
        return (await client.listArtifacts()).artifacts;
    }
    catch (error) {
        request.reporter.debug(`Could not list this run's artifacts: ${(0,errors/* errorMessage */.g)(error)}`);
        return [];
    }
}
function findSameBundle(artifacts, names, sha256) {
    return artifacts.find((artifact) => names.includes(artifact.name) && bareDigest(artifact.digest) === sha256);
}
/** `overwrite: true`: the earlier artifact of this name in this run goes first. */
async function deleteEarlier(client, name, request) {
    try {
        const { id } = await client.deleteArtifact(name);
        request.reporter.info(`Deleted the earlier artifact '${name}' (id ${id}) to replace it`);
    }
    catch (error) {
        if (error instanceof Error && error.name === 'ArtifactNotFoundError')
            return;
        throw error;
    }
}
/** The archive under `name` in the staging directory, without touching the original. */
async function stageArchive(archivePath, staging, name) {
    const file = external_node_path_.join(staging, name);
    await (0,promises_.rm)(file, { force: true });
    try {
        await (0,promises_.link)(archivePath, file);
    }
    catch {
        await (0,promises_.copyFile)(archivePath, file);
    }
    return file;
}
function uploaded(request, name, id, digest) {
    if (id === undefined)
        return failed(`the artifact service returned no id for '${name}'`);
    if (digest && digest !== request.sha256) {
        return failed(`the bytes uploaded as '${name}' have sha256 ${digest}, not the archive's ` +
            `${request.sha256} (was it changed during the upload?). The bundle is kept at ` +
            request.archivePath);
    }
    request.reporter.info(`Uploaded workflow artifact '${name}' (id ${id})`);
    return result(request, name, id, request.sha256);
}
function alreadyPresent(request, artifact) {
    request.reporter.info(`Workflow artifact '${artifact.name}' (id ${artifact.id}) already holds this bundle; ` +
        'not uploading it again');
    return result(request, artifact.name, artifact.id, request.sha256);
}
function result(request, name, id, sha256) {
    const url = artifactUrl(request.env, id);
    const outputs = { 'artifact-id': String(id), 'artifact-digest': sha256 };
    if (url)
        outputs['artifact-url'] = url;
    return {
        destination: 'artifact',
        ok: true,
        location: url || `workflow artifact '${name}' (id ${id})`,
        outputs,
        notes: [`Workflow artifact: ${name}`],
    };
}
/** The run's artifact page; empty outside a run (no repository or run id to link to). */
function artifactUrl(env, id) {
    const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
    if (!env.GITHUB_REPOSITORY || !env.GITHUB_RUN_ID)
        return '';
    return `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}/artifacts/${id}`;
}
/**
 * The library refuses any server but github.com and GHE.com (`*.ghe.com`) with a warning that
 * calls the error temporary; saying so first gives the user the real reason.
 */
function isEnterpriseServer(env) {
    if (!env.GITHUB_SERVER_URL)
        return false;
    let host = '';
    try {
        host = new URL(env.GITHUB_SERVER_URL).hostname.toLowerCase();
    }
    catch {
        return false;
    }
    return host !== 'github.com' && !host.endsWith('.ghe.com') && !host.endsWith('.localhost');
}
/** The service lists digests as `sha256:<hex>`; the library's upload answer is bare hex. */
function bareDigest(digest) {
    return (digest ?? '').replace(/^sha256:/, '');
}
function failed(error) {
    return { destination: 'artifact', ok: false, outputs: {}, error };
}


/***/ })

};
