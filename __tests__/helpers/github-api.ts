import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the few GitHub REST endpoints the incident hook uses (GitHub's API cannot
 * run here): list a repository's issues, create one, comment on one, update one. It keeps
 * issues in memory, records every request, and can be told to answer one status to all.
 */
export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  state_reason?: string | null;
  labels: string[];
  comments: string[];
  pull_request?: { url: string };
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: Record<string, unknown> | null;
  authorization: string | undefined;
}

export interface GitHubApi {
  url: string;
  issues: FakeIssue[];
  requests: RecordedRequest[];
  /** Answer every request with this status (e.g. 403) instead of serving it; null to serve. */
  failWith: number | null;
  /** Issues per page when listing, to exercise pagination. */
  pageSize: number;
  close(): Promise<void>;
}

export async function startGitHubApi(owner = 'k98', repo = 'bot'): Promise<GitHubApi> {
  const api: Omit<GitHubApi, 'url' | 'close'> = {
    issues: [],
    requests: [],
    failWith: null,
    pageSize: 30,
  };
  const base = `/repos/${owner}/${repo}/issues`;

  const server: Server = createServer((request, response) => {
    void readJson(request).then((body) => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      api.requests.push({
        method: request.method ?? '',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        body,
        authorization: request.headers.authorization,
      });
      if (api.failWith !== null) {
        return send(response, api.failWith, {
          message: 'Resource not accessible by integration',
          documentation_url: 'https://docs.github.com/rest',
        });
      }
      route(request.method ?? '', url, body, response);
    });
  });

  const route = (
    method: string,
    url: URL,
    body: Record<string, unknown> | null,
    response: ServerResponse,
  ): void => {
    const number = Number(/\/issues\/(\d+)/.exec(url.pathname)?.[1]);
    const issue = api.issues.find((each) => each.number === number);

    if (method === 'GET' && url.pathname === base) return listIssues(url, response);
    if (method === 'POST' && url.pathname === base) {
      const created: FakeIssue = {
        number: api.issues.length + 1,
        title: String(body?.title ?? ''),
        body: String(body?.body ?? ''),
        state: 'open',
        labels: (body?.labels as string[] | undefined) ?? [],
        comments: [],
      };
      api.issues.push(created);
      return send(response, 201, view(created));
    }
    if (!issue) return send(response, 404, { message: 'Not Found' });
    if (method === 'POST' && url.pathname === `${base}/${number}/comments`) {
      issue.comments.push(String(body?.body ?? ''));
      return send(response, 201, { id: issue.comments.length, body: body?.body });
    }
    if (method === 'PATCH' && url.pathname === `${base}/${number}`) {
      if (body?.state === 'closed' || body?.state === 'open') issue.state = body.state;
      if (body && 'state_reason' in body) issue.state_reason = body.state_reason as string;
      return send(response, 200, view(issue));
    }
    send(response, 404, { message: 'Not Found' });
  };

  const listIssues = (url: URL, response: ServerResponse): void => {
    const wanted = (url.searchParams.get('labels') ?? '').split(',').filter(Boolean);
    const state = url.searchParams.get('state') ?? 'open';
    const matching = api.issues.filter(
      (issue) =>
        (state === 'all' || issue.state === state) &&
        wanted.every((label) => issue.labels.includes(label)),
    );
    const page = Number(url.searchParams.get('page') ?? '1');
    const perPage = Math.min(api.pageSize, Number(url.searchParams.get('per_page') ?? '30'));
    const slice = matching.slice((page - 1) * perPage, page * perPage);
    const headers: Record<string, string> = {};
    if (page * perPage < matching.length) {
      const next = new URL(url.href);
      next.host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
      next.searchParams.set('page', String(page + 1));
      headers.link = `<${next.href}>; rel="next"`;
    }
    send(response, 200, slice.map(view), headers);
  };

  const view = (issue: FakeIssue): Record<string, unknown> => ({
    number: issue.number,
    title: issue.title,
    body: issue.body,
    state: issue.state,
    labels: issue.labels.map((name) => ({ name })),
    html_url: `https://github.com/${owner}/${repo}/issues/${issue.number}`,
    ...(issue.pull_request ? { pull_request: issue.pull_request } : {}),
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(api, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown> | null> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : null;
}

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}
