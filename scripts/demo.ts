/**
 * `npm run demo`: runs the built action (dist/index.js) the way the runner does, on a copy of
 * the sample bot in examples/k98-bot, then prints where the archive is and what it holds.
 * `npm run demo -- --fail` makes the smoke check import the real bot's missing dependencies,
 * as CI without them sees it. Exits 0 when the pipeline worked, whatever the checks gave.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const workspace = path.join(root, '.tmp', 'demo');
const bot = path.join(workspace, 'k98-bot');
const runnerFiles = path.join(workspace, 'runner');

rmSync(workspace, { recursive: true, force: true });
mkdirSync(runnerFiles, { recursive: true });
cpSync(path.join(root, 'examples', 'k98-bot'), bot, { recursive: true });
const outputFile = path.join(runnerFiles, 'output');
const summaryFile = path.join(runnerFiles, 'summary.md');
for (const file of [outputFile, summaryFile, path.join(runnerFiles, 'state')]) {
  writeFileSync(file, '');
}

const inputs: Record<string, string> = {
  'working-directory': bot,
  'smoke-command': 'python3 scripts/smoke_imports.py',
  'test-command': 'python3 -m unittest discover -s tests -v',
  'include-logs': 'true',
  upload: 'none',
  output: `${path.join(workspace, 'out')}/`,
  'fail-on-command-failure': 'false',
};
const env: NodeJS.ProcessEnv = {
  ...process.env,
  GITHUB_OUTPUT: outputFile,
  GITHUB_STEP_SUMMARY: summaryFile,
  GITHUB_STATE: path.join(runnerFiles, 'state'),
  RUNNER_TEMP: runnerFiles,
  // A planted credential: the bundle's env.txt and logs must show it only as [REDACTED].
  DISCORD_TOKEN: 'MTA5ODc2NTQzMjEwOTg3NjU0.GdemoX.demo-token-that-must-never-appear-0123',
  K98_REAL_DEPS: process.argv.includes('--fail') ? '1' : '0',
};
for (const [name, value] of Object.entries(inputs)) {
  env[`INPUT_${name.toUpperCase()}`] = value;
}

console.log(`Running the action on the sample bot in ${bot}\n`);
const run = spawnSync(process.execPath, [path.join(root, 'dist', 'index.js')], {
  cwd: bot,
  env,
  stdio: ['ignore', 'pipe', 'inherit'],
  maxBuffer: 64 * 1024 * 1024,
});
// The runner swallows `::add-mask::` lines (they register secrets); so does the demo.
const stepLog = run.stdout.toString().replace(/^::add-mask::.*\n/gm, '');
process.stdout.write(stepLog);

const outputs = Object.fromEntries(
  [...readFileSync(outputFile, 'utf8').matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)].map(
    (match) => [match[1], match[3]],
  ),
);
const archive = outputs['archive-path'];
if (!archive) {
  console.error(`\nThe action made no archive (exit ${run.status}).`);
  process.exit(1);
}

console.log('\n== Outputs');
for (const [name, value] of Object.entries(outputs)) console.log(`${name}: ${value}`);
console.log('\n== Bundle listing (tar -tzvf)');
console.log(execFileSync('tar', ['-tzvf', archive], { encoding: 'utf8' }));
console.log(`Job summary: ${summaryFile}`);
console.log(`Archive: ${path.resolve(archive)}`);
