export const id = 892;
export const ids = [892];
export const modules = {

/***/ 66892:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runAction: () => (/* binding */ runAction)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 10 modules
var core = __webpack_require__(26784);
// EXTERNAL MODULE: ./lib/errors.js
var errors = __webpack_require__(452);
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(31421);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
;// CONCATENATED MODULE: ./lib/run/shell.js


/** Finds an executable on PATH, or null. */
function findOnPath(name, env = process.env) {
    for (const directory of (env.PATH ?? '').split(external_node_path_.delimiter)) {
        if (!directory)
            continue;
        const candidate = external_node_path_.join(directory, name);
        try {
            (0,external_node_fs_.accessSync)(candidate, external_node_fs_.constants.X_OK);
            return candidate;
        }
        catch {
            // not here; keep looking
        }
    }
    return null;
}
/**
 * How a command line is run: through bash exactly as a `run:` step runs it (fail on the
 * first error and on a failing pipe), or through sh where bash is missing.
 */
function shellInvocation(command) {
    const bash = findOnPath('bash');
    if (bash)
        return { file: bash, args: ['--noprofile', '--norc', '-eo', 'pipefail', '-c', command] };
    return { file: '/bin/sh', args: ['-e', '-c', command] };
}

;// CONCATENATED MODULE: ./lib/collect/system-info.js




/** meta/system_info.json: what machine this was, and which GitHub run when in Actions. */
async function systemInfo(workingDirectory, env) {
    return {
        timestamp: new Date().toISOString(),
        os: { platform: external_node_os_.platform(), release: external_node_os_.release(), type: external_node_os_.type() },
        arch: external_node_os_.arch(),
        hostname: external_node_os_.hostname(),
        cpu_count: external_node_os_.availableParallelism(),
        memory_total_bytes: external_node_os_.totalmem(),
        memory_free_bytes: external_node_os_.freemem(),
        disk_free_bytes: await freeDisk(workingDirectory),
        node_version: process.version,
        python_version: await takePythonProbe(),
        cwd: workingDirectory,
        github: githubContext(env),
    };
}
async function freeDisk(directory) {
    try {
        const stats = await (0,promises_.statfs)(directory);
        return stats.bavail * stats.bsize;
    }
    catch {
        return null;
    }
}
/** The probe started by startPythonProbe(), taken once. */
let startedProbe = null;
/**
 * Asks the interpreter for its version now, while the run starts up, so that the answer is
 * there when meta/system_info.json is made: behind a version manager's shim (pyenv) the
 * question takes 100 ms or more, which collection would otherwise spend waiting.
 */
function startPythonProbe() {
    startedProbe ??= pythonVersion();
}
function takePythonProbe() {
    const probe = startedProbe ?? pythonVersion();
    startedProbe = null;
    return probe;
}
/** `python --version` of the first interpreter found, or null. */
async function pythonVersion() {
    for (const name of ['python3', 'python']) {
        const file = findOnPath(name);
        if (!file)
            continue;
        const version = await new Promise((resolve) => {
            (0,external_node_child_process_.execFile)(file, ['--version'], { timeout: 5000 }, (error, stdout, stderr) => resolve(error ? null : `${stdout}${stderr}`.trim()));
        });
        if (version)
            return version;
    }
    return null;
}
function githubContext(env) {
    if (!env.GITHUB_ACTIONS && !env.GITHUB_RUN_ID)
        return null;
    const fields = {
        repository: env.GITHUB_REPOSITORY,
        sha: env.GITHUB_SHA,
        ref: env.GITHUB_REF,
        workflow: env.GITHUB_WORKFLOW,
        run_id: env.GITHUB_RUN_ID,
        run_attempt: env.GITHUB_RUN_ATTEMPT,
        job: env.GITHUB_JOB,
        runner_name: env.RUNNER_NAME,
        runner_os: env.RUNNER_OS,
        event_name: env.GITHUB_EVENT_NAME,
    };
    return Object.fromEntries(Object.entries(fields).filter((field) => Boolean(field[1])));
}

;// CONCATENATED MODULE: ./lib/inputs/definitions.js
/**
 * Every input of the action, with its literal default: the one place in the code that
 * names them. action.yml carries the same defaults for the runner; a test keeps the two
 * in step. An empty default means "resolved in code" (from the environment or another input).
 */
const INPUT_DEFAULTS = {
    'working-directory': '.',
    'run-commands': 'true',
    'smoke-command': 'python scripts/smoke_imports.py',
    'test-command': 'python -m pytest',
    'timeout-minutes': '30',
    'log-dir': '',
    'data-dir': '',
    'include-logs': 'false',
    'head-lines': '250',
    'tail-lines': '2000',
    'extra-paths': '',
    service: '',
    'max-file-size': '50MiB',
    'max-bundle-size': '500MiB',
    output: '',
    'fail-on-command-failure': 'true',
    'fail-on-no-tests': 'true',
    'compression-level': '6',
    'redact-patterns': '',
    'redact-env-names': '',
    upload: 'auto',
    'upload-retries': '3',
    'upload-timeout-seconds': '300',
    'http-url': '',
    'http-token': '',
    'allow-insecure-http': 'false',
    's3-bucket': '',
    's3-prefix': '',
    's3-region': '',
    's3-endpoint': '',
    's3-force-path-style': '',
    's3-storage-class': '',
    's3-sse': '',
    's3-kms-key-id': '',
    's3-tags': '',
    's3-presign-seconds': '0',
    's3-presign-in-summary': 'false',
    's3-checksum': 'auto',
    'artifact-name': '',
    'matrix-key': '',
    'retention-days': '',
    overwrite: 'false',
    'test-report': '',
    'open-issue-on-failure': 'false',
    'close-issue-on-success': 'false',
    'github-token': '',
    'issue-labels': 'diagnostics',
};
/** Inputs whose value is a credential: masked with the runner and scrubbed from the bundle. */
const SECRET_INPUTS = ['http-token', 'github-token'];
/** Every output the action sets. */
const OUTPUT_NAMES = (/* unused pure expression or super */ null && ([
    'archive-path',
    'archive-sha256',
    'archive-size',
    'bundle-entries',
    'smoke-outcome',
    'tests-outcome',
    'uploaded',
    'http-location',
    's3-uri',
    's3-url',
    's3-presigned-url',
    'artifact-id',
    'artifact-url',
    'artifact-digest',
    'tests-passed',
    'tests-failed',
    'tests-skipped',
    'crash-exception',
]));
/** The variable the runner passes an input in: `INPUT_` and the name upper-cased. */
function inputVariable(name) {
    return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

;// CONCATENATED MODULE: ./lib/path-taken.js

/**
 * Whether anything is at `file`, a dangling link included (`existsSync` follows links and
 * says no for one): such a place is never written over, and a link there is still recorded.
 */
function pathTaken(file) {
    try {
        (0,external_node_fs_.lstatSync)(file);
        return true;
    }
    catch {
        return false;
    }
}

;// CONCATENATED MODULE: ./lib/inputs/parse.js

const TRUE_WORDS = ['true', 'True', 'TRUE'];
const FALSE_WORDS = ['false', 'False', 'FALSE'];
/** A YAML 1.2 boolean, as `core.getBooleanInput` reads one; anything else is an error. */
function parseBoolean(name, value) {
    if (TRUE_WORDS.includes(value))
        return true;
    if (FALSE_WORDS.includes(value))
        return false;
    throw new errors/* InputError */.d(name, value, 'use true or false');
}
/** A whole number within bounds. */
function parseInteger(name, value, min, max) {
    if (!/^\d+$/.test(value.trim())) {
        throw new errors/* InputError */.d(name, value, `use a whole number from ${min} to ${max}`);
    }
    const parsed = Number(value.trim());
    if (parsed < min || parsed > max) {
        throw new errors/* InputError */.d(name, value, `use a whole number from ${min} to ${max}`);
    }
    return parsed;
}
/** A positive decimal number (fractions allowed), greater than zero. */
function parsePositiveNumber(name, value, max) {
    const text = value.trim();
    const parsed = Number(text);
    if (!/^\d+(\.\d+)?$|^\.\d+$/.test(text) || !(parsed > 0) || parsed > max) {
        throw new errors/* InputError */.d(name, value, `use a number greater than 0 and at most ${max}`);
    }
    return parsed;
}
const SIZE_UNITS = {
    '': 1,
    B: 1,
    KiB: 1024,
    MiB: 1024 ** 2,
    GiB: 1024 ** 3,
};
/** A byte size such as `50MiB`, `512 KiB`, `1.5GiB` or `1048576`. */
function parseSize(name, value) {
    const match = /^(\d+(?:\.\d+)?)\s*([A-Za-z]*)$/.exec(value.trim());
    const unit = match?.[2] ?? '';
    const factor = SIZE_UNITS[unit];
    if (!match || factor === undefined) {
        throw new errors/* InputError */.d(name, value, 'use a size with a unit of B, KiB, MiB or GiB, like 50MiB');
    }
    const bytes = Math.floor(Number(match[1]) * factor);
    if (bytes < 1)
        throw new errors/* InputError */.d(name, value, 'use a size of at least 1B');
    return bytes;
}
/** Newline-separated list: blank lines and surrounding spaces dropped. */
function parseLines(value) {
    return value
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line.length > 0);
}
/** Comma- or newline-separated list. */
function parseList(value) {
    return value
        .split(/[,\n]/)
        .map((item) => item.trim())
        .filter((item) => item.length > 0);
}

;// CONCATENATED MODULE: ./lib/upload/types.js
const DESTINATIONS = ['artifact', 's3', 'http'];

;// CONCATENATED MODULE: ./lib/inputs/upload.js



/**
 * Reads the upload inputs and decides where to upload. With `auto` a destination is used when
 * its settings are present; a destination named explicitly without its settings is an error.
 */
function readUploadSettings(get, env) {
    const bool = (name) => parseBoolean(name, get(name).trim());
    const endpoint = readS3Endpoint(get('s3-endpoint').trim() || env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || '');
    const prefix = get('s3-prefix').trim() || env.DIAGNOSTICS_S3_PREFIX || '';
    const settings = {
        destinations: [],
        explicit: false,
        skipped: [],
        retries: parseInteger('upload-retries', get('upload-retries'), 0, 20),
        stallTimeoutMs: Math.round(parsePositiveNumber('upload-timeout-seconds', get('upload-timeout-seconds'), 86_400) * 1000),
        http: {
            url: readHttpUrl(get('http-url').trim() || env.ARTIFACT_UPLOAD_URL?.trim() || ''),
            token: get('http-token').trim() || env.ARTIFACT_UPLOAD_TOKEN?.trim() || '',
            allowInsecureHttp: bool('allow-insecure-http'),
        },
        s3: {
            bucket: readBucket(get('s3-bucket').trim() || env.DIAGNOSTICS_S3_BUCKET?.trim() || ''),
            prefix: prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix,
            region: get('s3-region').trim(),
            endpoint,
            forcePathStyle: readForcePathStyle(get('s3-force-path-style').trim(), endpoint),
            storageClass: get('s3-storage-class').trim(),
            sse: readSse(get('s3-sse').trim()),
            kmsKeyId: get('s3-kms-key-id').trim(),
            tags: readTags(get('s3-tags')),
            presignSeconds: parseInteger('s3-presign-seconds', get('s3-presign-seconds'), 0, 604_800),
            presignInSummary: bool('s3-presign-in-summary'),
            checksum: readChecksum(get('s3-checksum').trim()),
        },
        artifact: {
            name: get('artifact-name').trim(),
            matrixKey: get('matrix-key').trim(),
            retentionDays: get('retention-days').trim()
                ? parseInteger('retention-days', get('retention-days'), 1, 90)
                : 0,
            overwrite: bool('overwrite'),
        },
    };
    const requested = get('upload').trim();
    if (requested === 'none')
        return settings;
    if (requested === 'auto') {
        settings.destinations = DESTINATIONS.filter((destination) => isConfigured(destination, settings, env));
        if (!settings.destinations.includes('artifact')) {
            settings.skipped.push('workflow artifact: not inside a GitHub Actions job (ACTIONS_RUNTIME_TOKEN and ' +
                'ACTIONS_RESULTS_URL are not set)');
        }
        return settings;
    }
    settings.explicit = true;
    settings.destinations = parseDestinationList(requested);
    for (const destination of settings.destinations) {
        requireConfigured(destination, settings, env);
    }
    return settings;
}
function parseDestinationList(value) {
    const names = parseList(value);
    const allowed = 'use none, auto, or a comma-separated list of artifact, s3 and http';
    if (names.length === 0)
        throw new errors/* InputError */.d('upload', value, allowed);
    for (const name of names) {
        if (!DESTINATIONS.includes(name))
            throw new errors/* InputError */.d('upload', value, allowed);
    }
    return DESTINATIONS.filter((destination) => names.includes(destination));
}
function isConfigured(destination, settings, env) {
    if (destination === 'artifact')
        return Boolean(env.ACTIONS_RUNTIME_TOKEN && env.ACTIONS_RESULTS_URL);
    if (destination === 's3')
        return settings.s3.bucket !== '';
    return settings.http.url !== '';
}
function requireConfigured(destination, settings, env) {
    if (isConfigured(destination, settings, env))
        return;
    if (destination === 'artifact') {
        const missing = ['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_RESULTS_URL'].filter((name) => !env[name]);
        throw new errors/* InputError */.d('upload', 'artifact', `the workflow artifact service is not reachable: ${missing.join(' and ')} ` +
            'not set (they exist only inside a GitHub Actions job); use s3 or http instead');
    }
    if (destination === 's3') {
        throw new errors/* InputError */.d('s3-bucket', '', 'upload includes s3 but no bucket is set; set s3-bucket or DIAGNOSTICS_S3_BUCKET');
    }
    throw new errors/* InputError */.d('http-url', '', 'upload includes http but no endpoint is set; set http-url or ARTIFACT_UPLOAD_URL');
}
/**
 * The bucket's name alone. Runbooks and consoles show buckets as `s3://bucket/path` or as
 * URLs; such a value would fail only at upload, after the whole collection, so it is refused
 * here with the inputs it belongs in. Names are not held to today's AWS rules: older buckets
 * and other S3 servers allow more, and access point ARNs are buckets to the SDK.
 */
function readBucket(value) {
    if (!value || value.startsWith('arn:'))
        return value;
    const where = 'set s3-bucket (or DIAGNOSTICS_S3_BUCKET) to';
    const s3Url = /^s3:\/\/([^/]+)\/*(.*)$/i.exec(value);
    if (s3Url) {
        const [, bucket, prefix] = s3Url;
        const andPrefix = prefix ? ` and s3-prefix (or DIAGNOSTICS_S3_PREFIX) to ${prefix}` : '';
        throw new errors/* InputError */.d('s3-bucket', value, `${where} ${bucket}${andPrefix}`);
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
        throw new errors/* InputError */.d('s3-bucket', value, `${where} the bucket's name only; a server's URL goes in s3-endpoint`);
    }
    if (/[/\\\s]/.test(value) || value.length > 255) {
        throw new errors/* InputError */.d('s3-bucket', value, `${where} the bucket's name only (no slashes or spaces); a key path goes in s3-prefix`);
    }
    return value;
}
/** The HTTP endpoint: empty, or an http(s) URL. */
function readHttpUrl(value) {
    if (!value)
        return '';
    const allowed = 'use an https:// URL such as https://artifacts.example.com/upload';
    let protocol;
    try {
        protocol = new URL(value).protocol;
    }
    catch {
        throw new errors/* InputError */.d('http-url', value, allowed);
    }
    if (protocol !== 'https:' && protocol !== 'http:') {
        throw new errors/* InputError */.d('http-url', value, allowed);
    }
    return value;
}
/**
 * The S3 server: empty for AWS, or an http(s) URL. Anything else (ftp://, a bare host name)
 * would fail only at upload, after the whole collection.
 */
function readS3Endpoint(value) {
    if (!value)
        return '';
    let protocol;
    try {
        protocol = new URL(value).protocol;
    }
    catch {
        protocol = '';
    }
    if (protocol !== 'https:' && protocol !== 'http:') {
        throw new errors/* InputError */.d('s3-endpoint', withoutUserInfo(value), 'set s3-endpoint (or AWS_ENDPOINT_URL_S3) to an http:// or https:// URL such as ' +
            'http://127.0.0.1:9000, or leave it empty to use AWS');
    }
    return value;
}
/**
 * The value as it may be shown: a `user:password@` part, which could hold a secret key, is
 * replaced whole by `***@`. Everything up to the last '@' goes, as a password may hold '/'.
 */
function withoutUserInfo(value) {
    return value.replace(/^([a-z][a-z0-9+.-]*:\/\/)?.*@/is, '$1***@');
}
function readForcePathStyle(value, endpoint) {
    if (value)
        return parseBoolean('s3-force-path-style', value);
    if (!endpoint)
        return false;
    // A URL by now: readS3Endpoint refused anything else.
    const host = new URL(endpoint).hostname;
    return host === 'localhost' || /^[\d.]+$/.test(host) || host.startsWith('[');
}
function readSse(value) {
    if (value === '' || value === 'AES256' || value === 'aws:kms')
        return value;
    throw new errors/* InputError */.d('s3-sse', value, 'use AES256 or aws:kms, or leave it empty');
}
function readChecksum(value) {
    if (value === 'auto' || value === 'when-required' || value === 'when-supported')
        return value;
    throw new errors/* InputError */.d('s3-checksum', value, 'use auto, when-required or when-supported');
}
function readTags(value) {
    const tags = {};
    for (const line of parseLines(value)) {
        const separator = line.indexOf('=');
        if (separator <= 0) {
            throw new errors/* InputError */.d('s3-tags', line, 'write one key=value a line, like retention=30d');
        }
        tags[line.slice(0, separator).trim()] = line.slice(separator + 1).trim();
    }
    return tags;
}

;// CONCATENATED MODULE: ./lib/inputs/read.js







/** Inputs where an empty value is a choice (skip the command), not a request for the default. */
const EMPTY_MEANS_NONE = ['smoke-command', 'test-command'];
/**
 * Reads and validates every input up front. The first invalid one throws an InputError that
 * names it, its value and what is allowed; nothing has run by then.
 */
function readInputs(getRaw, env) {
    const get = (name) => {
        const raw = getRaw(name);
        if (raw === undefined)
            return INPUT_DEFAULTS[name];
        if (raw.trim() === '' && !EMPTY_MEANS_NONE.includes(name))
            return INPUT_DEFAULTS[name];
        return raw;
    };
    const bool = (name) => parseBoolean(name, get(name).trim());
    const workingDirectory = resolveWorkingDirectory(get('working-directory'));
    const inWorkDir = (value) => external_node_path_.resolve(workingDirectory, value);
    const logDir = inWorkDir(get('log-dir').trim() || env.LOG_DIR || 'logs');
    const dataDir = inWorkDir(get('data-dir').trim() || env.DATA_DIR || 'data');
    return {
        workingDirectory,
        runCommands: bool('run-commands'),
        smokeCommand: get('smoke-command').trim(),
        testCommand: get('test-command').trim(),
        timeoutMs: Math.round(parsePositiveNumber('timeout-minutes', get('timeout-minutes'), 1440) * 60_000),
        logDir,
        dataDir,
        includeLogs: bool('include-logs'),
        headLines: parseInteger('head-lines', get('head-lines'), 0, 1_000_000),
        tailLines: parseInteger('tail-lines', get('tail-lines'), 0, 1_000_000),
        extraPaths: parseLines(get('extra-paths')),
        service: readServiceName(get('service').trim()),
        maxFileSize: parseSize('max-file-size', get('max-file-size')),
        maxBundleSize: parseSize('max-bundle-size', get('max-bundle-size')),
        output: checkOutput(resolveOutput(get('output').trim(), inWorkDir), [logDir, dataDir]),
        failOnCommandFailure: bool('fail-on-command-failure'),
        failOnNoTests: bool('fail-on-no-tests'),
        compressionLevel: parseInteger('compression-level', get('compression-level'), 1, 9),
        redactPatterns: parseLines(get('redact-patterns')).map((source) => compilePattern('redact-patterns', source)),
        redactEnvNames: parseList(get('redact-env-names')),
        upload: readUploadSettings(get, env),
        testReport: get('test-report').trim(),
        incident: {
            openOnFailure: bool('open-issue-on-failure'),
            closeOnSuccess: bool('close-issue-on-success'),
            token: get('github-token').trim() || env.GITHUB_TOKEN || '',
            labels: parseList(get('issue-labels')),
        },
    };
}
/** The archive path; a trailing `/` (a directory to put the default name in) is kept. */
function resolveOutput(value, inWorkDir) {
    if (!value)
        return '';
    return value.endsWith('/') ? `${inWorkDir(value)}/` : inWorkDir(value);
}
/**
 * The archive must never overwrite anything: not a file that exists (a log, /dev/null), and
 * not a path inside LOG_DIR or DATA_DIR, where it would be collected into itself.
 */
function checkOutput(output, collected) {
    if (!output)
        return output;
    const file = output.endsWith('/') ? output.slice(0, -1) : output;
    // Compared as the kernel sees them: through a link (alias -> logs), or with LOG_DIR itself
    // a link, the archive would land inside a collected directory under another name.
    const realFile = realPathOf(file);
    for (const directory of collected) {
        if (isInside(file, directory) || isInside(realFile, realPathOf(directory))) {
            throw new errors/* InputError */.d('output', output, `it is inside ${directory}, which is collected; write the archive somewhere else`);
        }
    }
    // A dangling link counts as taken; a trailing '/' on a file makes no directory of it.
    if (pathTaken(file) && !isDirectory(file)) {
        throw new errors/* InputError */.d('output', output, 'a file already exists there and is never overwritten; give a new file name or a directory');
    }
    checkWritable(output, file);
    return output;
}
function isInside(file, directory) {
    const relative = external_node_path_.relative(directory, file);
    // `..x.tar.gz` is a name inside; only `..` as a whole step leads out.
    const outside = relative === '..' || relative.startsWith(`..${external_node_path_.sep}`);
    return !outside && !external_node_path_.isAbsolute(relative);
}
/**
 * `file` with every link resolved: the part that exists is given to realpath and the rest,
 * which does not exist yet and so holds no links, is joined on as written.
 */
