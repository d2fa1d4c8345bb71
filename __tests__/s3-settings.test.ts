import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

import { INPUT_DEFAULTS, type InputName } from '../src/inputs/definitions.js';
import { readUploadSettings } from '../src/inputs/upload.js';
import { checksumMode, configuredRegion } from '../src/upload/s3-client.js';
import { describeS3Error, type S3ErrorContext } from '../src/upload/s3-errors.js';
import { objectUrl, serviceOrigin } from '../src/upload/s3-location.js';
import type { S3Settings } from '../src/upload/types.js';
import { REPO_ROOT } from './helpers/action.js';

function s3Settings(inputs: Partial<Record<InputName, string>>, env = {}): S3Settings {
  const all: Partial<Record<InputName, string>> = { 's3-bucket': 'diag', ...inputs };
  return readUploadSettings((name) => all[name] ?? INPUT_DEFAULTS[name], env).s3;
}

const context: S3ErrorContext = {
  bucket: 'diag',
  key: 'k98/a.tar.gz',
  region: 'eu-west-1',
  endpoint: 'https://s3.eu-west-1.amazonaws.com',
  maxAttempts: 4,
  stallSeconds: 300,
};

/** An error shaped as the SDK throws it: a name, and the HTTP status in $metadata. */
function sdkError(name: string, status?: number, extra: Record<string, unknown> = {}) {
  return Object.assign(new Error(''), { name, $metadata: { httpStatusCode: status }, ...extra });
}

