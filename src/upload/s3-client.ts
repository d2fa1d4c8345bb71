import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { ProxyAgent } from 'proxy-agent';

import { USER_AGENT } from '../version.js';
import type { S3Settings, UploadSettings } from './types.js';

type ChecksumMode = 'WHEN_REQUIRED' | 'WHEN_SUPPORTED';

/**
 * Builds the S3 client for one upload. Credentials are left to the SDK's default chain
 * (environment, web identity, profiles, container and instance roles): no input ever holds
 * a secret key.
 */
export function createS3Client(settings: UploadSettings, env: NodeJS.ProcessEnv): S3Client {
  const s3 = settings.s3;
  const checksum = checksumMode(s3);

  // The SDK ignores HTTPS_PROXY/NO_PROXY; ProxyAgent reads them for every request and
  // connects directly when no proxy applies.
  const agent = new ProxyAgent({ keepAlive: true, maxSockets: 16 });

  const config: S3ClientConfig = {
    region: configuredRegion(s3, env),
    forcePathStyle: s3.forcePathStyle,
    // One retry setting for every destination: the SDK's own strategy, no loop around it.
    maxAttempts: settings.retries + 1,
    customUserAgent: USER_AGENT,
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
  if (s3.endpoint) config.endpoint = s3.endpoint;
  if (checksum) {
    config.requestChecksumCalculation = checksum;
    config.responseChecksumValidation = checksum;
  }
  return new S3Client(config);
}

/**
 * The region to give the SDK: the input, else the environment (the SDK itself reads only
 * AWS_REGION, not AWS_DEFAULT_REGION), else us-east-1 for a custom endpoint. Undefined lets
 * the SDK look in the shared config profile.
 */
export function configuredRegion(s3: S3Settings, env: NodeJS.ProcessEnv): string | undefined {
  const region = s3.region || env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (region) return region;
  return s3.endpoint ? 'us-east-1' : undefined;
}

/**
 * Which checksums the SDK computes. Many S3-compatible stores reject the CRC32 trailers and
 * aws-chunked bodies that recent SDKs send by default, so a custom endpoint computes them only
 * when an operation requires one; on AWS the SDK's defaults (and its own env/profile
 * settings) stay in force.
 */
export function checksumMode(s3: S3Settings): ChecksumMode | undefined {
  if (s3.checksum === 'when-required') return 'WHEN_REQUIRED';
  if (s3.checksum === 'when-supported') return 'WHEN_SUPPORTED';
  return s3.endpoint ? 'WHEN_REQUIRED' : undefined;
}