function realPathOf(file) {
    let existing = file;
    while (!(0,external_node_fs_.existsSync)(existing) && external_node_path_.dirname(existing) !== existing) {
        existing = external_node_path_.dirname(existing);
    }
    try {
        return external_node_path_.join((0,external_node_fs_.realpathSync)(existing), external_node_path_.relative(existing, file));
    }
    catch {
        // Unreadable on the way (a directory without search permission): as written.
        return file;
    }
}
/**
 * Fails before anything is collected when the archive could not be written: its directory
 * (or the nearest one of its parents that exists, as missing ones are created) must be a
 * directory this process can write in. `file` is `output` without a trailing '/'.
 */
function checkWritable(output, file) {
    let directory = output.endsWith('/') || isDirectory(file) ? file : external_node_path_.dirname(file);
    while (!(0,external_node_fs_.existsSync)(directory) && external_node_path_.dirname(directory) !== directory) {
        directory = external_node_path_.dirname(directory);
    }
    if (!(0,external_node_fs_.statSync)(directory).isDirectory()) {
        throw new errors/* InputError */.d('output', output, `${directory} is a file, not a directory`);
    }
    try {
        (0,external_node_fs_.accessSync)(directory, external_node_fs_.constants.W_OK | external_node_fs_.constants.X_OK);
    }
    catch {
        throw new errors/* InputError */.d('output', output, `this process cannot write in ${directory}; give a directory it can write to`);
    }
}
function isDirectory(file) {
    return (0,external_node_fs_.existsSync)(file) && (0,external_node_fs_.statSync)(file).isDirectory();
}
function resolveWorkingDirectory(value) {
    const absolute = external_node_path_.resolve(value.trim());
    if (!(0,external_node_fs_.existsSync)(absolute) || !(0,external_node_fs_.statSync)(absolute).isDirectory()) {
        throw new errors/* InputError */.d('working-directory', value, `no directory exists at ${absolute}; give the path of the bot's checkout`);
    }
    return absolute;
}
function readServiceName(value) {
    // A leading '-' would be read by systemctl as an option (-H host runs it over ssh).
    if (value && (!/^[A-Za-z0-9@._:\\-]+$/.test(value) || value.startsWith('-'))) {
        throw new errors/* InputError */.d('service', value, 'use a systemd unit name such as k98-bot.service');
    }
    return value;
}
function compilePattern(name, source) {
    let pattern;
    try {
        pattern = new RegExp(source, 'g');
    }
    catch (error) {
        throw new errors/* InputError */.d(name, source, `not a valid regular expression (${String(error)})`);
    }
    // A pattern that matches nothing at all (x*, .*?) would put a mark between every byte.
    if (new RegExp(source).test('')) {
        throw new errors/* InputError */.d(name, source, 'it matches the empty string; make it match at least one character');
    }
    return pattern;
}

;// CONCATENATED MODULE: ./lib/collect/listing.js


const utf8 = new TextDecoder('utf-8', { fatal: true });
/**
 * Makes a name printable: valid UTF-8 is kept as it is; otherwise every byte outside ASCII
 * (and `%`) becomes %XX, so the name is reversible and still mostly readable.
 */
function escapeName(raw) {
    try {
        return { name: utf8.decode(raw) };
    }
    catch {
        let name = '';
        for (const byte of raw) {
            name +=
                byte >= 0x80 || byte === 0x25
                    ? `%${byte.toString(16).toUpperCase()}`
                    : String.fromCharCode(byte);
        }
        return { name, rawNameHex: raw.toString('hex') };
    }
}
/** Looks at one path without following a link. */
async function inspect(path, displayPath) {
    const stats = await (0,promises_.lstat)(path);
    const slash = path.lastIndexOf(0x2f);
    const escaped = escapeName(slash >= 0 ? path.subarray(slash + 1) : path);
    const found = {
        ...escaped,
        path,
        displayPath,
        type: stats.isSymbolicLink()
            ? 'link'
            : stats.isDirectory()
                ? 'directory'
                : stats.isFile()
                    ? 'file'
                    : 'other',
        size: stats.size,
        mtimeMs: stats.mtimeMs,
        fileId: `${stats.dev}:${stats.ino}`,
    };
    if (found.type === 'link')
        found.linkTarget = escapeName(await (0,promises_.readlink)(path, { encoding: 'buffer' })).name;
    return found;
}
/**
 * Lists a directory's entries (not recursively). A problem with one entry (it vanished
 * between listing and looking) is reported through `onError` and the rest are still listed.
 */
async function listDirectory(directory, onError) {
    const base = Buffer.isBuffer(directory) ? directory : Buffer.from(directory);
    const names = await (0,promises_.readdir)(base, { encoding: 'buffer' });
    const found = [];
    for (const raw of names.sort(Buffer.compare)) {
        const full = Buffer.concat([base, Buffer.from('/'), raw]);
        const display = `${escapeName(base).name}/${escapeName(raw).name}`;
        try {
            found.push(await inspect(full, display));
        }
        catch (error) {
            onError(`unreadable: ${display}: ${(0,errors/* errorMessage */.g)(error)}`);
        }
    }
    return found;
}
/**
 * Every file below a directory, depth first, links recorded and never followed (so a link
 * cannot lead collection out of the directory or round a loop).
 */
async function walkDirectory(directory, displayRoot, onError) {
    const results = [];
    const visit = async (current, relative) => {
        let entries;
        try {
            entries = await listDirectory(current, onError);
        }
        catch (error) {
            onError(`unreadable directory: ${displayRoot}/${relative}: ${(0,errors/* errorMessage */.g)(error)}`);
            return;
        }
        for (const entry of entries) {
            const childRelative = relative ? `${relative}/${entry.name}` : entry.name;
            if (entry.type === 'directory')
                await visit(entry.path, childRelative);
            else
                results.push({ ...entry, relative: childRelative });
        }
    };
    await visit(directory, '');
    return results;
}

;// CONCATENATED MODULE: ./lib/collect/bot-files.js



/** State files the bot and its runbook write, looked for at the top of LOG_DIR and DATA_DIR. */
const STATE_FILE_NAMES = [
    'LAST_SHUTDOWN_INFO.json',
    'last_shutdown_info.json',
    'command_cache.json',
    'BOT_LOCK.json',
    'WATCHDOG_LOCK.json',
    'heartbeat.json',
];
const DEFAULT_QUEUE_CACHE = 'live_queue_cache.json';
const CURRENT_LOG = /\.(txt|log|jsonl)$/;
const ROTATED_LOG = /\.(txt|log|jsonl)\.(\d+)$/;
/**
 * Plans the bot's own files: state files, log excerpts, and with include-logs every log
 * including rotated siblings. Other DATA_DIR files are never taken: they can hold users'
 * personal data.
 */
async function planBotFiles(options, onError) {
    const logFiles = await listIfPresent('LOG_DIR', options.logDir, onError);
    const dataFiles = await listIfPresent('DATA_DIR', options.dataDir, onError);
    const entries = [];
    const stateNames = options.queueCacheFile
        ? STATE_FILE_NAMES
        : [...STATE_FILE_NAMES, DEFAULT_QUEUE_CACHE];
    for (const name of stateNames) {
        const inLogs = logFiles.find((file) => file.name === name);
        const inData = dataFiles.find((file) => file.name === name);
        if (inLogs)
            entries.push(fileEntry(`files/logs/${name}`, 'state', inLogs, true));
        if (inData)
            entries.push(fileEntry(`files/data/${name}`, 'state', inData, true));
        if (!inLogs && !inData) {
            onError(`missing: state file ${name} is in neither ${options.logDir} nor ${options.dataDir}`);
        }
    }
    if (options.queueCacheFile)
        entries.push(...(await planQueueCache(options.queueCacheFile, onError)));
    const current = logFiles.filter((file) => CURRENT_LOG.test(file.name) && !isState(file.name));
    for (const file of current.filter((found) => found.type === 'file')) {
        entries.push({
            archivePath: `meta/${file.name}.head.txt`,
            kind: 'excerpt',
            source: file,
            produce: { type: 'head', lines: options.headLines },
        });
        entries.push({
            archivePath: `meta/${file.name}.tail.txt`,
            kind: 'excerpt',
            source: file,
            produce: { type: 'tail', lines: options.tailLines },
        });
    }
    if (!options.includeLogs)
        return entries;
    for (const file of current)
        entries.push(fileEntry(`files/logs/${file.name}`, 'log-current', file));
    const rotated = logFiles.filter((file) => ROTATED_LOG.test(file.name)).sort(newestFirst);
    for (const file of rotated)
        entries.push(fileEntry(`files/logs/${file.name}`, 'log-rotated', file));
    return entries;
}
function isState(name) {
    return STATE_FILE_NAMES.includes(name) || name === DEFAULT_QUEUE_CACHE;
}
/**
 * Newest first, so the oldest rotated logs are the first dropped for size. The rotation
 * number says the age (a checkout or copy resets times); the time only breaks ties.
 */
function newestFirst(a, b) {
    const byNumber = rotationNumber(a.name) - rotationNumber(b.name);
    return byNumber !== 0 ? byNumber : b.mtimeMs - a.mtimeMs;
}
function rotationNumber(name) {
    return Number(ROTATED_LOG.exec(name)?.[2] ?? 0);
}
function fileEntry(archivePath, kind, file, explicit = false) {
    const produce = file.type === 'link' ? { type: 'link' } : { type: 'copy', explicit };
    return { archivePath, kind, source: file, produce };
}
async function listIfPresent(label, directory, onError) {
    if (!(0,external_node_fs_.existsSync)(directory)) {
        onError(`missing: ${label} ${directory} does not exist`);
        return [];
    }
    try {
        return await listDirectory(directory, onError);
    }
    catch (error) {
        onError(`unreadable: ${label} ${directory}: ${error.message}`);
        return [];
    }
}
async function planQueueCache(file, onError) {
    try {
        const found = await inspect(Buffer.from(file), file);
        return [fileEntry(`files/data/${external_node_path_.basename(file)}`, 'state', found, true)];
    }
    catch {
        onError(`missing: queue cache ${file} (from QUEUE_CACHE_FILE) does not exist`);
        return [];
    }
}

;// CONCATENATED MODULE: ./lib/collect/entry.js
/** Kinds in the order they are kept: the last kinds are the first dropped. */
const KEEP_ORDER = [
    'meta',
    'state',
    'excerpt',
    'command-log',
    'log-current',
    'log-rotated',
    'extra',
];
/** Kinds never dropped for the bundle's size. */
const PROTECTED_KINDS = ['meta', 'state'];

;// CONCATENATED MODULE: ./lib/redact/secrets.js

/**
 * Names whose values are secrets (any case): the contract of meta/env.txt. A webhook URL, a
 * Sentry DSN and a connection string carry their credential inside.
 */
const SENSITIVE_NAME = /TOKEN|SECRET|KEY|PASS|PWD|CRED|AUTH|COOKIE|SESSION|PRIVATE|WEBHOOK|DSN|CONN(?:ECTION)?_?STR/i;
/** The shell's working directories: `PWD` names a path, and hiding it would hide every path. */
const NEVER_SECRET = ['PWD', 'OLDPWD'];
/** Always secrets, whatever their name says. */
const ALWAYS_SECRET = ['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN', 'GITHUB_TOKEN'];
/** `scheme://user:password@host`; the user may be empty and the password hold a raw `@`. */
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:([^\s/]+)@/i;
const AUTH_SCHEME_VALUE = /^\s*(Bearer|Basic|Token)\s+\S+/i;
/** A variable whose value must not be shown, by its name or the look of its value. */
function isSensitiveVariable(name, value, extraNames = []) {
    if (NEVER_SECRET.includes(name.toUpperCase()))
        return false;
    return (SENSITIVE_NAME.test(name) ||
        extraNames.some((extra) => extra.toUpperCase() === name.toUpperCase()) ||
        URL_WITH_PASSWORD.test(value) ||
        AUTH_SCHEME_VALUE.test(value));
}
/**
 * Whether a value is worth scrubbing everywhere: short values, numbers and booleans would
 * turn ordinary text into [REDACTED] (XDG_SESSION_ID=3 must not redact every 3).
 */
function isScrubbableValue(value) {
    const trimmed = value.trim();
    if (trimmed.length < 8)
        return false;
    if (/^[+-]?\d+(\.\d+)?$/.test(trimmed))
        return false;
    return !/^(true|false|yes|no|on|off|null|none)$/i.test(trimmed);
}
/**
 * Every secret value the environment holds, in the forms it may appear in files: as it is,
 * JSON-escaped, line by line for multi-line values, and the password part of URLs.
 */
function secretValues(env, extraNames = []) {
    const secretInputs = SECRET_INPUTS.map((name) => `INPUT_${name.toUpperCase()}`);
    const found = new Set();
    for (const [name, value] of Object.entries(env)) {
        if (!value)
            continue;
        const sensitive = isSensitiveVariable(name, value, extraNames) ||
            ALWAYS_SECRET.includes(name) ||
            secretInputs.includes(name);
        if (sensitive)
            for (const form of valueForms(value))
                found.add(form);
    }
    return [...found].filter(isScrubbableValue).sort((a, b) => b.length - a.length);
}
function valueForms(value) {
    const forms = [value, value.trim()];
    const escaped = JSON.stringify(value).slice(1, -1);
    if (escaped !== value)
        forms.push(escaped);
    if (/[\r\n]/.test(value))
        forms.push(...value.split(/\r?\n/).map((line) => line.trim()));
    const password = URL_WITH_PASSWORD.exec(value)?.[1];
    if (password)
        forms.push(password, safeDecode(password));
    return forms;
}
function safeDecode(text) {
    try {
        return decodeURIComponent(text);
    }
    catch {
        return text;
    }
}

// EXTERNAL MODULE: ./lib/redact/patterns.js
var patterns = __webpack_require__(54222);
;// CONCATENATED MODULE: ./lib/collect/environment.js


/**
 * meta/env.txt: the environment sorted by name, one NAME=value a line. Secret values are
 * replaced whole; line breaks inside a value are written as \n so each variable is one line.
 */
function renderEnvironment(env, extraSecretNames) {
    const lines = Object.keys(env)
        .sort()
        .map((name) => {
        const value = env[name] ?? '';
        const shown = isSensitiveVariable(name, value, extraSecretNames) ? patterns/* REDACTED */.XF : value;
        return `${name}=${shown.replace(/\r/g, '\\r').replace(/\n/g, '\\n')}`;
    });
    return `${lines.join('\n')}\n`;
}

;// CONCATENATED MODULE: ./lib/collect/extra-paths.js



/**
 * Plans `extra-paths`: files, directories (walked, links never followed) and globs (which
 * match dotfiles). Paths keep their place relative to the working directory; absolute paths
 * outside it go under files/extra/abs/.
 */
async function planExtraPaths(extraPaths, workingDirectory, problems) {
    // Keyed by the file's path: `logs/**` matches a directory and the files in it, and two
    // entries may overlap; each file goes in once.
    const planned = new Map();
    if (extraPaths.length === 0)
        return [];
    // Loaded only when there are extra paths: most runs have none and skip its load time.
    const globbing = await __webpack_require__.e(/* import() */ 382).then(__webpack_require__.bind(__webpack_require__, 73382));
    for (const extra of extraPaths) {
        // A path that exists is taken as it is, glob characters and all (`core[1].dump`).
        const explicit = !globbing.isDynamicPattern(extra) || pathTaken(external_node_path_.resolve(workingDirectory, extra));
        const matches = explicit
            ? literalMatch(extra, workingDirectory)
            : await globMatches(globbing.glob, extra, workingDirectory);
        if (matches.length === 0) {
            problems.onNoMatch(extra);
            problems.onError(`missing: extra path ${extra} matched nothing`);
            continue;
        }
        for (const match of matches) {
            for (const entry of await planMatch(match, workingDirectory, explicit, problems.onError)) {
                addOnce(planned, entry);
            }
        }
    }
    return [...planned.values()];
}
/** Adds an entry unless its file is planned already; a file also named directly stays named. */
function addOnce(planned, entry) {
    const key = entry.source
        ? external_node_path_.normalize(entry.source.path.toString('latin1'))
        : entry.archivePath;
    const earlier = planned.get(key);
    if (!earlier) {
        planned.set(key, entry);
        return;
    }
    if (earlier.produce.type === 'copy' && entry.produce.type === 'copy' && entry.produce.explicit) {
        earlier.produce = { type: 'copy', explicit: true };
    }
}
function literalMatch(extra, workingDirectory) {
    const absolute = external_node_path_.resolve(workingDirectory, extra);
    return pathTaken(absolute) ? [absolute] : [];
}
async function globMatches(glob, pattern, workingDirectory) {
    const matches = await glob(pattern, {
        cwd: workingDirectory,
        absolute: true,
        dot: true,
        onlyFiles: false,
        followSymbolicLinks: false,
        expandDirectories: false,
    });
    // A directory comes with a trailing slash, which would double in the paths of its files.
    return matches.map((match) => (match.length > 1 ? match.replace(/\/+$/, '') : match));
}
async function planMatch(absolute, workingDirectory, explicit, onError) {
    let found;
    try {
        found = await inspect(Buffer.from(absolute), absolute);
    }
    catch (error) {
        onError(`unreadable: ${absolute}: ${error.message}`);
        return [];
    }
    const base = archiveBase(absolute, workingDirectory);
    if (found.type !== 'directory')
        return [extraEntry(base, found, explicit)];
    // A file found inside a named directory was not named itself: a binary one among them is
    // left out, since it cannot be scrubbed and may hold a secret in the clear.
    const files = await walkDirectory(found.path, absolute, onError);
    return files.map((file) => extraEntry(`${base}/${file.relative}`, file, false));
}
function extraEntry(archivePath, file, explicit) {
    const produce = file.type === 'link' ? { type: 'link' } : { type: 'copy', explicit };
    return { archivePath, kind: 'extra', source: file, produce };
}
/** Where an extra path goes in the bundle. */
function archiveBase(absolute, workingDirectory) {
    const relative = external_node_path_.relative(workingDirectory, absolute);
    if (relative && !relative.startsWith('..') && !external_node_path_.isAbsolute(relative)) {
        return `files/extra/${relative.split(external_node_path_.sep).join('/')}`;
    }
    if (!relative)
        return 'files/extra';
    return `files/extra/abs/${absolute.replace(/^\/+/, '')}`;
}

;// CONCATENATED MODULE: ./lib/collect/service-status.js


/** meta/service_status.txt: `systemctl status` of the bot's unit on an on-call host. */
async function serviceStatus(unit) {
    const systemctl = findOnPath('systemctl');
    if (!systemctl)
        return `systemctl was not found on this host; no status for ${unit}\n`;
    const args = ['status', unit, '--no-pager', '--full', '--lines=200'];
    return new Promise((resolve) => {
        (0,external_node_child_process_.execFile)(systemctl, args, { timeout: 15_000, maxBuffer: 4 * 1024 * 1024 }, (error, out, err) => {
            // systemctl status exits 3 for a stopped unit: its output is still the answer.
            const note = error && !out ? `systemctl status failed: ${error.message}\n` : '';
            resolve(`$ systemctl ${args.join(' ')}\n${out}${err}${note}`);
        });
    });
}

// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(57075);
// EXTERNAL MODULE: ./lib/collect/open-regular.js
var open_regular = __webpack_require__(43817);
;// CONCATENATED MODULE: ./lib/collect/excerpt.js


/** Longest line kept whole in an excerpt; a longer one is cut with a marker. */
const MAX_EXCERPT_LINE_BYTES = 16 * 1024;
const BLOCK = 64 * 1024;
const NEWLINE = 0x0a;
/** The most an excerpt of `lines` lines may read, also never more than `maxBytes`. */
function excerptLimit(lines, maxBytes) {
    return Math.min(lines * (MAX_EXCERPT_LINE_BYTES + 1), maxBytes);
}
/**
 * A marker that stands where a partial line was dropped at the read bound: a partial line
 * could hold the first half of a secret that the scrubber would then not recognise.
 */
const PARTIAL_LINE = Buffer.from('[... k98-diagnostics: partial line at the read bound dropped ...]\n');
/** The first `lines` lines of a file, reading at most `maxBytes`. */
async function readHead(path, lines, maxBytes) {
    if (lines === 0)
        return { bytes: Buffer.alloc(0), bytesRead: 0 };
    const limit = excerptLimit(lines, maxBytes);
    const handle = await (0,open_regular/* openRegularFile */.Z)(path);
    try {
        const pieces = [];
        let position = 0;
        let found = 0;
        let reachedEnd = false;
        while (position < limit) {
            const block = Buffer.alloc(Math.min(BLOCK, limit - position));
            const { bytesRead } = await handle.read(block, 0, block.length, position);
            if (bytesRead === 0) {
                reachedEnd = true;
                break;
            }
            let piece = block.subarray(0, bytesRead);
            position += bytesRead;
            let index = -1;
            while (found < lines && (index = piece.indexOf(NEWLINE, index + 1)) !== -1)
                found++;
            if (found === lines && index !== -1)
                piece = piece.subarray(0, index + 1);
            pieces.push(piece);
            if (found === lines)
                break;
        }
        const text = Buffer.concat(pieces);
        if (reachedEnd)
            return { bytes: text, bytesRead: position };
        if (found === lines)
            return { bytes: withoutCutKeyLine(text), bytesRead: position };
        // Stopped at the bound in the middle of a line: keep only whole lines.
        const lastNewline = text.lastIndexOf(NEWLINE);
        return {
            bytes: Buffer.concat([text.subarray(0, lastNewline + 1), PARTIAL_LINE]),
            bytesRead: position,
        };
    }
    finally {
        await handle.close();
    }
}
const KEY_BODY_OR_BEGIN = /^[ \t]*(?:[A-Za-z0-9+/]{60,76}={0,2}|-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----)[ \t]*\r?$/;
const SHORT_BASE64_LINE = /^[ \t]*[A-Za-z0-9+/]+={0,2}[ \t]*\r?$/;
/**
 * A head cut inside a private key block ends on a body line that may be shorter than the
 * others; with the END line beyond the cut nothing tells the scrubber it is key data (a full
 * body line is caught by its length). Such a last line, after a body or BEGIN line, is
 * replaced by the redaction mark here.
 */
function withoutCutKeyLine(text) {
    const end = text.length - 1;
    const lastStart = text.lastIndexOf(NEWLINE, end - 1) + 1;
    if (lastStart === 0)
        return text;
    const previousStart = text.lastIndexOf(NEWLINE, lastStart - 2) + 1;
    const last = text.toString('latin1', lastStart, end);
    const previous = text.toString('latin1', previousStart, lastStart - 1);
    if (!SHORT_BASE64_LINE.test(last) || !KEY_BODY_OR_BEGIN.test(previous))
        return text;
    return Buffer.concat([text.subarray(0, lastStart), Buffer.from(`${patterns/* REDACTED */.XF}\n`)]);
}
/**
 * The last `lines` lines of a file, read by seeking backwards from the end: the cost depends
 * on the lines asked for (and `maxBytes`), not on the size of the file.
 */