describe('S3 client settings', () => {
  test('region: input, AWS_REGION, AWS_DEFAULT_REGION, then us-east-1 for endpoints', () => {
    const env = { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-north-1' };
    assert.equal(configuredRegion(s3Settings({ 's3-region': 'ap-south-1' }), env), 'ap-south-1');
    assert.equal(configuredRegion(s3Settings({}), env), 'eu-west-1');
    assert.equal(
      configuredRegion(s3Settings({}), { AWS_DEFAULT_REGION: 'eu-north-1' }),
      'eu-north-1',
    );
    const endpoint = s3Settings({ 's3-endpoint': 'http://127.0.0.1:9000' });
    assert.equal(configuredRegion(endpoint, {}), 'us-east-1');
    // On AWS without any region the SDK looks in the shared config profile itself.
    assert.equal(configuredRegion(s3Settings({}), {}), undefined);
  });

  test('bucket: a name or an ARN; an s3:// URL, a web URL or a path says where each part goes', () => {
    assert.equal(s3Settings({ 's3-bucket': 'Legacy_Bucket.2019' }).bucket, 'Legacy_Bucket.2019');
    const arn = 'arn:aws:s3:eu-west-1:123456789012:accesspoint/diag';
    assert.equal(s3Settings({ 's3-bucket': arn }).bucket, arn);
    const fromEnv = s3Settings({ 's3-bucket': '' }, { DIAGNOSTICS_S3_BUCKET: ' diag ' });
    assert.equal(fromEnv.bucket, 'diag');

    assert.throws(
      () => s3Settings({ 's3-bucket': 's3://diag-bucket/k98/incidents/' }),
      /Input 's3-bucket' .*set s3-bucket .* to diag-bucket and s3-prefix .* to k98\/incidents\//,
    );
    assert.throws(() => s3Settings({ 's3-bucket': 'S3://diag' }), /to diag$/);
    assert.throws(
      () => s3Settings({ 's3-bucket': 'https://diag.s3.amazonaws.com' }),
      /Input 's3-bucket' .*a server's URL goes in s3-endpoint/,
    );
    assert.throws(
      () => s3Settings({ 's3-bucket': '' }, { DIAGNOSTICS_S3_BUCKET: 'diag/k98' }),
      /Input 's3-bucket' has an invalid value 'diag\/k98': .*a key path goes in s3-prefix/,
    );
    assert.throws(() => s3Settings({ 's3-bucket': 'my bucket' }), /no slashes or spaces/);
  });

  test('endpoint: empty or an http(s) URL, refused up front without its password', () => {
    assert.equal(s3Settings({}).endpoint, '');
    const local = s3Settings({ 's3-endpoint': 'http://127.0.0.1:9000' });
    assert.equal(local.endpoint, 'http://127.0.0.1:9000');
    const fromEnv = s3Settings({}, { AWS_ENDPOINT_URL: 'https://r2.example' });
    assert.equal(fromEnv.endpoint, 'https://r2.example');

    const refused = /Input 's3-endpoint' .*an http:\/\/ or https:\/\/ URL such as/;
    assert.throws(() => s3Settings({ 's3-endpoint': 'ftp://x' }), refused);
    assert.throws(() => s3Settings({ 's3-endpoint': '127.0.0.1:9000' }), refused);
    assert.throws(() => s3Settings({ 's3-endpoint': 'minio' }), refused);
    assert.throws(() => s3Settings({}, { AWS_ENDPOINT_URL_S3: 'ftp://x' }), refused);
    // Checked even when nothing goes to S3: the setting is wrong either way.
    assert.throws(() => s3Settings({ upload: 'none', 's3-endpoint': 'ftp://x' }), refused);

    for (const [value, shown] of [
      ['ftp://key:s3cr3t@host:9000', 'ftp://***@host:9000'],
      ['key:s3cr3t@host:9000', '***@host:9000'],
      ['ftp://key:s3/cr@3t@host', 'ftp://***@host'],
    ]) {
      assert.throws(
        () => s3Settings({ 's3-endpoint': value }),
        (error: Error) => {
          assert.ok(error.message.includes(`invalid value '${shown}'`), error.message);
          assert.ok(!/key:|cr3t/.test(error.message), error.message);
          return true;
        },
      );
    }
  });

  test('checksums: SDK defaults on AWS, only when required with a custom endpoint', () => {
    assert.equal(checksumMode(s3Settings({})), undefined);
    assert.equal(
      checksumMode(s3Settings({ 's3-endpoint': 'https://r2.example' })),
      'WHEN_REQUIRED',
    );
    const forced = { 's3-endpoint': 'https://r2.example', 's3-checksum': 'when-supported' };
    assert.equal(checksumMode(s3Settings(forced)), 'WHEN_SUPPORTED');
    assert.equal(checksumMode(s3Settings({ 's3-checksum': 'when-required' })), 'WHEN_REQUIRED');
  });

  test('the object URL: virtual-hosted on AWS, path-style on an IP endpoint', () => {
    const aws = s3Settings({});
    const location = { bucket: 'diag', key: 'k98/run 1/a.tar.gz', region: 'eu-west-1' };
    assert.equal(
      objectUrl(location, aws),
      'https://diag.s3.eu-west-1.amazonaws.com/k98/run%201/a.tar.gz',
    );
    assert.equal(
      objectUrl({ ...location, region: 'cn-north-1' }, aws),
      'https://diag.s3.cn-north-1.amazonaws.com.cn/k98/run%201/a.tar.gz',
    );
    const local = s3Settings({ 's3-endpoint': 'http://127.0.0.1:9000/' });
    assert.equal(objectUrl(location, local), 'http://127.0.0.1:9000/diag/k98/run%201/a.tar.gz');
    const r2 = s3Settings({ 's3-endpoint': 'https://acct.r2.example' });
    assert.equal(objectUrl(location, r2), 'https://diag.acct.r2.example/k98/run%201/a.tar.gz');
    // Messages name the endpoint without a password written into it.
    const withPassword = s3Settings({ 's3-endpoint': 'https://key:Pa55-w0rd@minio.example/' });
    assert.equal(serviceOrigin(location, withPassword), 'https://minio.example');
  });
});

describe('S3 error messages', () => {
  test('a bodiless 403 (no name, no message) still reads as refused credentials', () => {
    const message = describeS3Error(sdkError('Unknown', 403), context);
    assert.match(message, /the S3 credentials were refused for s3:\/\/diag\/k98\/a.tar.gz/);
    assert.match(message, /aws-actions\/configure-aws-credentials/);
  });

  test('an expired session token says so', () => {
    const message = describeS3Error(sdkError('ExpiredToken', 400), context);
    assert.match(message, /the AWS session token has expired/);
  });

  test('no credentials and no region point at what to set', () => {
    const noCredentials = describeS3Error(sdkError('CredentialsProviderError'), context);
    assert.match(noCredentials, /no AWS credentials were found.*AWS_ACCESS_KEY_ID/);
    const noRegion = describeS3Error(new Error('Region is missing'), { ...context, region: '' });
    assert.match(noRegion, /no AWS region is set.*s3-region/);
  });

  test('a region error without the bucket region still names the input', () => {
    const message = describeS3Error(sdkError('PermanentRedirect', 301), context);
    assert.match(message, /'diag' is not in region eu-west-1 .*set s3-region/);
    const malformed = describeS3Error(sdkError('AuthorizationHeaderMalformed', 400), context);
    assert.match(malformed, /credentials were refused/, 'malformed for another reason');
  });

  test('a HEAD 404 without a body names the bucket', () => {
    const message = describeS3Error(sdkError('NotFound', 404), context);
    assert.match(message, /the bucket 'diag' does not exist in region eu-west-1/);
  });

  test('anything else keeps its name, status and message', () => {
    const error = Object.assign(sdkError('SlowDown', 503), { message: 'Reduce your rate' });
    const message = describeS3Error(error, context);
    assert.match(message, /failed \(SlowDown, HTTP 503\): Reduce your rate/);
  });
});

describe('S3 bundling', () => {
  test('the SDK sits in a chunk of its own, loaded only when S3 is used', () => {
    for (const dir of ['dist', 'dist/cli']) {
      const entry = readFileSync(path.join(REPO_ROOT, dir, 'index.js'), 'utf8');
      assert.ok(!entry.includes('S3Client'), `${dir}/index.js does not hold the SDK`);
      const chunks = readdirSync(path.join(REPO_ROOT, dir)).filter((name) =>
        /^\d+\.index\.js$/.test(name),
      );
      const withSdk = chunks.filter((name) =>
        readFileSync(path.join(REPO_ROOT, dir, name), 'utf8').includes('S3Client'),
      );
      assert.ok(withSdk.length > 0, `${dir} has a chunk holding the SDK`);
    }
  });
});
