/**
 * Uploads one file with the HTTP uploader in a process of its own, so that a test can measure
 * that process's peak memory. Usage (token from ARTIFACT_UPLOAD_TOKEN):
 *   node --import tsx __tests__/helpers/upload-file.ts FILE URL
 * Prints the UploadResult as JSON on its last line; exits 1 when the upload failed.
 */
import { statSync } from 'node:fs';
import path from 'node:path';

import { INPUT_DEFAULTS, type InputName } from '../../src/inputs/definitions.js';
import { readUploadSettings } from '../../src/inputs/upload.js';
import { consoleReporter } from '../../src/report/console-reporter.js';
import { httpUploader } from '../../src/upload/http.js';

const [file, url] = process.argv.slice(2);
if (!file || !url) throw new Error('usage: upload-file.ts FILE URL');

const inputs: Partial<Record<InputName, string>> = { upload: 'http', 'http-url': url };
const settings = readUploadSettings((name) => inputs[name] ?? INPUT_DEFAULTS[name], process.env);
const result = await httpUploader.upload({
  archivePath: file,
  archiveName: path.basename(file),
  sha256: '',
  size: statSync(file).size,
  settings,
  reporter: consoleReporter(),
  env: process.env,
});
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exitCode = result.ok ? 0 : 1;