async function readTail(path, lines, maxBytes) {
    if (lines === 0)
        return { bytes: Buffer.alloc(0), bytesRead: 0 };
    const limit = excerptLimit(lines, maxBytes);
    const handle = await (0,open_regular/* openRegularFile */.Z)(path);
    try {
        const size = (await handle.stat()).size;
        const pieces = [];
        let end = size;
        let read = 0;
        let newlines = 0;
        while (end > 0 && read < limit) {
            const start = Math.max(0, end - BLOCK, size - limit);
            const block = Buffer.alloc(end - start);
            const { bytesRead } = await handle.read(block, 0, block.length, start);
            const piece = block.subarray(0, bytesRead);
            read += bytesRead;
            for (let index = piece.length - 1; index >= 0; index--) {
                // A final newline ends the last line; it does not start an empty one.
                if (piece[index] !== NEWLINE || start + index === size - 1)
                    continue;
                newlines++;
                if (newlines === lines) {
                    pieces.unshift(piece.subarray(index + 1));
                    return { bytes: Buffer.concat(pieces), bytesRead: read };
                }
            }
            pieces.unshift(piece);
            end = start;
        }
        const text = Buffer.concat(pieces);
        if (end === 0)
            return { bytes: text, bytesRead: read };
        // Stopped at the bound in the middle of a line: keep only whole lines.
        const firstNewline = text.indexOf(NEWLINE);
        const whole = firstNewline === -1 ? Buffer.alloc(0) : text.subarray(firstNewline + 1);
        return { bytes: Buffer.concat([PARTIAL_LINE, whole]), bytesRead: read };
    }
    finally {
        await handle.close();
    }
}

;// CONCATENATED MODULE: ./lib/collect/line-cutter.js

const line_cutter_NEWLINE = 0x0a;
/**
 * Cuts every line longer than `maxLineBytes`, keeping its start and a marker. It runs after
 * scrubbing, so a cut can never split a secret the scrubber would have recognised whole.
 */
class LineCutter extends external_node_stream_.Transform {
    maxLineBytes;
    lineLength = 0;
    cutting = false;
    constructor(maxLineBytes) {
        super();
        this.maxLineBytes = maxLineBytes;
    }
    _transform(chunk, _encoding, done) {
        const out = [];
        let start = 0;
        while (start < chunk.length) {
            const newline = chunk.indexOf(line_cutter_NEWLINE, start);
            const end = newline === -1 ? chunk.length : newline + 1;
            const piece = chunk.subarray(start, end);
            if (!this.cutting) {
                const room = this.maxLineBytes - this.lineLength;
                if (piece.length - (newline === -1 ? 0 : 1) > room) {
                    out.push(piece.subarray(0, room), Buffer.from(' [... k98-diagnostics: line cut ...]'));
                    this.cutting = true;
                }
                else {
                    out.push(newline === -1 ? piece : piece);
                }
            }
            if (this.cutting && newline !== -1)
                out.push(Buffer.from('\n'));
            if (newline === -1) {
                this.lineLength += piece.length;
            }
            else {
                this.lineLength = 0;
                this.cutting = false;
            }
            start = end;
        }
        done(null, Buffer.concat(out));
    }
}

// EXTERNAL MODULE: ./lib/collect/stage-file.js
var stage_file = __webpack_require__(45635);
;// CONCATENATED MODULE: ./lib/collect/stage-entry.js








/** The running total against max-bundle-size; once something is dropped, all after it is. */
class Budget {
    max;
    used = 0;
    exhausted = false;
    constructor(max) {
        this.max = max;
    }
    /** Whether an entry of about `size` bytes still fits. */
    admits(entry, size) {
        if (PROTECTED_KINDS.includes(entry.kind))
            return true;
        if (this.exhausted || this.used + size > this.max) {
            this.exhausted = true;
            return false;
        }
        return true;
    }
}
/**
 * Produces one planned entry in the staging directory and returns its manifest record.
 * Nothing here throws: a file that vanished, cannot be read or does not fit becomes a record
 * without an archive path and one line of errors.txt.
 */
async function stageEntry(entry, context) {
    const record = baseRecord(entry, context.redactor);
    if (entry.produce.type === 'link')
        return record;
    // Excerpts are bounded by their lines: their real size is checked once they are made.
    const copies = entry.produce.type === 'copy';
    const estimate = copies && entry.source ? Math.min(entry.source.size, context.maxFileSize) : 0;
    if (!context.budget.admits(entry, estimate)) {
        return leftOut(record, 'over max-bundle-size', context);
    }
    try {
        const staged = await produce(entry, context, record);
        if (!staged)
            return record;
        if (!context.budget.admits(entry, staged.size)) {
            await (0,promises_.rm)(external_node_path_.join(context.stagingDir, entry.archivePath), { force: true });
            return leftOut(record, 'over max-bundle-size', context);
        }
        context.budget.used += staged.size;
        context.onStaged(entry.archivePath, staged);
        return {
            ...record,
            path: entry.archivePath,
            archived_size: staged.size,
            sha256: staged.sha256,
            redactions: staged.redactions,
        };
    }
    catch (error) {
        const reason = describeFailure(error);
        context.onError(`${reason}: ${entry.source?.displayPath ?? entry.archivePath}: ${(0,errors/* errorMessage */.g)(error)}`);
        return { ...record, left_out: true, left_out_reason: reason };
    }
}
async function produce(entry, context, record) {
    const { stagingDir, redactor } = context;
    const plan = entry.produce;
    const source = entry.source;
    if (plan.type === 'content') {
        return (0,stage_file/* stageContent */.Ao)(await plan.content(), stagingDir, entry.archivePath, redactor);
    }
    if (!source)
        throw new Error(`no source for ${entry.archivePath}`);
    if (source.type !== 'file') {
        // A FIFO, socket or device would block or never end: never opened.
        leftOut(record, `not a regular file (${source.type})`, context);
        return null;
    }
    if (plan.type === 'head' || plan.type === 'tail') {
        const read = plan.type === 'head' ? readHead : readTail;
        const excerpt = await read(source.path, plan.lines, context.maxFileSize);
        const lines = external_node_stream_.Readable.from((0,stage_file/* inBlocks */.Qf)(excerpt.bytes));
        const cutter = new LineCutter(MAX_EXCERPT_LINE_BYTES);
        return (0,stage_file/* stageStream */.HX)(lines, stagingDir, entry.archivePath, redactor, { afterScrub: cutter });
    }
    // The bot's own files and command output are always scrubbed as text, whatever bytes they
    // hold (a log left with NUL padding by a crash is still a log); only extra paths may be
    // binary.
    const mayBeBinary = entry.kind === 'extra';
    const binary = mayBeBinary && (await (0,stage_file/* looksBinary */.Wb)(source.path));
    record.scrubbed = !binary;
    if (binary && !(plan.type === 'copy' && plan.explicit)) {
        leftOut(record, 'binary file (name it directly in extra-paths to keep it)', context);
        return null;
    }
    const copied = await context.copyFile(source.path, stagingDir, entry.archivePath, context.maxFileSize, binary ? null : redactor);
    record.source_size = copied.snapshotSize;
    if (copied.truncated) {
        record.truncated = true;
        record.truncated_reason = `over max-file-size: ${copied.cutBytes} bytes cut from the middle`;
        context.onError(`truncated: ${source.displayPath}: ${copied.snapshotSize} bytes, over max-file-size`);
    }
    return copied;
}
function baseRecord(entry, redactor) {
    const record = {
        path: null,
        kind: entry.kind,
        source: entry.source?.displayPath ?? null,
        source_size: entry.source?.size ?? null,
        archived_size: null,
        sha256: null,
        truncated: false,
        left_out: false,
        redactions: 0,
        scrubbed: true,
    };
    // The raw name in hex would give back a secret its escaped name was scrubbed of.
    const name = entry.source?.name ?? '';
    if (entry.source?.rawNameHex && redactor.scrubText(name) === name) {
        record.raw_name_hex = entry.source.rawNameHex;
    }
    if (entry.produce.type === 'link') {
        record.link_target = entry.source?.linkTarget ?? '';
        record.scrubbed = false;
    }
    return record;
}
function leftOut(record, reason, context) {
    record.left_out = true;
    record.left_out_reason = reason;
    context.onError(`left out: ${record.source ?? 'generated file'}: ${reason}`);
    return record;
}
function describeFailure(error) {
    const code = error.code;
    if (code === 'ENOENT')
        return 'vanished';
    if (code === 'EACCES' || code === 'EPERM')
        return 'unreadable';
    // A symbolic link (O_NOFOLLOW: ELOOP) or a special file put in its place while collecting.
    if (code === 'ELOOP' || code === 'ENOTREG')
        return 'replaced';
    return 'failed';
}

;// CONCATENATED MODULE: ./lib/collect/index.js











/**
 * Collects everything into the staging directory. Never throws for a file: every problem is
 * one line in `errors`, and collection goes on.
 */
async function collectBundle(options) {
    const errors = [];
    const onError = (message) => {
        errors.push(message);
        options.debug(message);
    };
    const planned = [
        ...metaEntries(options),
        ...(await commandLogEntries(options.commands, onError)),
        ...(await planBotFiles(botFileOptions(options), onError)),
        ...(await planExtraPaths(options.extraPaths, options.workingDirectory, {
            onError,
            onNoMatch: (entry) => options.warn(`extra-paths entry '${entry}' matched nothing`),
        })),
    ];
    const context = {
        stagingDir: options.stagingDir,
        redactor: options.redactor,
        copyFile: options.copyFile ?? stage_file/* stageCopy */.Uz,
        maxFileSize: options.maxFileSize,
        budget: new Budget(options.maxBundleSize),
        onError,
        onStaged: options.onStaged,
    };
    const records = [];
    const taken = new Map();
    const copied = new Map();
    const archiveId = fileIdOf(options.archivePath);
    for (const planEntry of inKeepOrder(planned)) {
        const source = planEntry.source?.displayPath ?? null;
        // The raw path tells two files apart even when their escaped names are the same.
        const identity = planEntry.source?.path.toString('hex') ?? null;
        // The archive being written is never collected into itself, by whatever path it is seen.
        if (source && source === options.archivePath)
            continue;
        if (archiveId && planEntry.source?.fileId === archiveId)
            continue;
        // A bot file also named in extra-paths (`logs` with include-logs) goes in once, at its
        // place under files/logs or files/data: extras come last in keep order.
        const copyOf = planEntry.produce.type === 'copy' ? (planEntry.source?.fileId ?? null) : null;
        const copiedAs = copyOf === null ? undefined : copied.get(copyOf);
        if (copiedAs !== undefined) {
            options.debug(`${source}: already in the bundle as ${copiedAs}`);
            continue;
        }
        // A name can hold a secret too (a file named after a token): scrub it like the contents.
        let archivePath = options.redactor.scrubText(planEntry.archivePath);
        if (taken.has(archivePath)) {
            if (taken.get(archivePath) === identity)
                continue; // the same file, matched twice
            archivePath = freeName(archivePath, taken);
            onError(`renamed: ${source}: another file already has its place; stored as ${archivePath}`);
        }
        taken.set(archivePath, identity);
        const entry = { ...planEntry, archivePath };
        options.onStaging?.(true);
        const record = await stageEntry(entry, context).finally(() => options.onStaging?.(false));
        options.debug(`${record.path ?? 'left out'} <- ${record.source ?? 'generated'}`);
        records.push(record);
        if (copyOf !== null)
            copied.set(copyOf, archivePath);
    }
    return { stagingDir: options.stagingDir, records, errors };
}
/** A file's device and inode, as FoundFile has them; empty when it cannot be looked at. */
function fileIdOf(file) {
    try {
        const stats = (0,external_node_fs_.statSync)(file);
        return `${stats.dev}:${stats.ino}`;
    }
    catch {
        return '';
    }
}
/** `name` with the first free suffix: `log.txt` -> `log.txt~2`. */
function freeName(name, taken) {
    for (let suffix = 2;; suffix++) {
        const candidate = `${name}~${suffix}`;
        if (!taken.has(candidate))
            return candidate;
    }
}
/** A stable sort by kind, keeping each kind's own order (rotated logs newest first). */
function inKeepOrder(entries) {
    return entries
        .map((entry, index) => ({ entry, index }))
        .sort((a, b) => KEEP_ORDER.indexOf(a.entry.kind) - KEEP_ORDER.indexOf(b.entry.kind) || a.index - b.index)
        .map(({ entry }) => entry);
}
function botFileOptions(options) {
    const queue = options.env.QUEUE_CACHE_FILE;
    return {
        logDir: options.logDir,
        dataDir: options.dataDir,
        includeLogs: options.includeLogs,
        headLines: options.headLines,
        tailLines: options.tailLines,
        queueCacheFile: queue ? external_node_path_.resolve(options.workingDirectory, queue) : '',
    };
}
function generated(archivePath, content) {
    return { archivePath, kind: 'meta', source: null, produce: { type: 'content', content } };
}
function metaEntries(options) {
    const entries = [
        generated('meta/env.txt', async () => renderEnvironment(options.env, options.redactEnvNames)),
        generated('meta/system_info.json', async () => json(await systemInfo(options.workingDirectory, options.env))),
        generated('meta/commands.json', async () => json(commandsFile(options.commands))),
    ];
    if (options.service) {
        entries.push(generated('meta/service_status.txt', () => serviceStatus(options.service)));
    }
    return entries;
}
/** meta/commands.json: the records without local paths, pointing at their logs instead. */
function commandsFile(commands) {
    return commands.map(({ log_path: logPath, ...record }) => ({
        ...record,
        log: logPath ? `meta/commands/${record.name}.log` : null,
    }));
}
async function commandLogEntries(commands, onError) {
    const entries = [];
    for (const command of commands) {
        if (!command.log_path)
            continue;
        try {
            const source = await inspect(Buffer.from(command.log_path), command.log_path);
            entries.push({
                archivePath: `meta/commands/${command.name}.log`,
                kind: 'command-log',
                source,
                produce: { type: 'copy', explicit: true },
            });
        }
        catch (error) {
            onError(`missing: output of ${command.name}: ${error.message}`);
        }
    }
    return entries;
}
function json(value) {
    return `${JSON.stringify(value, null, 2)}\n`;
}

// EXTERNAL MODULE: ./lib/collect/scrub-thread.js + 1 modules
var scrub_thread = __webpack_require__(79796);
// EXTERNAL MODULE: ./lib/memory/collecting-garbage.js
var collecting_garbage = __webpack_require__(13859);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
;// CONCATENATED MODULE: ./lib/pack/archive-name.js




/** `YYYYMMDDTHHMMSSZ` in UTC. */
function compactTimestamp(date = new Date()) {
    return date
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d+Z$/, 'Z');
}
/**
 * The archive's file name. Inside Actions it names the job, run and attempt and ends in four
 * random hex digits, so matrix legs and re-runs never collide (and neither do S3 keys built
 * from it); outside, it is the runbook's `k98-diagnostics-<timestamp>.tar.gz`.
 */
function archiveFileName(env, date = new Date()) {
    const stamp = compactTimestamp(date);
    if (env.GITHUB_ACTIONS !== 'true')
        return `k98-diagnostics-${stamp}.tar.gz`;
    const job = safePart(env.GITHUB_JOB || 'job');
    const run = safePart(env.GITHUB_RUN_ID || '0');
    const attempt = safePart(env.GITHUB_RUN_ATTEMPT || '1');
    const suffix = (0,external_node_crypto_.randomBytes)(2).toString('hex');
    return `k98-diagnostics-${job}-${run}-${attempt}-${stamp}-${suffix}.tar.gz`;
}
function safePart(text) {
    return text.replace(/[^A-Za-z0-9._-]+/g, '_');
}
/**
 * Where the archive is written — the `output` input (a directory gets the default name),
 * else RUNNER_TEMP inside Actions, else the current directory — and reserves that path by
 * creating it empty and exclusively, so no other file is ever replaced: a second archive in
 * the same second (the runbook's name has one-second resolution) gets `-2`, `-3`, ….
 */
function reserveArchivePath(output, env, cwd) {
    const name = archiveFileName(env);
    if (output && !archive_name_isDirectory(output)) {
        reserve(output);
        return output;
    }
    const directory = output || (env.GITHUB_ACTIONS === 'true' && env.RUNNER_TEMP) || cwd;
    const first = external_node_path_.join(directory, name);
    for (let suffix = 1;; suffix++) {
        const candidate = suffix === 1 ? first : first.replace(/\.tar\.gz$/, `-${suffix}.tar.gz`);
        try {
            reserve(candidate);
            return candidate;
        }
        catch (error) {
            // EEXIST also comes from creating the directory when a file stands in its place: only a
            // candidate that exists is a name taken, or the loop would never end.
            if (error.code !== 'EEXIST' || !pathTaken(candidate))
                throw error;
        }
    }
}
function archive_name_isDirectory(output) {
    return output.endsWith('/') || ((0,external_node_fs_.existsSync)(output) && (0,external_node_fs_.statSync)(output).isDirectory());
}
/** Creates the file empty; fails with EEXIST when something is already there. */
function reserve(file) {
    (0,external_node_fs_.mkdirSync)(external_node_path_.dirname(file), { recursive: true });
    (0,external_node_fs_.closeSync)((0,external_node_fs_.openSync)(file, 'wx'));
}

// EXTERNAL MODULE: external "node:events"
var external_node_events_ = __webpack_require__(78474);
// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(46466);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(38522);
// EXTERNAL MODULE: ./node_modules/tar/dist/esm/index.min.js
var index_min = __webpack_require__(98697);
// EXTERNAL MODULE: ./lib/pack/fingerprint.js
var fingerprint = __webpack_require__(32149);
// EXTERNAL MODULE: ./lib/pack/parallel-gzip.js
var parallel_gzip = __webpack_require__(28275);
;// CONCATENATED MODULE: ./lib/pack/tar-entries.js




const tar_entries_BLOCK = 512;
/** Two empty blocks end a tar archive. */
const END_OF_ARCHIVE = Buffer.alloc(2 * tar_entries_BLOCK);
/** Reads as small as node-tar's that we set before: bigger ones only wait longer for a GC. */
const READ_BYTES = 256 * 1024;
/**
 * The tar stream of `entries`, as they come: plain bytes for the header, a plain file's
 * content and the padding, and Precompressed for a gzipped file's members, which go into the
 * archive as they are. A file compressed while it was staged is then never compressed twice,
 * and its packing no longer waits for its staging to end before compression starts.
 * The headers are node-tar's, with the same fields its Pack writes with `portable` set.
 */
async function* tarEntries(stagingDir, entries) {
    for await (const entry of entries) {
        const handle = await (0,promises_.open)(external_node_path_.join(stagingDir, entry.relativePath), 'r');
        try {
            const stats = await handle.stat();
            const size = entry.gzipped ? (entry.size ?? 0) : stats.size;
            yield headerBlocks(entry.relativePath, size, stats);
            let copied = 0;
            for (;;) {
                // Sized to what is left (and a byte more, to see the end): a small file's bytes stay
                // in the archive's gzip block until it fills, and a block-sized buffer under each
                // kept 256 KiB apiece alive, so thousands of small files forced a full collection
                // every few dozen files, each slower as the bundle's records grew.
                const want = Math.min(READ_BYTES, Math.max(0, stats.size - copied) + 1);
                const chunk = Buffer.allocUnsafe(want);
                const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
                if (bytesRead === 0)
                    break;
                copied += bytesRead;
                const bytes = chunk.subarray(0, bytesRead);
                yield entry.gzipped ? new parallel_gzip/* Precompressed */.V9(bytes) : bytes;
            }
            // Staged files are ours and never change; a short one would shift every entry after it.
            // (A gzipped file's content size is checked when the archive is read back.)
            if (!entry.gzipped && copied !== size) {
                throw new Error(`${entry.relativePath} changed size while it was packed`);
            }
            const padding = (tar_entries_BLOCK - (size % tar_entries_BLOCK)) % tar_entries_BLOCK;
            if (padding > 0)
                yield Buffer.alloc(padding);
        }
        finally {
            await handle.close();
        }
    }
    yield END_OF_ARCHIVE;
}
/** A file's header block, after a PAX header when a field does not fit (a long path). */
function headerBlocks(archivePath, size, stats) {
    const fields = {
        path: archivePath.split(external_node_path_.sep).join('/'),
        // Owner read-write, and no write for group or others: as node-tar's `portable` mode.
        mode: ((stats.mode & 0o7777) | 0o600) & ~0o22,
        size,
        mtime: stats.mtime,
        type: 'File',
    };
    const header = new index_min/* Header */.Y9(fields);
    const needsPax = header.encode();
    const block = header.block;
    return needsPax ? Buffer.concat([new index_min/* Pax */.un(fields).encode(), block]) : block;
}

;// CONCATENATED MODULE: ./lib/pack/watchdog.js
/**
 * Aborts work that stops making progress: `progress()` reports the time of the last step;
 * when it is older than `stallMs` the returned signal aborts with a message saying so.
 */
function stallWatchdog(what, stallMs, progress) {
    const controller = new AbortController();
    const timer = setInterval(() => {
        const idle = Date.now() - progress();
        if (idle > stallMs) {
            controller.abort(new Error(`${what} stalled: no progress for ${Math.round(idle / 1000)} s`));
        }
    }, Math.min(1000, stallMs));
    timer.unref();
    return { signal: controller.signal, stop: () => clearInterval(timer) };
}

;// CONCATENATED MODULE: ./lib/pack/archive.js










/** How long packing may go without writing a byte before it is abandoned. */
const PACK_STALL_MS = 120_000;
/**
 * Packs files into one tar.gz while they are still being collected: each file is added as
 * soon as it is staged, so scrubbing and compressing overlap; a file staged already gzipped
 * (large ones, see ScrubThread and tar-entries.ts) goes in as it is. The compressed bytes are
 * hashed and also read back on the fly (gunzip + tar parse), so the check costs no second
 * pass over the archive. Memory stays bounded by the gzip blocks in flight.
 */
