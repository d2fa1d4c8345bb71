// proxy-from-env ships no type declarations; this is the one function we use.
declare module 'proxy-from-env' {
  /** The proxy URL that applies to `url` from the *_PROXY and NO_PROXY variables, or ''. */
  export function getProxyForUrl(url: string | URL): string;
}
