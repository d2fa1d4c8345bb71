import type { Agent } from 'node:http';

import { ProxyAgent } from 'proxy-agent';
import { getProxyForUrl } from 'proxy-from-env';

/**
 * The proxy that applies to `url` according to HTTPS_PROXY/https_proxy, HTTP_PROXY/http_proxy,
 * ALL_PROXY and NO_PROXY (as runners behind a corporate proxy set them), or '' for none.
 */
export function proxyFor(url: string | URL): string {
  return getProxyForUrl(url);
}

/**
 * An agent that sends requests for `url` through the proxy that applies to it, or undefined
 * when none does (the caller keeps its default agent). Works for http and https targets, so
 * the AWS SDK's NodeHttpHandler can take it as `httpsAgent` too. Call `destroy()` when done.
 */
// TODO: an https endpoint given by IP address fails its certificate check through an HTTPS
// proxy (https-proxy-agent checks it against "localhost", TooTallNate/proxy-agents#365).
export function proxyAgentFor(url: string | URL): Agent | undefined {
  const proxy = proxyFor(url);
  if (!proxy) return undefined;
  return new ProxyAgent({ getProxyForUrl: () => proxy, keepAlive: false });
}

/** A proxy URL fit for the log: any user name and password are left out. */
export function describeProxy(proxy: string): string {
  try {
    const parsed = new URL(proxy);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return '(unparsable proxy setting)';
  }
}