class StreamingPacker {
    /** Emits 'entry' for each file added and 'end' once the last one is. */
    queue = new external_node_events_.EventEmitter();
    tar;
    fingerprint = new fingerprint/* Fingerprint */.$();
    readBack = new Map();
    done;
    watchdog;
    waitingForInput = false;
    writeFailed = false;
    constructor(stagingDir, archivePath, compressionLevel, stallMs = PACK_STALL_MS) {
        const added = (0,external_node_events_.on)(this.queue, 'entry', { close: ['end'] });
        const entries = (async function* () {
            for await (const [entry] of added)
                yield entry;
        })();
        // One piece read ahead: the gzip blocks in flight are the only buffering.
        this.tar = external_node_stream_.Readable.from(tarEntries(stagingDir, entries), { highWaterMark: 1 });
        this.watchdog = stallWatchdog('packing the archive', stallMs, () => this.waitingForInput ? Date.now() : this.fingerprint.lastProgress);
        // Output in blocks as large as the gzip blocks: each chunk is a round trip from the thread
        // pool and a parser call on the main thread, and 64 KiB chunks made 16 times as many.
        const gunzip = (0,external_node_zlib_.createGunzip)({ chunkSize: parallel_gzip/* GZIP_BLOCK_BYTES */.BR });
        const parser = new index_min/* Parser */.iX({
            onReadEntry: (entry) => {
                this.readBack.set(entry.path, entry.size);
                entry.resume();
            },
        });
        gunzip.on('data', (chunk) => parser.write(chunk));
        const parsed = new Promise((resolve, reject) => {
            gunzip.on('end', () => {
                parser.end();
                resolve();
            });
            gunzip.on('error', reject);
        });
        const written = (0,external_node_stream_promises_.pipeline)(this.tar, new parallel_gzip/* ParallelGzip */.mX(compressionLevel), this.fingerprint, new ReadBackTee(gunzip), 
        // The path was reserved (created empty, exclusively) for this archive. Should a SIGKILL
        // stop the process before the end, the post step renames what is left (post.ts).
        (0,external_node_fs_.createWriteStream)(archivePath), { signal: this.watchdog.signal });
        this.done = Promise.all([written, parsed]).then(() => undefined);
        // Reported by finish(); a rejection before then must not crash the process.
        this.done.catch(() => {
            this.writeFailed = true;
        });
    }
    /** Whether writing the archive itself failed (rather than staging a file for it). */
    get failed() {
        return this.writeFailed;
    }
    /** Stops packing after a failure elsewhere; finish() is not called then. */
    abort() {
        this.watchdog.stop();
        this.queue.emit('end');
        this.tar.destroy(new Error('packing was abandoned'));
    }
    /**
     * Collection is making the next file: the packer waiting for it is not stalled, however
     * long a big file takes to scrub. (Its output stalling meanwhile is noticed once the file
     * is added.)
     */
    waitForInput(waiting) {
        this.waitingForInput = waiting;
        this.fingerprint.lastProgress = Date.now();
    }
    /**
     * Queues one staged file (a path relative to the staging directory); a gzipped one holds
     * gzip members of `size` bytes of content.
     */
    add(relativePath, gzipped) {
        this.fingerprint.lastProgress = Date.now();
        const entry = { relativePath, gzipped: gzipped !== undefined, size: gzipped?.size };
        this.queue.emit('entry', entry);
    }
    /** Ends the archive and waits until it is written, hashed and read back. */
    async finish() {
        this.fingerprint.lastProgress = Date.now();
        this.queue.emit('end');
        try {
            await this.done;
        }
        catch (error) {
            throw this.watchdog.signal.aborted ? this.watchdog.signal.reason : error;
        }
        finally {
            this.watchdog.stop();
        }
        return {
            sha256: this.fingerprint.hash.digest('hex'),
            size: this.fingerprint.size,
            readBack: this.readBack,
        };
    }
}
/** Passes bytes on while feeding a copy to the read-back check, at the pace of the slower. */
class ReadBackTee extends external_node_stream_.Transform {
    check;
    constructor(check) {
        super();
        this.check = check;
    }
    _transform(chunk, _encoding, done) {
        this.push(chunk);
        if (this.check.write(chunk))
            done();
        else
            this.check.once('drain', () => done());
    }
    _flush(done) {
        this.check.end();
        done();
    }
}
/** Packs a list of files at once (for callers that have them all). */
async function packArchive(stagingDir, files, archivePath, compressionLevel) {
    const packer = new StreamingPacker(stagingDir, archivePath, compressionLevel);
    for (const file of files)
        packer.add(file);
    return packer.finish();
}

// EXTERNAL MODULE: ./lib/version.js
var version = __webpack_require__(13411);
;// CONCATENATED MODULE: ./lib/pack/manifest.js



const MANIFEST_PATH = 'meta/manifest.json';
const ERRORS_PATH = 'meta/errors.txt';
/** meta/manifest.json: every file entry, kept or left out; it does not list itself. */
function buildManifest(records, createdAt = new Date()) {
    return {
        format_version: 1,
        action_version: version/* ACTION_VERSION */.Y,
        created_at: createdAt.toISOString(),
        entries: records,
    };
}
/**
 * Writes the manifest. Its text is scrubbed too: source paths and link targets are names
 * chosen by others and may hold a credential (archive paths were scrubbed already).
 */
async function writeManifest(stagingDir, manifest, scrub) {
    const text = scrub(`${JSON.stringify(manifest, null, 2)}\n`);
    await (0,promises_.writeFile)(external_node_path_.join(stagingDir, MANIFEST_PATH), text);
    return Buffer.byteLength(text);
}

;// CONCATENATED MODULE: ./lib/pack/verify.js
/**
 * Compares what reading the archive back found with what was meant to go in: a partial or
 * corrupt archive is never uploaded.
 */
function checkReadBack(found, expected) {
    const problems = [];
    for (const [name, size] of expected) {
        const actual = found.get(name);
        if (actual === undefined)
            problems.push(`${name} is missing`);
        else if (actual !== size)
            problems.push(`${name} has ${actual} bytes, expected ${size}`);
    }
    for (const name of found.keys()) {
        if (!expected.has(name))
            problems.push(`${name} was not expected`);
    }
    if (problems.length > 0) {
        throw new Error(`the archive does not match its manifest: ${problems.slice(0, 5).join('; ')}`);
    }
}

;// CONCATENATED MODULE: ./lib/pack/index.js



/**
 * Seals the bundle: writes errors.txt and the manifest, ends the archive and checks what was
 * read back against the manifest. Throws when the archive is not whole; the caller reports it.
 */
async function sealBundle(staged, packer, archivePath, redactor) {
    const errorsText = staged.errors.length > 0 ? `${staged.errors.join('\n')}\n` : '';
    const errorsFile = await (0,stage_file/* stageContent */.Ao)(errorsText, staged.stagingDir, ERRORS_PATH, redactor);
    packer.add(ERRORS_PATH);
    const records = [
        ...staged.records,
        {
            path: ERRORS_PATH,
            kind: 'meta',
            source: null,
            source_size: null,
            archived_size: errorsFile.size,
            sha256: errorsFile.sha256,
            truncated: false,
            left_out: false,
            redactions: errorsFile.redactions,
            scrubbed: true,
        },
    ];
    const manifest = buildManifest(records);
    const manifestSize = await writeManifest(staged.stagingDir, manifest, (text) => redactor.scrubText(text));
    packer.add(MANIFEST_PATH);
    const expected = new Map();
    for (const record of records) {
        if (record.path)
            expected.set(record.path, record.archived_size ?? 0);
    }
    expected.set(MANIFEST_PATH, manifestSize);
    const packed = await packer.finish();
    checkReadBack(packed.readBack, expected);
    return {
        archivePath,
        sha256: packed.sha256,
        size: packed.size,
        entryCount: expected.size,
        manifest,
        errors: staged.errors,
        stagingDir: staged.stagingDir,
    };
}

// EXTERNAL MODULE: ./lib/redact/scrubber.js
var scrubber = __webpack_require__(7513);
;// CONCATENATED MODULE: ./lib/redact/live-lines.js

/** Longest line held until its line break; a longer one is let out in scrubbed pieces. */
const LONG_LINE = 64 * 1024;
const PEM_BEGIN = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;
const PEM_END = /-----END [A-Z0-9 ]*PRIVATE KEY-----/;
/** What a line inside a key block looks like: base64, or a header such as Proc-Type. */
const KEY_LINE = /^\s*([A-Za-z0-9+/=]+|(Proc-Type|DEK-Info): .*)\s*$/;
/**
 * Scrubs a command's output on its way to the step log, a line at a time so the log stays
 * live. The runner masks registered secrets itself; this also catches credential shapes a
 * test prints (a bearer header, a token) and private key blocks spread over many lines.
 */
class LiveLineScrubber {
    redactor;
    write;
    partial = '';
    insideKey = false;
    /** Set while a line too long to hold goes out in pieces, scrubbed as a stream. */
    longLine = null;
    constructor(redactor, write) {
        this.redactor = redactor;
        this.write = write;
    }
    push(chunk) {
        if (this.longLine) {
            this.pushLongLine(chunk);
            return;
        }
        const text = this.partial + chunk.toString('latin1');
        const lastNewline = text.lastIndexOf('\n');
        this.partial = text.slice(lastNewline + 1);
        if (lastNewline >= 0)
            this.emit(text.slice(0, lastNewline + 1));
        // A very long line without a break goes out as it comes, but through a window that holds
        // back its end: a secret cut between two pieces is still caught whole.
        if (this.partial.length > LONG_LINE) {
            this.longLine = new scrubber/* WindowScrub */.E3(this.redactor);
            const started = Buffer.from(this.partial, 'latin1');
            this.partial = '';
            this.pushLongLine(started);
        }
    }
    flush() {
        if (this.longLine)
            this.endLongLine();
        if (this.partial)
            this.emit(this.partial);
        this.partial = '';
    }
    pushLongLine(chunk) {
        const newline = chunk.indexOf(0x0a);
        const piece = newline >= 0 ? chunk.subarray(0, newline + 1) : chunk;
        const out = this.longLine?.push(piece);
        if (out)
            this.write(out);
        if (newline < 0)
            return;
        this.endLongLine();
        const rest = chunk.subarray(newline + 1);
        if (rest.length > 0)
            this.push(rest);
    }
    endLongLine() {
        const out = this.longLine?.end();
        this.longLine = null;
        if (out)
            this.write(out);
    }
    emit(text) {
        const kept = [];
        for (const line of text.split(/(?<=\n)/)) {
            if (!this.insideKey && PEM_BEGIN.test(line) && !PEM_END.test(line)) {
                this.insideKey = true;
                kept.push('[REDACTED private key]\n');
            }
            else if (this.insideKey && (PEM_END.test(line) || !KEY_LINE.test(line))) {
                // The block ends at its END line, or at the first line that is not part of a key
                // (a lone BEGIN must not hide the rest of the log).
                this.insideKey = false;
                if (!PEM_END.test(line))
                    kept.push(line);
            }
            else if (!this.insideKey) {
                kept.push(line);
            }
        }
        this.write(Buffer.from(this.redactor.scrubLatin1(kept.join('')).text, 'latin1'));
    }
}

;// CONCATENATED MODULE: ./lib/report/reporter.js
/** Runs `body` inside a log group that is always closed. */
async function inGroup(reporter, title, body) {
    reporter.startGroup(title);
    try {
        return await body();
    }
    finally {
        reporter.endGroup();
    }
}
/** A reporter that scrubs every message first: nothing it prints can carry a credential. */
function scrubbingReporter(inner, scrub) {
    return {
        info: (message) => inner.info(scrub(message)),
        debug: (message) => inner.debug(scrub(message)),
        warning: (message, properties) => inner.warning(scrub(message), properties),
        error: (message, properties) => inner.error(scrub(message), properties),
        startGroup: (title) => inner.startGroup(scrub(title)),
        endGroup: () => inner.endGroup(),
        setSecret: (value) => inner.setSecret(value),
    };
}

;// CONCATENATED MODULE: ./lib/run/bounded-capture.js

/**
 * Writes a command's output to a file without letting it grow past a bound: the first half of
 * the bound goes straight to disk, the last half is kept in memory as a rolling tail and
 * appended at the end behind a marker saying how much was cut.
 */
class BoundedCapture {
    file;
    headLimit;
    tailLimit;
    fd;
    written = 0;
    tail = [];
    tailLength = 0;
    dropped = 0;
    constructor(file, headLimit, tailLimit) {
        this.file = file;
        this.headLimit = headLimit;
        this.tailLimit = tailLimit;
        this.fd = (0,external_node_fs_.openSync)(file, 'w');
    }
    write(chunk) {
        const roomInHead = Math.max(0, this.headLimit - this.written);
        if (roomInHead > 0) {
            const head = chunk.subarray(0, roomInHead);
            (0,external_node_fs_.writeSync)(this.fd, head);
            this.written += head.length;
            chunk = chunk.subarray(head.length);
        }
        if (chunk.length === 0)
            return;
        this.tail.push(Buffer.from(chunk));
        this.tailLength += chunk.length;
        while (this.tailLength > this.tailLimit && this.tail.length > 0) {
            const first = this.tail[0];
            const excess = this.tailLength - this.tailLimit;
            if (first.length <= excess) {
                this.tail.shift();
                this.tailLength -= first.length;
                this.dropped += first.length;
            }
            else {
                this.tail[0] = first.subarray(excess);
                this.tailLength -= excess;
                this.dropped += excess;
            }
        }
    }
    /** Flushes the tail and closes the file; returns how many bytes were cut. */
    close() {
        if (this.dropped > 0) {
            (0,external_node_fs_.writeSync)(this.fd, `\n[... k98-diagnostics: ${this.dropped} bytes of output cut ...]\n`);
        }
        for (const piece of this.tail)
            (0,external_node_fs_.writeSync)(this.fd, piece);
        (0,external_node_fs_.closeSync)(this.fd);
        return this.dropped;
    }
}

