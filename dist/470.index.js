export const id = 470;
export const ids = [470];
export const modules = {

/***/ 65470:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   readJunitReports: () => (/* binding */ readJunitReports),
/* harmony export */   resolveTestReports: () => (/* binding */ resolveTestReports)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(51455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var fast_xml_parser__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(41143);
/* harmony import */ var fast_xml_parser__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(75824);
/* harmony import */ var tinyglobby__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(73382);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(452);





/** A report larger than this is not parsed (pytest writes a few KB per hundred tests). */
const MAX_REPORT_BYTES = 32 * 1024 * 1024;
/** Failures kept per run; the summary shows 20 and annotations fewer. */
const MAX_FAILURES_KEPT = 200;
const parser = new fast_xml_parser__WEBPACK_IMPORTED_MODULE_3__/* ["default"] */ .A({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    textNodeName: '#text',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    processEntities: true,
    // pytest writes newlines in attributes as `&#10;`: numeric references need this switch.
    htmlEntities: true,
    isArray: (name) => ['testsuites', 'testsuite', 'testcase'].includes(name),
});
/** The JUnit files a `test-report` glob names, relative to the working directory. */
async function resolveTestReports(pattern, cwd) {
    const files = await (0,tinyglobby__WEBPACK_IMPORTED_MODULE_4__.glob)(pattern, { cwd, absolute: true, onlyFiles: true });
    return files.sort();
}
/**
 * Reads and adds up JUnit XML reports. A file that cannot be read or parsed becomes a line
 * in `problems`; the others still count.
 */
async function readJunitReports(files) {
    const report = {
        passed: 0,
        failed: 0,
        skipped: 0,
        errors: 0,
        failures: [],
        files: [],
        problems: [],
    };
    for (const file of files) {
        try {
            const xml = await readBounded(file);
            // The parser is lenient (an unclosed element still parses): a report cut short by a
            // killed run must be reported as such, not half-counted.
            const valid = fast_xml_parser__WEBPACK_IMPORTED_MODULE_5__/* .XMLValidator */ .iI.validate(xml);
            if (valid !== true)
                throw new Error(`${valid.err.msg} (line ${valid.err.line})`);
            const document = parser.parse(xml);
            const cases = collectTestCases(document);
            if (cases === null)
                throw new Error('no <testsuite> or <testsuites> element');
            const pytest = isPytestReport(document);
            for (const testCase of cases)
                addTestCase(report, testCase, pytest);
            report.files.push(file);
        }
        catch (error) {
            report.problems.push(`${node_path__WEBPACK_IMPORTED_MODULE_1__.basename(file)}: not a readable JUnit report (${(0,_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .g)(error)})`);
        }
    }
    return report;
}
async function readBounded(file) {
    const handle = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.open)(file, 'r');
    try {
        const { size } = await handle.stat();
        if (size > MAX_REPORT_BYTES) {
            throw new Error(`${size} bytes, over the ${MAX_REPORT_BYTES}-byte limit for reports`);
        }
        return await handle.readFile('utf8');
    }
    finally {
        await handle.close();
    }
}
/** Every <testcase> in the document, however deeply suites nest; null when not JUnit. */
function collectTestCases(document) {
    const roots = [...nodes(document.testsuites), ...nodes(document.testsuite)];
    if (roots.length === 0)
        return null;
    const cases = [];
    const walk = (suite) => {
        cases.push(...nodes(suite.testcase));
        for (const child of [...nodes(suite.testsuite), ...nodes(suite.testsuites)])
            walk(child);
    };
    roots.forEach(walk);
    return cases;
}
function nodes(value) {
    if (value === undefined || value === null)
        return [];
    const list = Array.isArray(value) ? value : [value];
    // A self-closing element parses as '' rather than an object.
    return list.map((item) => (typeof item === 'object' && item !== null ? item : {}));
}
/** pytest names its suite "pytest"; its xunit1 `line` attribute counts from 0. */
function isPytestReport(document) {
    const suites = [...nodes(document.testsuites).flatMap((s) => nodes(s.testsuite))];
    suites.push(...nodes(document.testsuite));
    return suites.some((suite) => suite.name === 'pytest');
}
function addTestCase(report, testCase, pytest) {
    const error = firstChild(testCase.error);
    const failure = firstChild(testCase.failure);
    const problem = error ?? failure;
    if (!problem) {
        if (testCase.skipped !== undefined)
            report.skipped++;
        else
            report.passed++;
        return;
    }
    if (error)
        report.errors++;
    else
        report.failed++;
    if (report.failures.length >= MAX_FAILURES_KEPT)
        return;
    const name = text(testCase.name);
    const classname = text(testCase.classname);
    const body = text(problem['#text']);
    const location = failureLocation(testCase, body, pytest);
    report.failures.push({
        name,
        classname,
        file: location.file,
        line: location.line,
        message: failureMessage(text(problem.message), body),
        kind: error ? 'error' : 'failure',
    });
}
/** The element's first occurrence as an object (a bare `<failure/>` parses as ''). */
function firstChild(value) {
    if (value === undefined)
        return undefined;
    return nodes(value)[0];
}
function text(value) {
    return typeof value === 'string' ? value : value === undefined ? '' : String(value);
}
function firstLine(value) {
    return value.trim().split(/\r?\n/)[0]?.trim() ?? '';
}
/**
 * The message's first line; pytest's collection errors say only "collection failure", so the
 * exception from the body is added to them.
 */
function failureMessage(attribute, body) {
    const message = firstLine(attribute);
    const exception = lastExceptionLine(body);
    if (message === 'collection failure' && exception)
        return `${message}: ${exception}`;
    return message || exception || 'no message';
}
/** The exception line at the end of a Python traceback in the body (`E   KeyError: …`). */
function lastExceptionLine(body) {
    const lines = body.split(/\r?\n/).map((line) => line.replace(/^E\s+/, '').trim());
    return lines.filter((line) => /^[\w.]+(Error|Exception|Exit|Interrupt)\b/.test(line)).pop() ?? '';
}
/**
 * Where the test failed. pytest's default report (xunit2) has no file or line attributes,
 * but the failure text ends its frames with `path.py:LINE:`; the first such frame in the
 * test's own file is the line inside the test. The `file`/`line` attributes are the fallback.
 */
function failureLocation(testCase, body, pytest) {
    const attributeFile = text(testCase.file) || null;
    const testFile = attributeFile ?? moduleFile(text(testCase.classname), text(testCase.name));
    const frames = [...body.matchAll(FRAME_LOCATION)].map((match) => ({
        file: match[1],
        line: Number(match[2]),
        function: match[3] ?? null,
    }));
    // In a Python traceback the test's own frame names it; pytest's `path:line:` frames do not,
    // and start at the test.
    const testName = text(testCase.name).replace(/\[.*$/, '');
    const inTestFile = frames.filter((frame) => testFile && sameFile(frame.file, testFile));
    const own = inTestFile.find((frame) => frame.function === testName) ?? inTestFile[0];
    if (own && testFile)
        return { file: testFile, line: own.line };
    const attributeLine = Number.parseInt(text(testCase.line), 10);
    if (attributeFile && Number.isFinite(attributeLine)) {
        return { file: attributeFile, line: pytest ? attributeLine + 1 : attributeLine };
    }
    if (testFile)
        return { file: testFile, line: null };
    const last = frames.at(-1);
    return last ? { file: last.file, line: last.line } : { file: null, line: null };
}
/** `path.py:12:` (pytest) or `File "path.py", line 12, in name` (a Python traceback). */
const FRAME_LOCATION = /^\s*(?:File ")?([^\s":]+\.py)"?(?::|, line )(\d+)(?:, in (\S+)|:)?/gm;
/** `tests.test_queue` (or a collection error's name) → `tests/test_queue.py`. */
function moduleFile(classname, name) {
    const dotted = classname || name;
    if (!dotted)
        return null;
    const parts = dotted.split('.');
    // Drop class names (capitalised) at the end: tests.test_queue.TestPop → tests/test_queue.
    while (parts.length > 1 && /^[A-Z]/.test(parts.at(-1) ?? ''))
        parts.pop();
    return `${parts.join('/')}.py`;
}
function sameFile(a, b) {
    return a === b || a.endsWith(`/${b}`) || b.endsWith(`/${a}`);
}


/***/ })

};
