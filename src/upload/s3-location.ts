import type { S3Settings } from './types.js';

/** Where an object lives, as the user reads it. */
export interface S3Location {
  bucket: string;
  key: string;
  /** The resolved region. */
  region: string;
}

export function objectUri({ bucket, key }: S3Location): string {
  return `s3://${bucket}/${key}`;
}

/**
 * The object's URL: on AWS its https address in its region, otherwise on the configured
 * endpoint, path-style or virtual-hosted as the client addresses it.
 */
export function objectUrl(location: S3Location, s3: S3Settings): string {
  const base = new URL(serviceOrigin(location, s3));
  const path = s3.forcePathStyle
    ? `${encodeSegment(location.bucket)}/${encodeKey(location.key)}`
    : encodeKey(location.key);
  if (!s3.forcePathStyle) base.hostname = `${location.bucket}.${base.hostname}`;
  const prefix = base.pathname.replace(/\/+$/, '');
  return `${base.origin}${prefix}/${path}`;
}

/**
 * The endpoint requests go to, for messages: the custom endpoint (without any `user:password@`
 * in it), or AWS's for the region.
 */
export function serviceOrigin({ region }: S3Location, s3: S3Settings): string {
  if (s3.endpoint) return s3.endpoint.replace(/\/+$/, '').replace(/(:\/\/)[^/]*@/, '$1');
  const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://s3.${region}.${domain}`;
}

function encodeKey(key: string): string {
  return key.split('/').map(encodeSegment).join('/');
}

function encodeSegment(segment: string): string {
  return encodeURIComponent(segment);
}