;// CONCATENATED MODULE: ./lib/run/outcome.js
/** Outcomes that fail the step unless fail-on-command-failure is false. */
function isFailing(outcome, failOnNoTests) {
    if (outcome === 'no-tests')
        return failOnNoTests;
    return outcome === 'failure' || outcome === 'timed-out' || outcome === 'cancelled';
}
const PYTEST_MEANINGS = {
    0: 'all tests passed',
    1: 'tests failed',
    2: 'interrupted or collection errors',
    3: 'internal error',
    4: 'usage error',
    5: 'no tests collected',
};
/** pytest run directly or as `python -m pytest`. */
function isPytestCommand(command) {
    return /(^|[\s/;&|(])(py\.test|pytest)(\s|$)|-m\s+pytest\b/.test(command);
}
/** What an exit code means, in words: pytest's documented codes, else the shell's. */
function exitCodeMeaning(command, exitCode, signal) {
    if (exitCode === null)
        return signal ? `killed by ${signal}` : 'did not run';
    if (isPytestCommand(command) && PYTEST_MEANINGS[exitCode])
        return PYTEST_MEANINGS[exitCode];
    if (exitCode === 0)
        return 'success';
    if (exitCode === 126)
        return 'command not executable';
    if (exitCode === 127)
        return 'command not found';
    if (exitCode > 128 && exitCode < 160)
        return `killed by signal ${exitCode - 128}`;
    return 'failed';
}
/** The record of a command that did not run (empty, or commands not run at all). */
function skippedRecord(name, command, cwd) {
    return {
        name,
        command,
        cwd,
        exit_code: null,
        exit_code_meaning: 'did not run',
        signal: null,
        outcome: 'skipped',
        start: null,
        end: null,
        duration_ms: 0,
    };
}

;// CONCATENATED MODULE: ./lib/run/command.js




/** How long a process group gets between SIGTERM (or the forwarded signal) and SIGKILL. */
const KILL_GRACE_MS = 3000;
/**
 * Runs one command in its own process group, bounded by a timeout. On timeout or
 * cancellation the whole group is signalled and then killed, so a grandchild that ignores
 * SIGTERM cannot outlive the step.
 */
async function runCommand(spec) {
    const record = skippedRecord(spec.name, spec.command, spec.cwd);
    if (spec.cancel.aborted)
        return { ...record, outcome: 'cancelled' };
    const capture = new BoundedCapture(spec.logFile, spec.maxLogBytes / 2, spec.maxLogBytes / 2);
    const shell = shellInvocation(spec.command);
    const started = Date.now();
    record.start = new Date(started).toISOString();
    record.log_path = spec.logFile;
    const child = (0,external_node_child_process_.spawn)(shell.file, shell.args, {
        cwd: spec.cwd,
        env: spec.env,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    const onOutput = (chunk) => {
        capture.write(chunk);
        spec.live(chunk);
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    let stopReason = null;
    const stopGroup = (reason, signal) => {
        if (stopReason)
            return;
        stopReason = reason;
        signalGroup(child.pid, signal);
        setTimeout(() => signalGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS).unref();
    };
    const timer = setTimeout(() => stopGroup('timed-out', 'SIGTERM'), spec.timeoutMs);
    const onCancel = () => stopGroup('cancelled', cancelSignal(spec.cancel));
    spec.cancel.addEventListener('abort', onCancel, { once: true });
    const [exitCode, signal, spawnError] = await waitForExit(child);
    clearTimeout(timer);
    spec.cancel.removeEventListener('abort', onCancel);
    await reapGroup(child.pid);
    await outputDrained(child);
    capture.close();
    const ended = Date.now();
    record.end = new Date(ended).toISOString();
    record.duration_ms = ended - started;
    record.exit_code = exitCode;
    record.signal = signal;
    record.exit_code_meaning = spawnError
        ? `could not start: ${spawnError.message}`
        : exitCodeMeaning(spec.command, exitCode, signal);
    record.outcome = stopReason ?? outcomeOf(spec.command, exitCode, spawnError);
    return record;
}
function outcomeOf(command, exitCode, spawnError) {
    if (spawnError || exitCode !== 0) {
        return exitCode === 5 && isPytestCommand(command) ? 'no-tests' : 'failure';
    }
    return 'success';
}
function cancelSignal(cancel) {
    return cancel.reason === 'SIGINT' ? 'SIGINT' : 'SIGTERM';
}
function waitForExit(child) {
    return new Promise((resolve) => {
        child.once('error', (error) => resolve([null, null, error]));
        child.once('exit', (code, signal) => resolve([code, signal, null]));
    });
}
/** Waits (briefly) for the last output after the group is gone. */
function outputDrained(child) {
    const closed = (stream) => new Promise((resolve) => {
        if (!stream || stream.closed)
            resolve();
        else
            stream.once('close', () => resolve());
    });
    const drained = Promise.all([closed(child.stdout), closed(child.stderr)]).then(() => undefined);
    return Promise.race([drained, sleep(2000)]);
}
/** Signals every process of the group led by `pid`; a group already gone is fine. */
function signalGroup(pid, signal) {
    if (!pid)
        return;
    try {
        process.kill(-pid, signal);
    }
    catch {
        // the group has already exited
    }
}
function groupAlive(pid) {
    try {
        process.kill(-pid, 0);
        return true;
    }
    catch {
        return false;
    }
}
/**
 * After the leader exits, processes it left in its group (a server a test forgot, a child
 * that ignores SIGTERM) would hold the output pipes open and outlive the step: end them.
 */
async function reapGroup(pid) {
    if (!pid || !groupAlive(pid))
        return;
    signalGroup(pid, 'SIGTERM');
    const deadline = Date.now() + KILL_GRACE_MS;
    while (groupAlive(pid) && Date.now() < deadline)
        await sleep(100);
    if (groupAlive(pid))
        signalGroup(pid, 'SIGKILL');
    while (groupAlive(pid) && Date.now() < deadline + 2000)
        await sleep(50);
}
function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

;// CONCATENATED MODULE: ./lib/run/env.js
/**
 * Variables only an action gets from the runner, never a `run:` step: the bot's commands must
 * not see them either, so a test that prints its environment cannot leak them.
 */
const ACTION_ONLY_VARIABLES = [
    'ACTIONS_RUNTIME_TOKEN',
    'ACTIONS_RUNTIME_URL',
    'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
    'ACTIONS_ID_TOKEN_REQUEST_URL',
    'ACTIONS_RESULTS_URL',
    'ACTIONS_CACHE_URL',
];
const ACTION_ONLY_PREFIXES = ['INPUT_', 'STATE_'];
/** The environment the bot's commands run with. */
function commandEnvironment(env) {
    const filtered = {};
    for (const [name, value] of Object.entries(env)) {
        if (ACTION_ONLY_VARIABLES.includes(name))
            continue;
        if (ACTION_ONLY_PREFIXES.some((prefix) => name.startsWith(prefix)))
            continue;
        filtered[name] = value;
    }
    return filtered;
}

;// CONCATENATED MODULE: ./lib/upload/file-digest.js


/** Bytes hashed per read; the one buffer is reused for the whole file. */
const READ_SIZE = 256 * 1024;
/**
 * The sha256 (hex) and size of a file, read through one reused buffer. A read stream
 * allocates a new buffer per read; hashing a 256 MiB archive that way raised the CLI's
 * resident memory from 50 to 89 MiB before any upload began (57 MiB with this).
 */
async function fileDigest(file) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    const buffer = Buffer.allocUnsafe(READ_SIZE);
    const handle = await (0,promises_.open)(file, 'r');
    let size = 0;
    try {
        for (;;) {
            const { bytesRead } = await handle.read(buffer, 0, READ_SIZE, size);
            if (bytesRead === 0)
                break;
            hash.update(buffer.subarray(0, bytesRead));
            size += bytesRead;
        }
    }
    finally {
        await handle.close();
    }
    return { sha256: hash.digest('hex'), size };
}

;// CONCATENATED MODULE: ./lib/upload/index.js




/**
 * Loads the uploader for one destination. Each SDK is imported only when its destination is
 * used, so a run without S3 or artifacts does not pay their load time.
 */
async function loadUploader(destination) {
    switch (destination) {
        case 'http':
            return (await Promise.all(/* import() */[__webpack_require__.e(830), __webpack_require__.e(52), __webpack_require__.e(758), __webpack_require__.e(54), __webpack_require__.e(754)]).then(__webpack_require__.bind(__webpack_require__, 40754))).httpUploader;
        case 's3':
            return (await Promise.all(/* import() */[__webpack_require__.e(830), __webpack_require__.e(52), __webpack_require__.e(994), __webpack_require__.e(69)]).then(__webpack_require__.bind(__webpack_require__, 39069))).s3Uploader;
        case 'artifact':
            return (await Promise.all(/* import() */[__webpack_require__.e(119), __webpack_require__.e(830), __webpack_require__.e(780), __webpack_require__.e(351), __webpack_require__.e(118), __webpack_require__.e(758), __webpack_require__.e(787), __webpack_require__.e(2)]).then(__webpack_require__.bind(__webpack_require__, 27002))).artifactUploader;
    }
}
/**
 * Tries every destination in turn. Destinations are independent: one failing never stops
 * the next, and a failure is returned as a result, never thrown.
 */
async function uploadEverywhere(request) {
    const results = [];
    for (const reason of request.settings.skipped)
        request.reporter.info(`Not uploading to ${reason}`);
    for (const destination of request.settings.destinations) {
        const result = await inGroup(request.reporter, `Upload: ${destination}`, async () => {
            try {
                const uploader = await loadUploader(destination);
                return await uploader.upload(request);
            }
            catch (error) {
                return { destination, ok: false, outputs: {}, error: (0,errors/* errorMessage */.g)(error) };
            }
        });
        if (result.ok) {
            request.reporter.info(`Uploaded to ${destination}: ${result.location ?? 'done'}`);
        }
        else {
            // With auto a failure is a warning: the step fails only when every destination failed.
            const message = `Upload to ${destination} failed: ${result.error ?? 'unknown error'}`;
            if (request.settings.explicit)
                request.reporter.error(message);
            else
                request.reporter.warning(message);
        }
        results.push(result);
    }
    return results;
}
/**
 * Whether the uploads failed the step: an explicitly requested destination that failed, or
 * every destination failing. One failure among successes with `auto` is only a warning.
 */
function uploadsFailed(results, explicit) {
    if (results.length === 0)
        return false;
    if (explicit)
        return results.some((result) => !result.ok);
    return results.every((result) => !result.ok);
}
/** Uploads an archive that already exists on disk (the CLI's `upload`, the post step). */
async function uploadExistingArchive(archivePath, settings, reporter, env) {
    const { sha256, size } = await fileDigest(archivePath);
    return uploadEverywhere({
        archivePath,
        archiveName: external_node_path_.basename(archivePath),
        sha256,
        size,
        settings,
        reporter,
        env,
    });
}

;// CONCATENATED MODULE: ./lib/pipeline.js



















/**
 * Registers every secret with the reporter (so the step log masks it) and builds the redactor
 * for the bundle. Must run before anything is logged.
 */
function prepareSecrets(inputs, env, reporter) {
    const values = secretValues(env, inputs.redactEnvNames);
    for (const extra of [inputs.upload.http.token, inputs.incident.token]) {
        if (extra && !values.includes(extra))
            values.push(extra);
    }
    for (const value of values)
        reporter.setSecret(value);
    return new scrubber/* Redactor */.pO(values, inputs.redactPatterns);
}
/** Buffer memory a bundle's streams may leave behind before a collection is forced. */
const BUNDLE_GARBAGE_GROWTH = 16 * 1024 * 1024;
/**
 * Past this resident set, a collection is forced after 8 MiB instead. Node 24 runs some
 * 18 MB above Node 20 all through a bundle (its binary's code alone is 10 MB more), which
 * left a 1 GiB bundle at 146-153 MB against the 150 MB target; Node 20 stays below this.
 */
const BUNDLE_NEAR_LIMIT = { rssBytes: 136e6, growth: 8 * 1024 * 1024 };
/** A scratch directory under RUNNER_TEMP (or the system temp) for one run. */
async function makeWorkDir(env) {
    const base = env.RUNNER_TEMP && env.GITHUB_ACTIONS === 'true' ? env.RUNNER_TEMP : external_node_os_.tmpdir();
    await (0,promises_.mkdir)(base, { recursive: true });
    return (0,promises_.mkdtemp)(external_node_path_.join(base, 'k98-run-'));
}
function removeWorkDir(workDir) {
    return (0,promises_.rm)(workDir, { recursive: true, force: true });
}
/** Step 1: the smoke check, then the tests, each bounded and killed as a process tree. */
async function runChecks(context) {
    const { inputs } = context;
    const commands = [
        ['smoke', inputs.smokeCommand],
        ['tests', inputs.testCommand],
    ];
    const records = [];
    await (0,promises_.mkdir)(external_node_path_.join(context.workDir, 'commands'), { recursive: true });
    for (const [name, command] of commands) {
        if (!inputs.runCommands || !command) {
            records.push(skippedRecord(name, command, inputs.workingDirectory));
            continue;
        }
        const live = new LiveLineScrubber(context.redactor, context.live);
        const record = await inGroup(context.reporter, `Run ${name}: ${command}`, () => runCommand({
            name,
            command,
            cwd: inputs.workingDirectory,
            timeoutMs: inputs.timeoutMs,
            env: commandEnvironment(context.env),
            logFile: external_node_path_.join(context.workDir, 'commands', `${name}.log`),
            maxLogBytes: inputs.maxFileSize,
            live: (chunk) => live.push(chunk),
            cancel: context.cancel,
        }).finally(() => live.flush()));
        const seconds = (record.duration_ms / 1000).toFixed(1);
        context.reporter.info(`${name}: ${record.outcome} (exit ${record.exit_code ?? record.signal ?? '-'}, ${seconds} s)`);
        records.push(record);
    }
    return records;
}
/**
 * Steps 2 and 3: collect everything into a staging directory, then pack and verify the
 * archive. Collection never stops for a file; packing throws only when no whole archive
 * could be made.
 */
async function buildBundle(context, commands, additions = async () => []) {
    const { inputs, reporter } = context;
    const stagingDir = external_node_path_.join(context.workDir, 'bundle');
    await (0,promises_.mkdir)(stagingDir, { recursive: true });
    return inGroup(reporter, 'Collect diagnostics', async () => {
        const archivePath = reserveArchivePath(inputs.output, context.env, process.cwd());
        context.onArchiveReserved?.(archivePath);
        const packer = new StreamingPacker(stagingDir, archivePath, inputs.compressionLevel);
        const scrubThread = scrub_thread/* ScrubThread */.Iv.for(context.redactor, inputs.compressionLevel);
        // Whole files are about to be copied: the thread starts while the small files are made.
        if (inputs.includeLogs || inputs.extraPaths.length > 0)
            scrubThread?.warmUp();
        try {
            return await (0,collecting_garbage/* collectingGarbage */.q)(BUNDLE_GARBAGE_GROWTH, (message) => reporter.debug(message), () => collectAndSeal(context, commands, additions, packer, archivePath, scrubThread), BUNDLE_NEAR_LIMIT);
        }
        catch (error) {
            // A file system error while staging files in the work directory (a full disk there is
            // not fixed by another `output`), or any other failure to make the archive.
            const inStaging = !packer.failed && error.code !== undefined;
            const message = inStaging
                ? stagingFailure(stagingDir, error)
                : archiveFailure(archivePath, error);
            // Never leave a partial archive that looks like a real one.
            packer.abort();
            await (0,promises_.rm)(archivePath, { force: true });
            throw new Error(message);
        }
        finally {
            const thread = scrubThread;
            if (thread?.failure)
                reporter.debug(`The scrubbing thread stopped: ${thread.failure}`);
            if (thread)
                reporter.debug(`${thread.copiesOnThread} files scrubbed on the scrubbing thread`);
            // Its memory is better spent on the uploads.
            await scrubThread?.close();
        }
    });
}
function archiveFailure(archivePath, error) {
    const code = error.code;
    const hint = code === 'ENOSPC'
        ? '; free some space there, or set `output` to a disk with room'
        : code === 'EACCES' || code === 'EROFS'
            ? '; set `output` to a writable place'
            : '';
    return `could not write ${archivePath}: ${(0,errors/* errorMessage */.g)(error)}${hint}`;
}
function stagingFailure(stagingDir, error) {
    const code = error.code;
    const hint = code === 'ENOSPC' ? "; free some space there (the runner's temporary directory)" : '';
    return `could not stage the bundle's files in ${stagingDir}: ${(0,errors/* errorMessage */.g)(error)}${hint}`;
}
async function collectAndSeal(context, commands, additions, packer, archivePath, scrubThread) {
    const { inputs, reporter } = context;
    const stagingDir = external_node_path_.join(context.workDir, 'bundle');
    const staged = await collectBundle({
        ...inputs,
        stagingDir,
        commands,
        env: context.env,
        redactor: context.redactor,
        copyFile: scrubThread?.copy,
        warn: (message) => reporter.warning(message),
        debug: (message) => reporter.debug(message),
        onStaged: (file, staged) => packer.add(file, staged.gzipped ? staged : undefined),
        onStaging: (active) => packer.waitForInput(active),
        archivePath,
    });
    await addFiles(context, staged, await additions(stagingDir), packer);
    const kept = staged.records.filter((record) => record.path).length;
    const problems = staged.errors.length;
    reporter.info(`Collected ${kept} files; ${problems} ${problems === 1 ? 'problem' : 'problems'} ` +
        'noted in meta/errors.txt');
    const bundle = await sealBundle(staged, packer, archivePath, context.redactor);
    reporter.info(`Archive: ${bundle.archivePath} (${bundle.size} bytes, ${bundle.entryCount} files)`);
    return bundle;
}
async function addFiles(context, staged, additions, packer) {
    for (const addition of additions) {
        const file = await (0,stage_file/* stageContent */.Ao)(addition.content, staged.stagingDir, addition.archivePath, context.redactor);
        staged.records.push({
            path: addition.archivePath,
            kind: 'meta',
            source: null,
            source_size: null,
            archived_size: file.size,
            sha256: file.sha256,
            truncated: false,
            left_out: false,
            redactions: file.redactions,
            scrubbed: true,
        });
        packer.add(addition.archivePath);
    }
}
/**
 * The whole job, shared by the action and the CLI: run the checks, collect and pack whatever
 * they gave, then upload unless the job is being cancelled.
 */
async function runPipeline(context, hooks = {}) {
    const commands = hooks.commands ?? (await runChecks(context));
    let bundle = null;
    let bundleError = null;
    try {
        bundle = await buildBundle(context, commands, (staging) => hooks.additions ? hooks.additions(staging, commands) : Promise.resolve([]));
        hooks.onArchive?.(bundle);
    }
    catch (error) {
        bundleError = (0,errors/* errorMessage */.g)(error);
    }
    const cancelled = context.cancel.aborted;
    let uploads = [];
    if (bundle && cancelled && context.postStepUploads && context.inputs.upload.destinations.length) {
        context.reporter.warning('The job is being cancelled: uploads are left to the post step. ' +
            `Archive: ${bundle.archivePath}`);
    }
    else if (bundle) {
        uploads = await uploadEverywhere({
            archivePath: bundle.archivePath,
            archiveName: external_node_path_.basename(bundle.archivePath),
            sha256: bundle.sha256,
            size: bundle.size,
            settings: context.inputs.upload,
            reporter: context.reporter,
            env: context.env,
        });
    }
    return { commands, bundle, bundleError, uploads, cancelled };
}

;// CONCATENATED MODULE: ./lib/report/action-reporter.js

/** The reporter used inside GitHub Actions: real annotations, groups and masks. */
const actionReporter = {
    info: (message) => core/* info */.pq(message),
    debug: (message) => core/* debug */.Yz(message),
    warning: (message, properties) => core/* warning */.$e(message, properties),
    error: (message, properties) => core/* error */.z3(message, properties),
    startGroup: (title) => core/* startGroup */.Oh(title),
    endGroup: () => core/* endGroup */.N4(),
    setSecret: (value) => core/* setSecret */.Pq(value),
};

;// CONCATENATED MODULE: ./lib/report/exception-group.js
/**
 * Groups read inside groups: Python prints 10 levels at most, so anything deeper was not
 * written by it, and each level is read again from its rows (a crafted log must not stall
 * the triage). A deeper group counts as one sub-exception, its header line.
 */
const MAX_DEPTH = 16;
const GROUP_START = /^(\s*)\+ Exception Group Traceback \(most recent call last\):\s*$/;
const NESTED_GROUP_START = /^Exception Group Traceback \(most recent call last\):\s*$/;
/** `+---- 2 ----`, `+---- ... ----` or the closing `+--------`; not `+-+`, which opens. */
const SEPARATOR = /^\+-+(?: (?:\d+|\.\.\.) -+)?\s*$/;
/** Boxes being read, one inside another: a group's header can also stand in a member. */
let openBoxes = 0;
/**
 * Whether `line` (its log prefix removed) opens a printed ExceptionGroup that can be read:
 * past MAX_DEPTH open boxes, a header is read as a plain traceback line.
 */
function isGroupStart(line) {
    return GROUP_START.test(line) && openBoxes < MAX_DEPTH;
}
/**
 * Reads the group that opens at `lines[start]` (a line isGroupStart accepts). `endLine` is
 * the index after its last line: the box ends at the first line without a bar.
 */
function readExceptionGroup(lines, start, readers) {
    const column = GROUP_START.exec(lines[start] ?? '')?.[1]?.length ?? 0;
    let end = start + 1;
    // The next group printed right after this one opens with a bar too, but is not part of it.
    while (end < lines.length &&
        hangsFromBar(lines[end] ?? '', column) &&
        !GROUP_START.test(lines[end] ?? '')) {
        end++;
    }
    const box = readBox(lines.slice(start, end), column, readers);
    const first = box.leaves.find((leaf) => !/^and \d+ more exceptions?$/.test(leaf.exception));
    const inner = first ?? { exception: box.exception, frames: [], chain: [] };
    return {
        exception: inner.exception,
        // A sub-exception never raised has no frames: then the group's own say where it was.
        frames: inner.frames.length > 0 ? inner.frames : (first?.groupFrames ?? box.frames),
        chain: inner.chain,
        group: { exception: box.exception, members: box.leaves.map((leaf) => leaf.exception) },
        endLine: end,
    };
}
/** A line of the box: a bar (`|` or `+`) first, at `column` or deeper. */
function hangsFromBar(line, column) {
    const bar = line.search(/\S/);
    return bar >= column && (line[bar] === '|' || line[bar] === '+');
}
/**
 * One group's box: `rows[0]` is its header, its own lines have a bar at `column`, and its
 * sub-exceptions open with `+-+` there and hang from `column + 2`.
 */
function readBox(rows, column, readers) {
    openBoxes++;
    try {
        return readOpenBox(rows, column, readers);
    }
    finally {
        openBoxes--;
    }
}
function readOpenBox(rows, column, readers) {
    let index = 1;
    const own = ['Traceback (most recent call last):'];
    while (index < rows.length && (rows[index] ?? '')[column] === '|') {
        own.push(content(rows[index] ?? '', column));
        index++;
    }
    const { frames, exception } = readers.readOne(own, 0);
    const leaves = [];
    const inner = column + 2;
    for (const member of members(rows.slice(index), column, inner)) {
        const first = content(member[0] ?? '', inner);
        // TODO: a group printed after a chain inside one sub-exception is read as plain text.
        if (NESTED_GROUP_START.test(first) && openBoxes < MAX_DEPTH) {
            leaves.push(...readBox(member, inner, readers).leaves);
        }
        else {
            const reading = readers.readMember(member.map((row) => content(row, inner)));
            leaves.push({ ...reading, groupFrames: frames });
        }
    }
    return { exception, frames, leaves };
}
/**
 * Splits the rows after a group's own lines into its sub-exceptions: the first opens with
 * `+-+` at `column`, the next ones with a separator at `inner`; the closing separator ends
 * them. A nested group's `+-+` sits at `inner` too, and stays inside its sub-exception.
 */
function members(rows, column, inner) {
    const found = [];
    if (!(rows[0] ?? '').slice(column).startsWith('+-+'))
        return found;
    let current = [];
    for (const row of rows.slice(1)) {
        if (row[inner] === '+' && SEPARATOR.test(row.slice(inner))) {
            if (current.length > 0)
                found.push(current);
            current = [];
            continue;
        }
        current.push(row);
    }
    if (current.length > 0)
        found.push(current);
    return found;
}
/** A row's text after its bar at `column` and the one space Python puts after it. */
function content(row, column) {
    // trimEnd, not a regular expression: `\s+$` tries every start in a long run of spaces.
    return row.slice(column + 2).trimEnd();
}

;// CONCATENATED MODULE: ./lib/report/traceback.js

/** The bot's logger prefix: `2026-11-30 21:04:05,123 [ERROR] bot.queue: `. */
const LOG_PREFIX = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:[,.]\d+)?\s+\[[A-Za-z]+\]\s+[^\s:]+: ?/;
const TIMESTAMP = /\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}/;
const TRACEBACK_START = /Traceback \(most recent call last\):\s*$/;
const CHAIN_SEPARATOR = new RegExp('^(During handling of the above exception, another exception occurred' +
    '|The above exception was the direct cause of the following exception):\\s*$');
const FRAME = /^\s+File "(.+)", line (\d+)(?:, in (.+))?\s*$/;
const FRAME_NOTE = /^\s+(\[Previous line repeated \d+ more times?\]|\.\.\.)\s*$/;
/** How far back from a traceback its timestamp line may be. */
const TIMESTAMP_LOOKBACK = 5;
/** How many lines of a multi-line exception message may sit before a chain separator. */
const CHAIN_LOOKAHEAD = 50;
/** Longest exception line kept (a repr can be megabytes). */
const MAX_EXCEPTION_CHARS = 2000;
/**
 * Finds every Python traceback in a log text, oldest first. A chain of exceptions counts as
 * one traceback whose exception is the last raised; an ExceptionGroup counts as one whose
 * exception is its first sub-exception (see exception-group.ts). Copes with tracebacks
 * written after a logger line (logger.exception) and with loggers that prefix every line of
 * the record.
 */
function parseTracebacks(text) {
    const raw = text.split(/\r?\n/);
    const lines = raw.map((line) => line.replace(LOG_PREFIX, ''));
    const found = [];
    let index = 0;
    while (index < lines.length) {
        if (!isTracebackStart(lines[index] ?? '')) {
            index++;
            continue;
        }
        const previousEnd = found.at(-1)?.endLine ?? 0;
        const parsed = parseChain(raw, lines, index, previousEnd);
        found.push(parsed);
        index = Math.max(parsed.endLine, index + 1);
    }
    return found;
}
function parseChain(raw, lines, start, previousEnd) {
    const prefix = logPrefix(raw[start] ?? '');
    const chain = [];
    let position = start;
    for (;;) {
        const one = isGroupStart(lines[position] ?? '')
            ? readExceptionGroup(lines, position, GROUP_READERS)
            : { ...parseOne(lines, position), chain: [], group: null };
        const next = nextInChain(raw, lines, one.endLine, prefix);
        if (next === null) {
            return {
                startLine: start,
                endLine: one.endLine,
                timestampLine: findTimestampLine(raw, start, previousEnd),
                exception: one.exception,
                frames: one.frames,
                chain: [...chain, ...one.chain],
                group: one.group,
            };
        }
        chain.push(one.group?.exception ?? one.exception);
        position = next;
    }
}
/**
 * A line that opens a traceback, but not one inside a printed ExceptionGroup (after its
 * `|` bar): those belong to the group's box, read as a whole from its first line.
 */
function isTracebackStart(line) {
    return TRACEBACK_START.test(line) && !insideGroupBox(line);
}
/** Whether a line (or its start) lies inside an ExceptionGroup's box: a `|` bar first. */
function insideGroupBox(line) {
    return /^\s*\|/.test(line.replace(LOG_PREFIX, ''));
}
const GROUP_READERS = {
    readOne: parseOne,
    readMember: (lines) => {
        const start = lines.findIndex((line) => line.trim() !== '');
        if (start >= 0 && isTracebackStart(lines[start] ?? '')) {
            return parseChain(lines, lines, start, 0);
        }
        const exception = (lines[start] ?? '').trim().slice(0, MAX_EXCEPTION_CHARS);
        return { exception: exception || '(no exception line)', frames: [], chain: [] };
    },
};
/** One `Traceback …` block: its frames and the exception line that ends it. */
function parseOne(lines, start) {
    const frames = [];
    let index = start + 1;
    while (index < lines.length) {
        const line = lines[index] ?? '';
        const frame = FRAME.exec(line);
        if (frame) {
            index++;
            let code = null;
            // Source and caret lines sit deeper than the frame line; the first is the source.
            while (index < lines.length && /^\s{4,}\S/.test(lines[index] ?? '')) {
                if (FRAME.test(lines[index] ?? ''))
                    break;
                code ??= (lines[index] ?? '').trim();
                index++;
            }
            frames.push({
                file: frame[1],
                line: Number(frame[2]),
                function: frame[3] ?? null,
                code,
            });
        }
        else if (FRAME_NOTE.test(line)) {
            index++;
        }
        else {
            break;
        }
    }
    const candidate = lines[index] ?? '';
    if (candidate.trim() !== '' && !/^\s/.test(candidate) && !TRACEBACK_START.test(candidate)) {
        return {
            frames,
            exception: candidate.trim().slice(0, MAX_EXCEPTION_CHARS),
            endLine: index + 1,
        };
    }
    return { frames, exception: '(the traceback is cut short: no exception line)', endLine: index };
}
/**
 * Where the next traceback of a chain starts, when "During handling of the above exception"
 * (or "The above exception was the direct cause") follows; null when the chain ends.
 * A line of a new log record (a different logger prefix) ends the search.
 */
function nextInChain(raw, lines, from, prefix) {
    const limit = Math.min(lines.length, from + CHAIN_LOOKAHEAD);
    for (let index = from; index < limit; index++) {
        const line = lines[index] ?? '';
        if (TRACEBACK_START.test(line))
            return null;
        if (CHAIN_SEPARATOR.test(line.trim()))
            return followingTraceback(lines, index + 1);
        const ownPrefix = logPrefix(raw[index] ?? '');
        if (ownPrefix !== '' && ownPrefix !== prefix)
            return null;
    }
    return null;
}
function followingTraceback(lines, from) {
    for (let index = from; index < Math.min(lines.length, from + 3); index++) {
        const line = lines[index] ?? '';
        if (TRACEBACK_START.test(line))
            return index;
        if (line.trim() !== '')
            return null;
    }
    return null;
}
function logPrefix(line) {
    return LOG_PREFIX.exec(line)?.[0] ?? '';
}
/**
 * The line that says when the traceback was written: the logger line just before it (what
 * logger.exception writes), else the traceback's own line when it carries a timestamp.
 */
function findTimestampLine(raw, start, previousEnd) {
    const own = raw[start] ?? '';
    const inline = !/^\s*(?:\+ Exception Group )?Traceback/.test(own.replace(LOG_PREFIX, ''));
    if (inline && TIMESTAMP.test(own))
        return clip(own);
    const earliest = Math.max(previousEnd, start - TIMESTAMP_LOOKBACK);
    for (let index = start - 1; index >= earliest; index--) {
        const line = raw[index] ?? '';
        if (TIMESTAMP.test(line))
            return clip(line);
    }
    return TIMESTAMP.test(own) ? clip(own) : null;
}
function clip(line) {
    return line.trim().slice(0, MAX_EXCEPTION_CHARS);
}
/** Whether a chain separator sits just before `line` (the chain began earlier). */
function followsChainSeparator(text, line) {
    for (let index = line - 1; index >= Math.max(0, line - 3); index--) {
        if (CHAIN_SEPARATOR.test((text[index] ?? '').replace(LOG_PREFIX, '').trim()))
            return true;
    }
    return false;
}

;// CONCATENATED MODULE: ./lib/report/crash.js




/*
 * Logs can be many GB. Nothing here reads a file whole: the newest traceback is looked for in
 * a window at the end of the file that grows (1 MiB, 4 MiB, 16 MiB) until one is found whole,
 * and tracebacks are counted by streaming at most the last COUNT_LIMIT bytes.
 */
const FIRST_WINDOW = 1024 * 1024;
const MAX_WINDOW = 16 * 1024 * 1024;
const COUNT_LIMIT = 64 * 1024 * 1024;
const COUNT_CHUNK = 1024 * 1024;
/** Frames kept per crash: the innermost ones. */
const MAX_FRAMES = 50;
/** A traceback starting this close to the window's start may have begun before it. */
const WINDOW_MARGIN_LINES = 20;
const decoder = new TextDecoder('utf-8', { fatal: false });
/**
 * The newest Python traceback in LOG_DIR's crash.log, else in its rotated siblings
 * (crash.log.1, crash.log.2, … newest first). Null when none holds one or none exists.
 */
async function findNewestCrash(logDir, scrub) {
    for (const file of await crashLogs(logDir)) {
        const found = await newestTraceback(file, scrub);
        if (!found)
            continue;
        const count = await countTracebacks(file);
        return {
            file,
            timestampLine: found.timestampLine,
            exception: found.exception,
            frames: found.frames.slice(-MAX_FRAMES),
            frameCount: found.frames.length,
            chain: found.chain,
            group: found.group,
            otherTracebacks: Math.max(0, count.tracebacks - 1),
            otherTracebacksExact: count.exact,
        };
    }
    return null;
}
/** crash.log, then crash.log.N by increasing N (RotatingFileHandler: .1 is the newest). */
async function crashLogs(logDir) {
    let names;
    try {
        names = await (0,promises_.readdir)(logDir);
    }
    catch {
        return [];
    }
    const rotation = (name) => Number(/^crash\.log(?:\.(\d+))?$/.exec(name)?.[1] ?? 0);
    return names
        .filter((name) => /^crash\.log(\.\d+)?$/.test(name))
        .sort((a, b) => rotation(a) - rotation(b))
        .map((name) => external_node_path_.join(logDir, name));
}
/**
 * The newest traceback of `file`, read from text scrubbed before it is parsed: the exception
 * line is cut to a length afterwards, which must not cut a secret that could then be seen.
 * A link or a FIFO in crash.log's place is not read (see openRegularFile).
 */
async function newestTraceback(file, scrub) {
    const handle = await (0,open_regular/* openRegularFile */.Z)(file).catch(() => null);
    if (!handle)
        return null;
    try {
        const { size } = await handle.stat();
        let window = Math.min(size, FIRST_WINDOW);
        for (;;) {
            const start = size - window;
            const buffer = Buffer.alloc(window);
            const { bytesRead } = await handle.read(buffer, 0, window, start);
            let text = decoder.decode(buffer.subarray(0, bytesRead));
            // The window may begin inside a line (or a UTF-8 character): drop that partial line.
            if (start > 0)
                text = text.slice(text.indexOf('\n') + 1);
            text = scrub(text);
            const newest = parseTracebacks(text).at(-1) ?? null;
            const whole = start === 0 ||
                (newest !== null &&
                    newest.startLine >= WINDOW_MARGIN_LINES &&
                    !followsChainSeparator(text.split(/\r?\n/), newest.startLine));
            if (whole || window >= Math.min(size, MAX_WINDOW))
                return newest;
            window = Math.min(size, window * 4, MAX_WINDOW);
        }
    }
    finally {
        await handle.close();
    }
}
const MARKER = Buffer.from('Traceback (most recent call last):');
const CHAIN_MARKERS = [
    Buffer.from('During handling of the above exception, another exception occurred'),
    Buffer.from('The above exception was the direct cause of the following exception'),
];
/**
 * Counts tracebacks by their marker lines, streaming the last COUNT_LIMIT bytes in chunks;
 * chained exceptions count once (each chain separator joins two markers), and so does an
 * ExceptionGroup (the markers inside its box, after a `|` bar, are not counted).
 */
async function countTracebacks(file) {
    const handle = await (0,open_regular/* openRegularFile */.Z)(file);
    try {
        const { size } = await handle.stat();
        const from = Math.max(0, size - COUNT_LIMIT);
        let markers = 0;
        let separators = 0;
        // The start of the line the last chunk ended in, so a marker's line can be looked at;
        // its matches were counted with that chunk.
        let carry = Buffer.alloc(0);
        for (let position = from; position < size; position += COUNT_CHUNK) {
            const chunk = Buffer.alloc(Math.min(COUNT_CHUNK, size - position));
            const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
            const buffer = Buffer.concat([carry, chunk.subarray(0, bytesRead)]);
            markers += topLevelOccurrences(buffer, MARKER, carry.length);
            for (const marker of CHAIN_MARKERS) {
                separators += topLevelOccurrences(buffer, marker, carry.length);
            }
            const lineStart = buffer.lastIndexOf(0x0a) + 1;
            carry = buffer.subarray(Math.max(lineStart, buffer.length - CARRY_LIMIT));
        }
        return { tracebacks: Math.max(0, markers - separators), exact: from === 0 };
    }
    finally {
        await handle.close();
    }
}
/** Longest line start kept from one chunk to the next: more than any prefix of a marker. */
const CARRY_LIMIT = 1024;
/**
 * Occurrences of `needle` not inside an ExceptionGroup's box, leaving out the ones that lie
 * wholly in the first `seen` bytes (counted before).
 */
function topLevelOccurrences(haystack, needle, seen) {
    let count = 0;
    const first = Math.max(0, seen - needle.length + 1);
    for (let at = haystack.indexOf(needle, first); at !== -1; at = haystack.indexOf(needle, at + 1)) {
        const lineStart = haystack.lastIndexOf(0x0a, at - 1) + 1;
        const before = haystack.toString('latin1', Math.max(lineStart, at - CARRY_LIMIT), at);
        if (!insideGroupBox(before))
            count++;
    }
    return count;
}
/**
 * The innermost frame whose file lies inside the working directory, with its path made
 * relative to it; null when every frame is outside (library code, another checkout).
 */
function innermostFrameInside(crash, workingDirectory) {
    for (const frame of [...crash.frames].reverse()) {
        // `<frozen importlib._bootstrap>`, `<string>`: not files.
        if (frame.file.startsWith('<'))
            continue;
        const absolute = external_node_path_.resolve(workingDirectory, frame.file);
        const relative = external_node_path_.relative(workingDirectory, absolute);
        if (relative && !relative.startsWith('..') && !external_node_path_.isAbsolute(relative)) {
            return { file: relative, line: frame.line };
        }
    }
    return null;
}

;// CONCATENATED MODULE: ./lib/report/annotations.js


/**
 * GitHub shows at most 10 error annotations per step, and the step's own failure message is
 * one of them: at most 9 come from here, and when there are more, one warning counts the rest.
 */
const MAX_ERROR_ANNOTATIONS = 9;
/**
 * Error annotations for the newest crash (at its innermost frame inside the working
 * directory) and for each failing test (at its file and line when the report knows them).
 */
function emitAnnotations(triage, workingDirectory, reporter, options = {}) {
    const workspace = options.workspace ?? process.env.GITHUB_WORKSPACE ?? workingDirectory;
    const scrub = options.scrub ?? ((text) => text);
    const annotations = [
        ...crashAnnotation(triage, workingDirectory, workspace),
        ...testAnnotations(triage, workingDirectory, workspace),
    ];
    for (const annotation of annotations.slice(0, MAX_ERROR_ANNOTATIONS)) {
        reporter.error(scrub(annotation.message), scrubProperties(annotation.properties, scrub));
    }
    // The crash comes first, so what is left over is always failing tests.
    const rest = annotations.length - MAX_ERROR_ANNOTATIONS;
    if (rest > 0) {
        reporter.warning(`${rest} more failing test${rest === 1 ? '' : 's'} not annotated: see the job summary.`, { title: 'More failures' });
    }
}
function crashAnnotation(triage, workingDirectory, workspace) {
    const crash = triage.crash;
    if (!crash)
        return [];
    const frame = innermostFrameInside(crash, workingDirectory);
    const when = crash.timestampLine ? ` (${crash.timestampLine})` : '';
    const annotation = {
        message: `${crash.exception}${when}`,
        properties: { title: `Crash in ${external_node_path_.basename(crash.file)}` },
    };
    if (frame) {
        annotation.properties.file = repositoryPath(workingDirectory, workspace, frame.file);
        annotation.properties.startLine = frame.line;
    }
    return [annotation];
}
function testAnnotations(triage, workingDirectory, workspace) {
    return (triage.tests?.failures ?? []).map((failure) => {
        const name = failure.classname ? `${failure.classname}::${failure.name}` : failure.name;
        const properties = {
            title: `${failure.kind === 'error' ? 'Test error' : 'Test failed'}: ${name}`,
        };
        if (failure.file) {
            properties.file = repositoryPath(workingDirectory, workspace, failure.file);
            if (failure.line)
                properties.startLine = failure.line;
        }
        return { message: failure.message, properties };
    });
}
/** A path relative to the repository root, as annotations need; unchanged when outside it. */
function repositoryPath(workingDirectory, workspace, file) {
    const absolute = external_node_path_.resolve(workingDirectory, file);
    const relative = external_node_path_.relative(workspace, absolute);
    if (relative.startsWith('..') || external_node_path_.isAbsolute(relative))
        return file;
    return relative.split(external_node_path_.sep).join('/');
}
function scrubProperties(properties, scrub) {
    return { ...properties, ...(properties.title ? { title: scrub(properties.title) } : {}) };
}

;// CONCATENATED MODULE: ./lib/report/document.js
function renderMarkdown(blocks) {
    return blocks.map(markdownBlock).join('\n\n') + '\n';
}
function document_renderPlain(blocks) {
    return blocks.map(plainBlock).join('\n\n') + '\n';
}
function markdownBlock(block) {
    switch (block.kind) {
        case 'heading':
            return `### ${escapeMarkdown(block.text)}`;
        case 'paragraph':
            return block.spans.map(markdownSpan).join('');
        case 'list':
            return block.items.map((item) => `- ${item.map(markdownSpan).join('')}`).join('\n');
        case 'table':
            return [
                tableRow(block.header),
                `|${block.header.map(() => ' --- ').join('|')}|`,
                ...block.rows.map(tableRow),
            ].join('\n');
        case 'code': {
            const fence = '`'.repeat(Math.max(3, longestRun(block.lines.join('\n'), '`') + 1));
            return [fence, ...block.lines, fence].join('\n');
        }
    }
}
function markdownSpan(span) {
    if (typeof span === 'string')
        return escapeMarkdown(span);
    if ('code' in span)
        return inlineCode(span.code);
    if ('strong' in span)
        return `**${escapeMarkdown(span.strong)}**`;
    const href = span.href.replace(/[()\s<>]/g, (character) => escapeUrlCharacter(character));
    return `[${escapeMarkdown(span.link)}](${href})`;
}
/** `(`, `)` and spaces would end a markdown link target; encodeURIComponent keeps parentheses. */
function escapeUrlCharacter(character) {
    return `%${character.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
}
function tableRow(cells) {
    return `| ${cells.map((cell) => escapeMarkdown(oneLine(cell)) || ' ').join(' | ')} |`;
}
/** Backslash-escapes what markdown would act on; `<` and `&` become entities (no raw HTML). */
function escapeMarkdown(text) {
    return oneLine(text)
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/([\\`*_[\]|~])/g, '\\$1')
        .replace(/^([#+=!-])/, '\\$1');
}
/** A code span that survives backticks inside the text. */
function inlineCode(text) {
    const line = oneLine(text);
    if (line === '')
        return '` `';
    const ticks = '`'.repeat(longestRun(line, '`') + 1);
    const pad = line.startsWith('`') || line.endsWith('`') ? ' ' : '';
    return `${ticks}${pad}${line}${pad}${ticks}`;
}
function longestRun(text, character) {
    let longest = 0;
    let current = 0;
    for (const each of text) {
        current = each === character ? current + 1 : 0;
        longest = Math.max(longest, current);
    }
    return longest;
}
function oneLine(text) {
    return text.replace(/\s*[\r\n]+\s*/g, ' ');
}
function plainBlock(block) {
    switch (block.kind) {
        case 'heading':
            return `== ${block.text}`;
        case 'paragraph':
            return block.spans.map(plainSpan).join('');
        case 'list':
            return block.items.map((item) => `  - ${item.map(plainSpan).join('')}`).join('\n');
        case 'table':
            return plainTable(block.header, block.rows);
        case 'code':
            return block.lines.map((line) => `    ${line}`).join('\n');
    }
}
function plainSpan(span) {
    if (typeof span === 'string')
        return oneLine(span);
    if ('code' in span)
        return oneLine(span.code);
    if ('strong' in span)
        return oneLine(span.strong);
    return span.link === span.href ? span.href : `${oneLine(span.link)} (${span.href})`;
}
function plainTable(header, rows) {
    const all = [header, ...rows].map((row) => row.map(oneLine));
    const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
    const line = (row) => row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd();
    return [line(all[0] ?? []), ...all.slice(1).map(line)].map((text) => `  ${text}`).join('\n');
}

;// CONCATENATED MODULE: ./lib/report/shutdown.js



/** The runbook names the upper-case file in DATA_DIR; the bot writes the lower-case one. */
const NAMES = ['LAST_SHUTDOWN_INFO.json', 'last_shutdown_info.json'];
/** A shutdown record is a few hundred bytes; anything past this is not one. */
const MAX_FILE_BYTES = 256 * 1024;
const MAX_FIELDS = 30;
const MAX_VALUE_CHARS = 120;
/**
 * Reads the shutdown-info files at the top of LOG_DIR and DATA_DIR. The same file seen
 * twice (LOG_DIR = DATA_DIR, or a case-insensitive disk) is read once.
 */
async function readShutdownInfo(logDir, dataDir, scrub) {
    const places = [
        [dataDir, 'files/data'],
        [logDir, 'files/logs'],
    ];
    const seen = new Set();
    const found = [];
    for (const [directory, bundleDir] of places) {
        for (const name of NAMES) {
            const file = external_node_path_.join(directory, name);
            const identity = await fileIdentity(file);
            if (identity === null || seen.has(identity))
                continue;
            seen.add(identity);
            found.push(await readOne(file, `${bundleDir}/${name}`, scrub));
        }
    }
    return found;
}
async function fileIdentity(file) {
    try {
        // A link in a state file's place is left alone, as the bundle leaves it.
        const info = await (0,promises_.lstat)(file);
        return info.isFile() ? `${info.dev}:${info.ino}` : null;
    }
    catch {
        return null;
    }
}
async function readOne(file, label, scrub) {
    const info = { label, path: file, fields: [], problem: null };
    try {
        // A link is never followed, nor a FIFO waited on (see openRegularFile).
        const handle = await (0,open_regular/* openRegularFile */.Z)(file);
        let text;
        try {
            const buffer = Buffer.alloc(MAX_FILE_BYTES + 1);
            const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
            if (bytesRead > MAX_FILE_BYTES)
                throw new Error(`larger than ${MAX_FILE_BYTES} bytes`);
            text = buffer.subarray(0, bytesRead).toString('utf8');
        }
        finally {
            await handle.close();
        }
        const value = JSON.parse(text);
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
            throw new Error('not a JSON object');
        }
        info.fields = flatten(value, '', scrub).slice(0, MAX_FIELDS);
    }
    catch (error) {
        info.problem = `not readable: ${error instanceof Error ? error.message : String(error)}`;
    }
    return info;
}
/** The fields as name and value, each scrubbed whole before it is cut to a length. */
function flatten(object, prefix, scrub) {
    return Object.entries(object).flatMap(([key, value]) => {
        const name = prefix + key;
        if (typeof value === 'object' && value !== null && !Array.isArray(value) && !prefix) {
            return flatten(value, `${name}.`, scrub);
        }
        const textValue = typeof value === 'string' ? value : JSON.stringify(value);
        return [[shutdown_clip(scrub(name)), shutdown_clip(scrub(textValue))]];
    });
}
function shutdown_clip(value) {
    const oneLine = value.replace(/\s*\r?\n\s*/g, ' ');
    return oneLine.length > MAX_VALUE_CHARS ? `${oneLine.slice(0, MAX_VALUE_CHARS)}…` : oneLine;
}
/**
 * The files side by side: a row per field, a column per file.
 * Files that could not be read show their problem in a `(problem)` row.
 */
function shutdownTable(infos) {
    const names = [];
    for (const info of infos) {
        for (const [name] of info.fields)
            if (!names.includes(name))
                names.push(name);
    }
    const rows = names.map((name) => [
        name,
        ...infos.map((info) => info.fields.find(([field]) => field === name)?.[1] ?? ''),
    ]);
    if (infos.some((info) => info.problem)) {
        rows.push(['(problem)', ...infos.map((info) => info.problem ?? '')]);
    }
    return { header: ['Field', ...infos.map((info) => info.label)], rows };
}

// EXTERNAL MODULE: ./lib/report/units.js
var units = __webpack_require__(88861);
;// CONCATENATED MODULE: ./lib/report/summary-sections.js



/** Failing tests listed by name; the rest are counted. */
const MAX_LISTED_FAILURES = 20;
/** Innermost frames shown for a crash. */
const CRASH_FRAMES_SHOWN = 5;
/** Longest message shown for one failing test. */
const MAX_MESSAGE_CHARS = 300;
const COMMAND_LABELS = {
    smoke: 'smoke check',
    tests: 'tests',
};
/** The issue's seven parts, in order; a part with nothing to say is left out. */
function summary_sections_summaryBlocks(data) {
    return [
        ...verdictBlocks(data),
        ...commandBlocks(data.commands),
        ...testBlocks(data.triage.tests),
        ...crashBlocks(data.triage.crash),
        ...errorLogBlocks(data.triage.errorLog),
        ...shutdownBlocks(data.triage.shutdown),
        ...bundleBlocks(data.bundle, data.uploads),
        ...problemBlocks(data.triage.problems),
    ];
}
/** What failed, in one sentence: commands (with the test counts) and uploads. */
function verdictSentence(data) {
    const problems = data.commands.flatMap((record) => commandProblem(record, data.triage.tests));
    for (const upload of data.uploads ?? []) {
        if (!upload.ok)
            problems.push(`the upload to ${upload.destination} failed`);
    }
    if (problems.length > 0)
        return { failed: true, text: `${capitalise(problems.join('; '))}.` };
    const ran = data.commands.filter((record) => record.outcome === 'success');
    if (ran.length === 0)
        return { failed: false, text: 'No checks ran; diagnostics were collected.' };
    const names = ran.map((record) => COMMAND_LABELS[record.name]).join(' and ');
    return { failed: false, text: `${capitalise(names)} passed.` };
}
function verdictBlocks(data) {
    const verdict = verdictSentence(data);
    const mark = verdict.failed ? '❌ Failed:' : '✅ Passed:';
    return [{ kind: 'paragraph', spans: [{ strong: mark }, ` ${verdict.text}`] }];
}
function commandProblem(record, tests) {
    const label = COMMAND_LABELS[record.name];
    const exit = record.exit_code === null ? '' : `, exit ${record.exit_code}`;
    switch (record.outcome) {
        case 'failure':
            if (record.name === 'tests' && tests && tests.failed + tests.errors > 0) {
                const code = record.exit_code === null ? '' : ` (exit ${record.exit_code})`;
                return [`tests failed: ${failingCount(tests)}${code}`];
            }
            return [`the ${label} failed (${record.exit_code_meaning}${exit})`];
        case 'timed-out':
            return [`the ${label} timed out after ${(0,units/* formatDuration */.a)(record.duration_ms)}`];
        case 'cancelled':
            return [`the run was cancelled during the ${label}`];
        case 'no-tests':
            return [`the ${label} collected no tests`];
        default:
            return [];
    }
}
function failingCount(tests) {
    const total = tests.passed + tests.failed + tests.skipped + tests.errors;
    const errors = tests.errors > 0 ? `, ${plural(tests.errors, 'error')}` : '';
    return `${tests.failed} of ${total} failed${errors}`;
}
function commandBlocks(commands) {
    if (commands.length === 0)
        return [];
    const rows = commands.map((record) => [
        record.name,
        record.outcome,
        exitCell(record),
        record.outcome === 'skipped' ? '—' : (0,units/* formatDuration */.a)(record.duration_ms),
    ]);
    return [
        { kind: 'heading', text: 'Commands' },
        { kind: 'table', header: ['Command', 'Outcome', 'Exit code', 'Duration'], rows },
    ];
}
function exitCell(record) {
    if (record.outcome === 'skipped')
        return '—';
    const code = record.exit_code === null ? '—' : String(record.exit_code);
    return `${code} (${record.exit_code_meaning})`;
}
function testBlocks(tests) {
    if (!tests)
        return [];
    const blocks = [{ kind: 'heading', text: 'Tests' }];
    const counts = [
        `${tests.passed} passed`,
        `${tests.failed} failed`,
        `${tests.skipped} skipped`,
        plural(tests.errors, 'error'),
    ].join(', ');
    const reports = plural(tests.files.length, 'report');
    blocks.push({ kind: 'paragraph', spans: [{ strong: counts }, ` (from ${reports})`] });
    const failing = tests.failed + tests.errors;
    if (tests.failures.length > 0) {
        const items = tests.failures.slice(0, MAX_LISTED_FAILURES).map((failure) => {
            const where = failure.file ? `${failure.file}${failure.line ? `:${failure.line}` : ''}` : '';
            const name = failure.classname ? `${failure.classname}::${failure.name}` : failure.name;
            const kind = failure.kind === 'error' ? 'error' : 'failed';
            return [
                { strong: name },
                ` ${kind}`,
                ...(where ? [' at ', { code: where }] : []),
                ': ',
                { code: summary_sections_clip(failure.message, MAX_MESSAGE_CHARS) },
            ];
        });
        blocks.push({ kind: 'list', items });
    }
    if (failing > MAX_LISTED_FAILURES) {
        const more = failing - MAX_LISTED_FAILURES;
        blocks.push({ kind: 'paragraph', spans: [`…and ${more} more failing tests.`] });
    }
    for (const problem of tests.problems) {
        blocks.push({ kind: 'paragraph', spans: [`Report not read: ${problem}`] });
    }
    return blocks;
}
/** Sub-exceptions of a group named in the summary; the rest are counted. */
const GROUP_MEMBERS_SHOWN = 5;
/** `Raised in ExceptionGroup: … (2 sub-exceptions) with KeyError: …, PermissionError: …` */
function groupParagraph(group) {
    const spans = ['Raised in ', { code: group.exception }, ' with '];
    group.members.slice(0, GROUP_MEMBERS_SHOWN).forEach((member, index) => {
        if (index > 0)
            spans.push(', ');
        spans.push({ code: member });
    });
    const more = group.members.length - GROUP_MEMBERS_SHOWN;
    if (more > 0)
        spans.push(` and ${more} more`);
    return { kind: 'paragraph', spans };
}
function crashBlocks(crash) {
    if (!crash)
        return [];
    const source = external_node_path_.basename(crash.file);
    const blocks = [
        { kind: 'heading', text: 'Crash' },
        { kind: 'paragraph', spans: [`Newest traceback in ${source}: `, { code: crash.exception }] },
    ];
    if (crash.timestampLine) {
        blocks.push({ kind: 'paragraph', spans: ['Logged as ', { code: crash.timestampLine }] });
    }
    if (crash.group)
        blocks.push(groupParagraph(crash.group));
    if (crash.chain.length > 0) {
        const spans = ['Raised while handling '];
        crash.chain.forEach((exception, index) => {
            if (index > 0)
                spans.push(', then ');
            spans.push({ code: exception });
        });
        blocks.push({ kind: 'paragraph', spans });
    }
    const shown = crash.frames.slice(-CRASH_FRAMES_SHOWN);
    const lines = shown.flatMap((frame) => {
        const where = `  File "${frame.file}", line ${frame.line}`;
        const head = frame.function ? `${where}, in ${frame.function}` : where;
        return frame.code ? [head, `    ${frame.code}`] : [head];
    });
    blocks.push({ kind: 'code', lines: [...lines, crash.exception] });
    const notes = [];
    const hidden = crash.frameCount - shown.length;
    if (hidden > 0)
        notes.push(`${plural(hidden, 'outer frame')} not shown.`);
    if (crash.otherTracebacks > 0 || !crash.otherTracebacksExact) {
        const atLeast = crash.otherTracebacksExact ? '' : 'at least ';
        const others = plural(crash.otherTracebacks, 'other traceback');
        notes.push(`${source} holds ${atLeast}${others}.`);
    }
    if (notes.length > 0)
        blocks.push({ kind: 'paragraph', spans: [notes.join(' ')] });
    return blocks;
}
function errorLogBlocks(log) {
    if (!log || log.error + log.critical + log.warning === 0)
        return [];
    const counts = `${log.error} ERROR, ${log.critical} CRITICAL, ${log.warning} WARNING`;
    const blocks = [
        { kind: 'heading', text: 'Errors' },
        {
            kind: 'paragraph',
            spans: [{ strong: counts }, ` lines in the last ${log.lines} lines of error_log.txt.`],
        },
    ];
    if (log.lastErrors.length > 0)
        blocks.push({ kind: 'code', lines: log.lastErrors });
    return blocks;
}
function shutdownBlocks(infos) {
    if (infos.length === 0)
        return [];
    return [
        { kind: 'heading', text: 'Last shutdown' },
        { kind: 'table', ...shutdownTable(infos) },
    ];
}
function bundleBlocks(bundle, uploads) {
    if (!bundle && (uploads ?? []).length === 0)
        return [];
    const blocks = [{ kind: 'heading', text: 'Bundle' }];
    if (bundle) {
        const facts = [
            `${(0,units/* formatBytes */.z)(bundle.size)}, ${bundle.entries} entries`,
            `${plural(bundle.truncated, 'file')} truncated`,
            `${plural(bundle.leftOut, 'file')} left out`,
            `${bundle.redactions} values redacted`,
        ];
        blocks.push({ kind: 'paragraph', spans: [{ code: bundle.path }, `: ${facts.join(', ')}.`] });
    }
    if (uploads)
        blocks.push(...uploadBlocks(uploads));
    return blocks;
}
function uploadBlocks(uploads) {
    if (uploads.length === 0)
        return [{ kind: 'paragraph', spans: ['Not uploaded.'] }];
    const items = uploads.map((upload) => {
        const name = { strong: upload.destination };
        const notes = (upload.notes ?? []).map((note) => ` — ${note}`);
        if (!upload.ok)
            return [name, `: failed: ${upload.error ?? 'unknown error'}`, ...notes];
        const location = upload.location ?? '';
        if (/^https?:\/\//.test(location)) {
            return [name, ': ', { link: location, href: location }, ...notes];
        }
        return [name, ': ', location ? { code: location } : 'uploaded', ...notes];
    });
    return [{ kind: 'list', items }];
}
function problemBlocks(problems) {
    if (problems.length === 0)
        return [];
    return [
        { kind: 'heading', text: 'Not read' },
        { kind: 'list', items: problems.map((problem) => [problem]) },
    ];
}
function summary_sections_clip(text, limit) {
    return text.length > limit ? `${text.slice(0, limit)}…` : text;
}
function plural(count, noun) {
    return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
function capitalise(text) {
    return text.charAt(0).toUpperCase() + text.slice(1);
}

;// CONCATENATED MODULE: ./lib/report/incident-comment.js



/** Failing tests named in an issue comment; the job summary has the longer list. */
const MAX_TESTS_IN_COMMENT = 10;
/**
 * The comment for a failing run: the verdict, the crash line, the failing tests and the
 * links to the bundle. The body of a new issue is the same comment under an introduction.
 */
function renderFailureComment(data, run) {
    const verdict = verdictSentence(data);
    const blocks = [
        { kind: 'paragraph', spans: [{ strong: '❌ Failed:' }, ` ${verdict.text}`] },
        { kind: 'paragraph', spans: ['Run: ', { link: run.label, href: run.url }] },
    ];
    const crash = data.triage.crash;
    if (crash) {
        const spans = [`Crash (${external_node_path_.basename(crash.file)}): `, { code: crash.exception }];
        if (crash.timestampLine)
            spans.push(' at ', { code: crash.timestampLine });
        blocks.push({ kind: 'paragraph', spans });
    }
    const failures = data.triage.tests?.failures ?? [];
    if (failures.length > 0) {
        blocks.push({ kind: 'paragraph', spans: ['Failing tests:'] });
        const items = failures.slice(0, MAX_TESTS_IN_COMMENT).map((failure) => {
            const name = failure.classname ? `${failure.classname}::${failure.name}` : failure.name;
            return [{ code: name }, ': ', { code: failure.message.slice(0, 300) }];
        });
        blocks.push({ kind: 'list', items });
        const total = (data.triage.tests?.failed ?? 0) + (data.triage.tests?.errors ?? 0);
        if (total > MAX_TESTS_IN_COMMENT) {
            blocks.push({
                kind: 'paragraph',
                spans: [`…and ${total - MAX_TESTS_IN_COMMENT} more in the run's job summary.`],
            });
        }
    }
    const links = (data.uploads ?? []).filter((upload) => upload.ok && upload.location);
    if (links.length > 0) {
        blocks.push({ kind: 'paragraph', spans: ['Diagnostics bundle:'] });
        const items = links.map((upload) => {
            const location = upload.location;
            const target = /^https?:\/\//.test(location)
                ? { link: location, href: location }
                : { code: location };
            return [`${upload.destination}: `, target];
        });
        blocks.push({ kind: 'list', items });
    }
    return data.scrub(renderMarkdown(blocks));
}
/** The body of a newly opened incident issue. */
function renderIssueBody(data, run, workflow) {
    const intro = `The health check \`${workflow.replace(/`/g, "'")}\` is failing. ` +
        'k98-diagnostics-action opened this issue and comments on it for every failing run; ' +
        'it is closed when a run passes (with `close-issue-on-success`).';
    return `${intro}\n\n${renderFailureComment(data, run)}`;
}
/** The comment that closes the issue. */
function renderRecoveryComment(run) {
    return renderMarkdown([
        {
            kind: 'paragraph',
            spans: [{ strong: '✅ Passed' }, ' in ', { link: run.label, href: run.url }, '. Closing.'],
        },
    ]);
}

;// CONCATENATED MODULE: ./lib/report/incident.js



/**
 * The runbook's hand-off to the tracker: one open issue per workflow, titled
 * "Health check failing: <workflow>". A failing run comments on it (or opens it); a passing
 * run closes it. Problems are warnings, never a failure of the step: the diagnostics are
 * already collected by then.
 */
async function syncIncidentIssue(options) {
    const { settings, summary, env, reporter } = options;
    const outcomes = summary.commands.map((record) => record.outcome);
    const failed = outcomes.some((outcome) => isFailing(outcome, options.failOnNoTests));
    const passed = !failed && outcomes.includes('success');
    const wanted = (failed && settings.openOnFailure) || (passed && settings.closeOnSuccess);
    if (!wanted)
        return { action: 'none' };
    const repository = parseRepository(env.GITHUB_REPOSITORY);
    if (!settings.token || !repository) {
        const missing = settings.token ? 'GITHUB_REPOSITORY (not running in Actions?)' : 'a token';
        reporter.warning(`Incident issue skipped: no ${missing}; set the \`github-token\` input.`);
        return { action: 'none' };
    }
    reporter.setSecret(settings.token);
    const workflow = env.GITHUB_WORKFLOW || 'unnamed workflow';
    const title = `Health check failing: ${workflow}`;
    const run = runLink(env, repository);
    // Loaded only when the incident hook is on: a run without it does not pay the load time.
    const { getOctokit: makeClient } = await Promise.all(/* import() */[__webpack_require__.e(119), __webpack_require__.e(351)]).then(__webpack_require__.bind(__webpack_require__, 61351));
    const client = makeClient(settings.token, {
        baseUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/$/, ''),
    });
    try {
        const existing = await findIssue(client, repository, settings.labels, title);
        if (failed)
            return await reportFailure(client, repository, existing, options, title, run);
        if (!existing)
            return { action: 'none' };
        await client.rest.issues.createComment({
            ...repository,
            issue_number: existing.number,
            body: renderRecoveryComment(run),
        });
        await client.rest.issues.update({
            ...repository,
            issue_number: existing.number,
            state: 'closed',
            state_reason: 'completed',
        });
        reporter.info(`Closed incident issue #${existing.number}: ${existing.html_url}`);
        return { action: 'closed', issueNumber: existing.number, issueUrl: existing.html_url };
    }
    catch (error) {
        reporter.warning(incidentWarning(error));
        return { action: 'none' };
    }
}
async function reportFailure(client, repository, existing, options, title, run) {
    const { summary, reporter, settings } = options;
    if (existing) {
        await client.rest.issues.createComment({
            ...repository,
            issue_number: existing.number,
            body: renderFailureComment(summary, run),
        });
        reporter.info(`Commented on incident issue #${existing.number}: ${existing.html_url}`);
        return { action: 'commented', issueNumber: existing.number, issueUrl: existing.html_url };
    }
    const workflow = title.slice('Health check failing: '.length);
    const { data } = await client.rest.issues.create({
        ...repository,
        title,
        body: renderIssueBody(summary, run, workflow),
        labels: settings.labels,
    });
    reporter.info(`Opened incident issue #${data.number}: ${data.html_url}`);
    return { action: 'created', issueNumber: data.number, issueUrl: data.html_url };
}
/**
 * The open issue with this title among those carrying the labels. Listing (not the search
 * API, which indexes with a delay) sees an issue the run before just opened. The oldest wins
 * if a person opened a second one by hand.
 */
async function findIssue(client, repository, labels, title) {
    const matches = [];
    const pages = client.paginate.iterator(client.rest.issues.listForRepo, {
        ...repository,
        state: 'open',
        labels: labels.join(','),
        per_page: 100,
    });
    for await (const page of pages) {
        for (const issue of page.data) {
            if (!issue.pull_request && issue.title === title)
                matches.push(issue);
        }
    }
    matches.sort((a, b) => a.number - b.number);
    return matches[0] ?? null;
}
function parseRepository(value) {
    const match = /^([^/\s]+)\/([^/\s]+)$/.exec(value ?? '');
    return match ? { owner: match[1], repo: match[2] } : null;
}
function runLink(env, repository) {
    const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/$/, '');
    const runId = env.GITHUB_RUN_ID ?? '';
    const attempt = env.GITHUB_RUN_ATTEMPT ?? '1';
    const base = `${server}/${repository.owner}/${repository.repo}/actions/runs/${runId}`;
    const url = attempt === '1' ? base : `${base}/attempts/${attempt}`;
    const label = `run ${runId}${attempt === '1' ? '' : ` (attempt ${attempt})`}`;
    return { url, label };
}
function incidentWarning(error) {
    const status = error.status;
    if (status === 403 && !/rate limit/i.test((0,errors/* errorMessage */.g)(error))) {
        return ('Incident issue not updated: the token may not write issues (HTTP 403). Give the job ' +
            '`permissions: issues: write` (or pass a `github-token` that can).');
    }
    return `Incident issue not updated: ${(0,errors/* errorMessage */.g)(error)}`;
}

;// CONCATENATED MODULE: ./lib/report/outputs-triage.js
/**
 * The outputs `tests-passed`, `tests-failed`, `tests-skipped` and `crash-exception`. Counts
 * are empty when no test report was read (unknown is not zero). Errors (a test whose setup
 * or collection failed) count as failed: either way the test did not pass.
 */
function triageOutputs(triage, scrub = (text) => text) {
    const tests = triage.tests;
    return {
        'tests-passed': tests ? String(tests.passed) : '',
        'tests-failed': tests ? String(tests.failed + tests.errors) : '',
        'tests-skipped': tests ? String(tests.skipped) : '',
        'crash-exception': triage.crash ? scrub(triage.crash.exception) : '',
    };
}

;// CONCATENATED MODULE: ./lib/report/outputs.js
/** The action's outputs from one run: archive, outcomes, and what each destination set. */
function pipelineOutputs(result) {
    const outcome = (name) => result.commands.find((command) => command.name === name)?.outcome ?? 'skipped';
    const outputs = {
        'smoke-outcome': outcome('smoke'),
        'tests-outcome': outcome('tests'),
        uploaded: result.uploads
            .filter((upload) => upload.ok)
            .map((upload) => upload.destination)
            .join(','),
    };
    if (result.bundle) {
        outputs['archive-path'] = result.bundle.archivePath;
        outputs['archive-sha256'] = result.bundle.sha256;
        outputs['archive-size'] = String(result.bundle.size);
        outputs['bundle-entries'] = String(result.bundle.entryCount);
    }
    for (const upload of result.uploads)
        Object.assign(outputs, upload.outputs);
    return outputs;
}

;// CONCATENATED MODULE: ./lib/report/step-result.js


/**
 * Why the step fails, one reason a line (commands and uploads reported separately); empty
 * when it succeeds.
 */
function failureReasons(result, inputs) {
    const reasons = [];
    if (inputs.failOnCommandFailure) {
        for (const command of result.commands) {
            if (!isFailing(command.outcome, inputs.failOnNoTests))
                continue;
            const exit = command.exit_code === null
                ? ''
                : ` (exit ${command.exit_code}: ${command.exit_code_meaning})`;
            reasons.push(`${command.name} ${command.outcome}${exit}`);
        }
    }
    if (result.cancelled)
        reasons.push('the job was cancelled');
    if (!result.bundle)
        reasons.push(`no diagnostics archive: ${result.bundleError ?? 'unknown error'}`);
    if (uploadsFailed(result.uploads, inputs.upload.explicit)) {
        const failed = result.uploads
            .filter((upload) => !upload.ok)
            .map((upload) => upload.destination);
        reasons.push(`upload failed: ${failed.join(', ')} (the archive is kept at ${result.bundle?.archivePath})`);
    }
    return [...new Set(reasons)];
}

;// CONCATENATED MODULE: ./lib/report/summary.js


/**
 * The runner refuses a step summary over 1 MiB; stay well under it so the lead's own lines
 * (and the runner's bookkeeping) still fit.
 */
const SUMMARY_LIMIT_BYTES = 900 * 1024;
/** The job summary (and meta/summary.md) as GitHub markdown, scrubbed and size-bounded. */
function renderSummary(data, options = {}) {
    const markdown = data.scrub(renderMarkdown(scrubBlocks(summary_sections_summaryBlocks(data), data.scrub)));
    return truncateMarkdown(markdown, options.maxBytes ?? SUMMARY_LIMIT_BYTES);
}
/** The same summary as plain text, for the CLI's last lines. */
function renderPlainSummary(data) {
    return data.scrub(renderPlain(scrubBlocks(summaryBlocks(data), data.scrub)));
}
/**
 * Scrubs every piece of text before it is escaped: an escaped secret (`a\_b`) would no
 * longer match the scrubber's patterns. The rendered text is scrubbed once more afterwards.
 */
function scrubBlocks(blocks, scrub) {
    const span = (value) => {
        if (typeof value === 'string')
            return scrub(value);
        if ('code' in value)
            return { code: scrub(value.code) };
        if ('strong' in value)
            return { strong: scrub(value.strong) };
        return { link: scrub(value.link), href: scrub(value.href) };
    };
    return blocks.map((block) => {
        switch (block.kind) {
            case 'heading':
                return { kind: 'heading', text: scrub(block.text) };
            case 'paragraph':
                return { kind: 'paragraph', spans: block.spans.map(span) };
            case 'list':
                return { kind: 'list', items: block.items.map((item) => item.map(span)) };
            case 'table':
                return {
                    kind: 'table',
                    header: block.header.map(scrub),
                    rows: block.rows.map((row) => row.map(scrub)),
                };
            case 'code':
                return { kind: 'code', lines: block.lines.map(scrub) };
        }
    });
}
/**
 * Cuts the markdown at a line boundary so it fits in `maxBytes`, closes a code block left
 * open by the cut, and says that it was cut and where the rest is.
 */
function truncateMarkdown(markdown, maxBytes) {
    const size = Buffer.byteLength(markdown);
    if (size <= maxBytes)
        return markdown;
    const note = `\n\n_The summary was cut at ${maxBytes} bytes (it had ${size}); the full \
details are in the bundle._\n`;
    const budget = Math.max(0, maxBytes - Buffer.byteLength(note) - 16);
    // Decoding a cut that splits a character yields U+FFFD; the cut to a line end drops it.
    const head = Buffer.from(markdown).subarray(0, budget).toString('utf8');
    const lines = head.slice(0, Math.max(0, head.lastIndexOf('\n'))).split('\n');
    let openFence = null;
    for (const line of lines) {
        const fence = /^(`{3,})\s*$/.exec(line)?.[1];
        if (!fence)
            continue;
        if (openFence === null)
            openFence = fence;
        else if (fence === openFence)
            openFence = null;
    }
    const closing = openFence ? `\n${openFence}` : '';
    return `${lines.join('\n')}${closing}${note}`;
}

;// CONCATENATED MODULE: ./lib/run/junit-flag.js

/** Words after which `pytest` is the program being run, not an argument (`pip install pytest`). */
const LAUNCHERS = new Set(['-m', 'run', 'exec', 'time', 'env', 'nice', 'xvfb-run', 'coverage']);
/**
 * Asks pytest for a JUnit report: returns the command with `--junitxml=<file>` added right
 * after the word that starts pytest, so it reaches pytest even in `cd x && pytest -q | tee o`.
 * Returns null when the command is not pytest or already names its own report.
 */
function addJunitXml(command, reportFile) {
    if (!isPytestCommand(command))
        return null;
    if (/--junit-?xml\b/.test(command))
        return null;
    const insertAt = pytestWordEnd(command);
    if (insertAt === null)
        return null;
    const flag = ` --junitxml=${shellQuote(reportFile)}`;
    return command.slice(0, insertAt) + flag + command.slice(insertAt);
}
/** Where the first `pytest` that is run as a program ends; null when none is found. */
function pytestWordEnd(command) {
    const words = /(?:^|[\s;&|()])((?:[^\s;&|()]*\/)?(?:py\.test|pytest))(?=[\s;&|()]|$)/g;
    let fallback = null;
    for (const match of command.matchAll(words)) {
        const word = match[1];
        const end = (match.index ?? 0) + match[0].length;
        fallback ??= end;
        const before = command.slice(0, end - word.length);
        const segment = before.split(/&&|\|\||[;|&(\n]/).pop() ?? '';
        const previous = segment.trim().split(/\s+/).pop() ?? '';
        const startsSegment = segment.trim() === '' || /^\w+=\S*$/.test(previous);
        const launched = LAUNCHERS.has(previous);
        if (startsSegment || launched || word.includes('/'))
            return end;
    }
    return fallback;
}
/** Single-quotes a word for sh and bash: nothing inside single quotes is special but `'`. */
function shellQuote(word) {
    if (/^[\w@%+=:,./-]+$/.test(word))
        return word;
    return `'${word.replace(/'/g, `'\\''`)}'`;
}

;// CONCATENATED MODULE: ./lib/report/error-log.js
const LAST_ERRORS = 5;
/** Longest line kept: a logged payload can fill a screen. */
const MAX_LINE_CHARS = 500;
/** `2026-11-30 21:04:05,123 [ERROR] bot.queue: message` — the bot's log line. */
const LOG_LINE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3} \[([A-Z]+)\] \S+?: /;
/**
 * Counts ERROR, CRITICAL and WARNING records in error_log.txt's tail excerpt and keeps the
 * last few errors. Continuation lines (a traceback under a record) are not records and are
 * not counted. CRITICAL lines count as errors in `lastErrors`: they are the worse kind.
 */
function summarizeErrorLog(text) {
    const summary = { error: 0, critical: 0, warning: 0, lastErrors: [], lines: 0 };
    const lines = text.split(/\r?\n/);
    if (lines.at(-1) === '')
        lines.pop();
    summary.lines = lines.length;
    for (const line of lines) {
        const level = LOG_LINE.exec(line)?.[1];
        if (level === 'WARNING' || level === 'WARN')
            summary.warning++;
        if (level === 'ERROR')
            summary.error++;
        if (level === 'CRITICAL' || level === 'FATAL')
            summary.critical++;
        if (level === 'ERROR' || level === 'CRITICAL' || level === 'FATAL') {
            summary.lastErrors.push(error_log_clip(line));
            if (summary.lastErrors.length > LAST_ERRORS)
                summary.lastErrors.shift();
        }
    }
    return summary;
}
function error_log_clip(line) {
    return line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}…` : line;
}

;// CONCATENATED MODULE: ./lib/report/triage.js





/** Reads what a maintainer would read first. Each part that fails is left out and noted. */
async function buildTriage(input) {
    const problems = [];
    const attempt = async (what, read, fallback) => {
        try {
            return await read();
        }
        catch (error) {
            problems.push(`${what}: ${(0,errors/* errorMessage */.g)(error)}`);
            return fallback;
        }
    };
    const junitFiles = input.junitFiles.map((file) => external_node_path_.resolve(input.workingDirectory, file));
    const tests = junitFiles.length === 0
        ? null
        : await attempt('test reports', () => readTestReports(junitFiles, input.scrub), null);
    const crash = await attempt('crash.log', () => findNewestCrash(input.logDir, input.scrub), null);
    const errorLog = input.errorLogTailText === null ? null : summarizeErrorLog(input.scrub(input.errorLogTailText));
    const shutdown = await attempt('shutdown info', () => readShutdownInfo(input.logDir, input.dataDir, input.scrub), []);
    return { tests, crash, errorLog, shutdown, problems };
}
/** The XML parser is loaded only when a report exists: a run without tests skips its load. */
async function readTestReports(files, scrub) {
    const { readJunitReports } = await Promise.all(/* import() */[__webpack_require__.e(780), __webpack_require__.e(382), __webpack_require__.e(470)]).then(__webpack_require__.bind(__webpack_require__, 65470));
    const report = await readJunitReports(files);
    report.failures = report.failures.map((failure) => ({
        ...failure,
        name: scrub(failure.name),
        classname: scrub(failure.classname),
        file: failure.file === null ? null : scrub(failure.file),
        message: scrub(failure.message),
    }));
    return report;
}

;// CONCATENATED MODULE: ./lib/report/triage-run.js






/** The error_log.txt excerpt the collector stages (the bot's error log, at LOG_DIR's top). */
const ERROR_LOG_TAIL = 'meta/error_log.txt.tail.txt';
/** Read at most this much of the excerpt (tail-lines of long lines can be large). */
const MAX_TAIL_BYTES = 16 * 1024 * 1024;
/**
 * One run's triage, as the action and the CLI drive it: ask pytest for a JUnit report, read
 * what a maintainer would read first while the bundle is staged, add the test reports and
 * meta/summary.md to it, and keep the triage for the job summary, annotations and outputs.
 */
class TriageRun {
    inputs;
    ownReport;
    testCommand;
    scrub;
    /** Empty until the bundle is staged. */
    triage = { tests: null, crash: null, errorLog: null, shutdown: [], problems: [] };
    globProblem = null;
    constructor(inputs, 
    /** The report the action asked pytest for; null when `test-report` is set or not pytest. */
    ownReport, testCommand, scrub) {
        this.inputs = inputs;
        this.ownReport = ownReport;
        this.testCommand = testCommand;
        this.scrub = scrub;
    }
    /**
     * Decides where the test report comes from: the `test-report` glob when given, else a
     * report in the run's scratch directory that `--junitxml` asks pytest to write.
     */
    static plan(inputs, workDir, scrub) {
        const report = external_node_path_.join(workDir, 'junit.xml');
        const withReport = inputs.testReport ? null : addJunitXml(inputs.testCommand, report);
        return new TriageRun(inputs, withReport ? report : null, withReport ?? inputs.testCommand, scrub);
    }
    /** For PipelineHooks.additions: triage, then meta/tests/* and meta/summary.md. */
    additions = async (staging, commands) => {
        // A glob that cannot be read must not cost the bundle: the problem is noted instead.
        const junitFiles = await this.junitFiles().catch((error) => {
            this.globProblem = `test-report '${this.inputs.testReport}': ${(0,errors/* errorMessage */.g)(error)}`;
            return [];
        });
        this.triage = await buildTriage({
            logDir: this.inputs.logDir,
            dataDir: this.inputs.dataDir,
            workingDirectory: this.inputs.workingDirectory,
            junitFiles,
            errorLogTailText: await readBounded(external_node_path_.join(staging, ERROR_LOG_TAIL)),
            scrub: this.scrub,
        });
        if (this.globProblem)
            this.triage.problems.push(this.globProblem);
        const additions = [];
        const names = new Set();
        // Only reports that parsed are listed, and the reader refuses those over its size cap.
        for (const file of this.triage.tests?.files ?? []) {
            const content = await (0,promises_.readFile)(file).catch(() => null);
            if (content === null)
                continue;
            additions.push({ archivePath: `meta/tests/${uniqueName(file, names)}`, content });
        }
        const summary = this.summaryData(commands, null, null);
        additions.push({ archivePath: 'meta/summary.md', content: renderSummary(summary) });
        return additions;
    };
    /** What the job summary shows once the archive exists and the uploads are done. */
    summaryData(commands, result, uploads) {
        return {
            commands,
            triage: this.triage,
            bundle: result ? bundleFacts(result) : null,
            uploads,
            scrub: this.scrub,
        };
    }
    async junitFiles() {
        if (this.inputs.testReport) {
            // The glob and XML libraries load only for a run that names reports.
            const { resolveTestReports } = await Promise.all(/* import() */[__webpack_require__.e(780), __webpack_require__.e(382), __webpack_require__.e(470)]).then(__webpack_require__.bind(__webpack_require__, 65470));
            const files = await resolveTestReports(this.inputs.testReport, this.inputs.workingDirectory);
            if (files.length === 0) {
                this.globProblem = `test-report '${this.inputs.testReport}' matched no files`;
            }
            return files;
        }
        if (!this.ownReport)
            return [];
        // pytest writes no report when it could not start (a usage error, pytest missing).
        const written = await (0,promises_.access)(this.ownReport).then(() => true, () => false);
        return written ? [this.ownReport] : [];
    }
}
function bundleFacts(result) {
    const bundle = result.bundle;
    if (!bundle)
        return null;
    const entries = bundle.manifest.entries;
    return {
        size: bundle.size,
        entries: bundle.entryCount,
        truncated: entries.filter((entry) => entry.truncated).length,
        leftOut: entries.filter((entry) => entry.left_out).length,
        redactions: entries.reduce((sum, entry) => sum + entry.redactions, 0),
        path: bundle.archivePath,
    };
}
/** Two reports named `junit.xml` in different folders must not overwrite each other. */
function uniqueName(file, taken) {
    const base = external_node_path_.basename(file);
    let name = base;
    for (let index = 2; taken.has(name); index++)
        name = `${index}-${base}`;
    taken.add(name);
    return name;
}
/** The file's text, at most `limit` bytes of it; null when it cannot be read. */
async function readBounded(file) {
    const limit = MAX_TAIL_BYTES;
    try {
        const handle = await (0,promises_.open)(file, 'r');
        try {
            // Sized to the file: a buffer of the whole limit would cost every run 16 MiB of memory.
            const { size } = await handle.stat();
            const buffer = Buffer.alloc(Math.min(size, limit));
            const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
            return buffer.subarray(0, bytesRead).toString('utf8');
        }
        finally {
            await handle.close();
        }
    }
    catch {
        return null;
    }
}
/** Notes where the test report comes from, so a missing one is easy to explain. */
function describeTestReport(run, inputs, reporter) {
    if (inputs.testReport)
        reporter.info(`Test reports: ${inputs.testReport}`);
    else if (inputs.runCommands && run.testCommand !== inputs.testCommand) {
        reporter.info('Test reports: asking pytest for one with --junitxml');
    }
}

;// CONCATENATED MODULE: ./lib/run/cancellation.js
/**
 * Turns the runner's cancellation signals into an AbortSignal. When a job is cancelled the
 * runner sends SIGINT, then SIGTERM about 7.5 s later, then kills the tree: the first signal
 * aborts (its name is the reason, so it can be forwarded to the commands) and the process
 * keeps running long enough to write the bundle.
 */
function watchForCancellation(onSignal = () => undefined) {
    const controller = new AbortController();
    const handler = (signal) => {
        onSignal(signal);
        if (!controller.signal.aborted)
            controller.abort(signal);
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
    return {
        signal: controller.signal,
        dispose: () => {
            process.off('SIGINT', handler);
            process.off('SIGTERM', handler);
        },
    };
}

;// CONCATENATED MODULE: ./lib/state.js
/** Names of the state main saves for post (the runner passes them back as STATE_*). */
const STATE = {
    isPost: 'isPost',
    mainStarted: 'main-started',
    /** Saved before the archive is written: without archivePath after it, it is incomplete. */
    archiveReserved: 'archive-reserved',
    archivePath: 'archive-path',
    uploadsDone: 'uploads-done',
};

;// CONCATENATED MODULE: ./lib/main.js

















/** The main step: run the checks, collect, pack, upload, report. */
async function runMain() {
    const env = process.env;
    // An input the workflow did not set has no variable at all; one set to '' has an empty one.
    const inputs = readInputs((name) => (env[inputVariable(name)] === undefined ? undefined : core/* getInput */.V4(name)), env);
    startPythonProbe();
    const redactor = prepareSecrets(inputs, env, actionReporter);
    const scrub = (text) => redactor.scrubText(text);
    const reporter = scrubbingReporter(actionReporter, scrub);
    core/* saveState */.LZ(STATE.mainStarted, 'true');
    const cancellation = watchForCancellation((signal) => reporter.warning(`Received ${signal}: stopping the commands and collecting diagnostics`));
    const workDir = await makeWorkDir(env);
    const triageRun = TriageRun.plan(inputs, workDir, scrub);
    describeTestReport(triageRun, inputs, reporter);
    let result;
    try {
        result = await runPipeline({
            inputs: { ...inputs, testCommand: triageRun.testCommand },
            env,
            reporter,
            cancel: cancellation.signal,
            live: (chunk) => process.stdout.write(chunk),
            workDir,
            redactor,
            onArchiveReserved: (archivePath) => core/* saveState */.LZ(STATE.archiveReserved, archivePath),
            postStepUploads: true,
        }, {
            onArchive: (bundle) => core/* saveState */.LZ(STATE.archivePath, bundle.archivePath),
            additions: triageRun.additions,
        });
    }
    finally {
        cancellation.dispose();
        await removeWorkDir(workDir);
    }
    if (!result.cancelled)
        core/* saveState */.LZ(STATE.uploadsDone, 'true');
    const outputs = { ...pipelineOutputs(result), ...triageOutputs(triageRun.triage, scrub) };
    for (const [name, value] of Object.entries(outputs)) {
        core/* setOutput */.uH(name, value);
    }
    // Cancelled: the uploads are left to the post step, so the summary names none yet.
    const summary = triageRun.summaryData(result.commands, result, result.cancelled ? null : result.uploads);
    await writeJobSummary(renderSummary(summary), reporter);
    emitAnnotations(triageRun.triage, inputs.workingDirectory, reporter, { scrub });
    await syncIncidentIssue({
        settings: inputs.incident,
        summary,
        failOnNoTests: inputs.failOnNoTests,
        env,
        reporter,
    });
    const reasons = failureReasons(result, inputs);
    if (reasons.length > 0)
        core/* setFailed */.C1(reasons.join('; '));
}
/** A summary that cannot be written (no GITHUB_STEP_SUMMARY) is a warning, not a failure. */
async function writeJobSummary(markdown, reporter) {
    try {
        await core/* summary */.z.addRaw(markdown).write();
    }
    catch (error) {
        reporter.warning(`Could not write the job summary: ${(0,errors/* errorMessage */.g)(error)}`);
    }
}

;// CONCATENATED MODULE: ./lib/post.js











/**
 * The post step (`post-if: always()`): when the main step was cancelled or killed before it
 * finished its uploads, upload the archive it left, or collect one first if it left none.
 */
async function runPost() {
    if (core/* getState */.Gu(STATE.mainStarted) !== 'true') {
        core/* info */.pq('Post: the main step did not start (see its error above); nothing to do.');
        return;
    }
    if (core/* getState */.Gu(STATE.uploadsDone) === 'true') {
        core/* info */.pq('Post: the main step finished its uploads; nothing to do.');
        return;
    }
    setAsideIncompleteArchive();
    const env = process.env;
    const inputs = readInputs((name) => (env[inputVariable(name)] === undefined ? undefined : core/* getInput */.V4(name)), env);
    const redactor = prepareSecrets(inputs, env, actionReporter);
    const reporter = scrubbingReporter(actionReporter, (text) => redactor.scrubText(text));
    if (inputs.upload.destinations.length === 0) {
        core/* info */.pq(`Post: no upload destination; the archive stays at ${archiveLeft() || 'nowhere'}.`);
        return;
    }
    const archive = archiveLeft();
    const result = archive
        ? await uploadLeftArchive(archive, inputs, reporter)
        : await collectAndUpload(inputs, reporter, redactor);
    if (!result.bundle && !archive) {
        core/* setFailed */.C1(`Post: no diagnostics archive: ${result.bundleError ?? 'unknown error'}`);
    }
    else if (uploadsFailed(result.uploads, inputs.upload.explicit)) {
        const failed = result.uploads
            .filter((upload) => !upload.ok)
            .map((upload) => upload.destination);
        const kept = archive || result.bundle?.archivePath;
        core/* setFailed */.C1(`Post: upload failed: ${failed.join(', ')} (the archive is kept at ${kept})`);
    }
}
/**
 * The main step was killed (SIGKILL gives it no chance to clean up) while it wrote its
 * archive: the file under the archive's name is cut short. It is renamed `….partial`, so a
 * later step that uploads `*.tar.gz` does not take it for a bundle.
 */
function setAsideIncompleteArchive() {
    const reserved = core/* getState */.Gu(STATE.archiveReserved);
    if (!reserved || core/* getState */.Gu(STATE.archivePath) || !(0,external_node_fs_.existsSync)(reserved))
        return;
    const partial = `${reserved}.partial`;
    try {
        if ((0,external_node_fs_.existsSync)(partial))
            throw new Error(`${partial} exists`);
        (0,external_node_fs_.renameSync)(reserved, partial);
        core/* warning */.$e(`Post: the main step was stopped while writing ${reserved}; the incomplete file is ` +
            `now ${partial}`);
    }
    catch (error) {
        core/* warning */.$e(`Post: the main step was stopped while writing ${reserved}, which is incomplete ` +
            `(not renamed: ${(0,errors/* errorMessage */.g)(error)})`);
    }
}
function archiveLeft() {
    const archive = core/* getState */.Gu(STATE.archivePath);
    return archive && (0,external_node_fs_.existsSync)(archive) ? archive : '';
}
async function uploadLeftArchive(archivePath, inputs, reporter) {
    reporter.info(`Post: uploading the archive the main step left: ${archivePath}`);
    const uploads = await uploadExistingArchive(archivePath, inputs.upload, reporter, process.env);
    return { commands: [], bundle: null, bundleError: null, uploads, cancelled: false };
}
/** The main step was killed before it wrote an archive: collect one now, running nothing. */
async function collectAndUpload(inputs, reporter, redactor) {
    reporter.info('Post: the main step left no archive; collecting one now');
    const workDir = await makeWorkDir(process.env);
    try {
        return await runPipeline({
            inputs,
            env: process.env,
            reporter,
            cancel: new AbortController().signal,
            live: (chunk) => process.stdout.write(chunk),
            workDir,
            redactor,
        }, { commands: interruptedCommands(inputs) });
    }
    finally {
        await removeWorkDir(workDir);
    }
}
/** What is known of commands the main step was killed in the middle of. */
function interruptedCommands(inputs) {
    const commands = [
        ['smoke', inputs.smokeCommand],
        ['tests', inputs.testCommand],
    ];
    return commands.map(([name, command]) => {
        const record = skippedRecord(name, command, inputs.workingDirectory);
        if (inputs.runCommands && command) {
            record.outcome = 'cancelled';
            record.exit_code_meaning = 'the main step was stopped before it recorded this command';
        }
        return record;
    });
}

;// CONCATENATED MODULE: ./lib/action.js
// @actions/core is patched (patches/) to load http-client and undici only for getIDToken,
// which the action never calls: loading them cost every run some 30 ms and 8-9 MB.





/**
 * The action's one entry, for both `main` and `post`: the runner passes the state saved by
 * main to post as STATE_* variables, and `isPost` tells the two apart.
 */
async function runAction() {
    try {
        if (core/* getState */.Gu(STATE.isPost) === 'true') {
            await runPost();
        }
        else {
            core/* saveState */.LZ(STATE.isPost, 'true');
            await runMain();
        }
    }
    catch (error) {
        core/* setFailed */.C1((0,errors/* errorMessage */.g)(error));
    }
}


/***/ }),

/***/ 13859:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   q: () => (/* binding */ collectingGarbage)
/* harmony export */ });
/* harmony import */ var node_v8__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(78877);
/* harmony import */ var node_vm__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(30714);


/**
 * How often buffer memory is looked at while work runs (a cheap counter read). On a fast
 * machine a bundle makes some 20 MiB of buffers in 50 ms: checked that seldom, a 1 GiB bundle
 * peaked at 175 MB on Node 24 (on a machine where tar packs 1 GiB in 17 s).
 */
const CHECK_INTERVAL_MS = 20;
/**
 * V8's `gc` function, or undefined where it cannot be had. An action cannot pass `--expose-gc`
 * (the runner starts `node dist/index.js`), but a context created while the flag is set at run
 * time gets a global `gc`; the flag is switched back off at once.
 */
function loadGc() {
    try {
        node_v8__WEBPACK_IMPORTED_MODULE_0__.setFlagsFromString('--expose-gc');
        const gc = node_vm__WEBPACK_IMPORTED_MODULE_1__.runInNewContext('gc');
        return typeof gc === 'function' ? gc : undefined;
    }
    catch {
        return undefined;
    }
    finally {
        node_v8__WEBPACK_IMPORTED_MODULE_0__.setFlagsFromString('--no-expose-gc');
    }
}
/**
 * Runs `body` while forcing a full garbage collection whenever buffer memory has grown by
 * `growth` bytes over its lowest level since the last collection. Streams of large Buffers
 * leave spent ones that only a full collection frees, and V8 starts one late: after some
 * 64 MB of new buffer memory on Node 20, later still on Node 24, whose main thread held 78 MB
 * of buffers while packing a 100 MiB bundle (its peak 180-190 MiB instead of 130-143).
 * - The artifact upload (one block's growth, 4 MiB): @actions/artifact reads the file into a
 *   fresh buffer per block and keeps about five alive in its streams (a 256 MiB archive in
 *   4 MiB blocks peaked at 151-177 MiB on Node 24 instead of 131-135). Each collection of the
 *   small heap pauses the upload for 10-25 ms here.
 * - The bundle (16 MiB growth): the blocks read, scrubbed, compressed and read back. A 1 GiB
 *   bundle peaked at 126-132 MiB on Node 20 and 148-149 MiB on Node 24 (24 MiB growth
 *   checked every 50 ms: 143 and 167 MiB), for some 170 collections and 1.1-1.8 s of pauses.
 *   Past 136 MB resident it collects after 8 MiB (`nearLimit`): on a faster machine Node 24
 *   reached 146-153 MB; with that and a smaller scrubbing-thread heap, 140-144 MB.
 * Where `gc` cannot be had, `body` runs as it is.
 */
async function collectingGarbage(growth, debug, body, nearLimit) {
    const gc = loadGc();
    if (!gc) {
        debug('V8 gc is not available; no garbage collection is forced');
        return body();
    }
    // The lowest level, not the level right after a collection: buffers are freed by a
    // background sweeper, so the drop shows a little later.
    let floor = process.memoryUsage().arrayBuffers;
    let collections = 0;
    let tightCollections = 0;
    let pausedMs = 0;
    const timer = setInterval(() => {
        // One read gives both: memoryUsage() reads the resident set whatever is asked of it.
        const usage = process.memoryUsage();
        floor = Math.min(floor, usage.arrayBuffers);
        const grown = usage.arrayBuffers - floor;
        const tight = nearLimit !== undefined && grown >= nearLimit.growth && usage.rss >= nearLimit.rssBytes;
        if (grown < growth && !tight)
            return;
        // Blocking, so the dead blocks are gone before the next read: V8's asynchronous mode
        // (`execution: 'async'`) paused less but let another block pile up (peaks to 146 MiB).
        const started = performance.now();
        gc();
        pausedMs += performance.now() - started;
        collections++;
        if (tight && grown < growth)
            tightCollections++;
        floor = process.memoryUsage().arrayBuffers;
    }, CHECK_INTERVAL_MS);
    timer.unref();
    try {
        return await body();
    }
    finally {
        clearInterval(timer);
        const early = nearLimit ? ` (${tightCollections} early, near the memory limit)` : '';
        debug(`Forced ${collections} garbage collections${early}, ${Math.round(pausedMs)} ms in all`);
    }
}


/***/ }),

/***/ 88861:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   a: () => (/* binding */ formatDuration),
/* harmony export */   z: () => (/* binding */ formatBytes)
/* harmony export */ });
/** Sizes and durations the way a person reads them in a summary. */
function formatBytes(bytes) {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let value = bytes;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
        value /= 1024;
        unit++;
    }
    return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}
function formatDuration(milliseconds) {
    if (milliseconds < 1000)
        return `${Math.round(milliseconds)} ms`;
    const seconds = milliseconds / 1000;
    if (seconds < 60)
        return `${seconds.toFixed(1)} s`;
    const minutes = Math.floor(seconds / 60);
    if (minutes < 60)
        return `${minutes} min ${Math.floor(seconds % 60)} s`;
    return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}


/***/ }),

/***/ 13411:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Y: () => (/* binding */ ACTION_VERSION),
/* harmony export */   _: () => (/* binding */ USER_AGENT)
/* harmony export */ });
/** The action's version, kept in step with package.json by a test. */
const ACTION_VERSION = '0.1.0';
const USER_AGENT = `k98-diagnostics-action/${ACTION_VERSION}`;


/***/ })

};
