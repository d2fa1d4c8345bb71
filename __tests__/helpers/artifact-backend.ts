import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
  BlobSASPermissions,
  type ContainerClient,
  generateBlobSASQueryParameters,
} from '@azure/storage-blob';

import { type Azurite, freePort, startAzurite } from './azurite.js';

const SERVICE_PATH = '/twirp/github.actions.results.api.v1.ArtifactService/';
const CONTAINER = 'actions-results';

/** One artifact as the backend holds it. */
export interface StoredArtifact {
  id: number;
  runId: string;
  jobId: string;
  name: string;
  blobName: string;
  finalized: boolean;
  size: number;
  /** `sha256:<hex>`, as the real service lists it. */
  digest: string;
  createdAt: Date;
}

export interface BackendCall {
  method: string;
  body: Record<string, unknown>;
  status: number;
}

/** A scripted answer for the next calls of one method (e.g. 500 before success). */
export interface ScriptedFailure {
  status: number;
  /** JSON body; a non-JSON text body makes the library retry even a 4xx. */
  body?: unknown;
  times?: number;
}

export interface ArtifactBackend {
  /** For ACTIONS_RESULTS_URL. */
  resultsUrl: string;
  /** Every call the results service answered, in order. */
  calls: BackendCall[];
  /** Finalized artifacts of a run. */
  artifacts(runId: string): StoredArtifact[];
  /** sha256 (hex) and size of the blob behind a finalized artifact, read back from Azurite. */
  blob(runId: string, name: string): Promise<{ sha256: string; size: number }>;
  /** Sizes of the committed blocks the blob behind a finalized artifact was staged in. */
  blockSizes(runId: string, name: string): Promise<number[]>;
  /** Number of blobs in Azurite, finalized or not. */
  blobCount(): Promise<number>;
  /** A write SAS URL for a blob outside any artifact (for a plain PUT to compare with). */
  uploadUrl(blobName: string): string;
  failNext(method: string, failure: ScriptedFailure): void;
  stop(): Promise<void>;
}

/** The claim @actions/artifact reads the run and job ids from. */
export function runtimeToken(runId: string, jobId: string): string {
  const encode = (value: object): string =>
    Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = encode({ alg: 'none', typ: 'JWT' });
  const payload = encode({ scp: `Actions.GenericRead:${runId} Actions.Results:${runId}:${jobId}` });
  return `${header}.${payload}.unsigned`;
}

/** A results URL where nothing listens: a backend that is down. */
export async function downResultsUrl(): Promise<string> {
  return `http://127.0.0.1:${await freePort()}/`;
}

/**
 * Starts Azurite and a small results service speaking the artifact service's Twirp JSON
 * protocol on 127.0.0.1: CreateArtifact hands out a write SAS URL into Azurite,
 * FinalizeArtifact checks the blob's size and sha256, a second finalized artifact of a name in
 * a run is a 409 like the real service answers.
 */
export async function startArtifactBackend(): Promise<ArtifactBackend> {
  const azurite = await startAzurite();
  let server: Server | undefined;
  try {
    const container = await azurite.container(CONTAINER);
    const service = new ResultsService(azurite, container);
    server = createServer((request, response) => void service.handle(request, response));
    const listening = server;
    await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
    const { port } = listening.address() as AddressInfo;

    return {
      resultsUrl: `http://127.0.0.1:${port}/`,
      calls: service.calls,
      artifacts: (runId) => service.finalized(runId),
      blob: (runId, name) => service.readBlob(runId, name),
      blockSizes: (runId, name) => service.blockSizes(runId, name),
      blobCount: async () => {
        const names: string[] = [];
        for await (const blob of container.listBlobsFlat()) names.push(blob.name);
        return names.length;
      },
      failNext: (method, failure) => service.script(method, failure),
      uploadUrl: (blobName) => service.signedUrl(blobName, 'cw'),
      stop: async () => {
        listening.closeAllConnections();
        await new Promise<void>((resolve) => listening.close(() => resolve()));
        await azurite.stop();
      },
    };
  } catch (error) {
    server?.close();
    await azurite.stop();
    throw error;
  }
}

class TwirpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

class ResultsService {
  readonly calls: BackendCall[] = [];
  private readonly stored: StoredArtifact[] = [];
  private readonly scripted = new Map<string, ScriptedFailure[]>();
  private nextId = 1000;

  constructor(
    private readonly azurite: Azurite,
    private readonly container: ContainerClient,
  ) {}

  script(method: string, failure: ScriptedFailure): void {
    const queue = this.scripted.get(method) ?? [];
    for (let time = 0; time < (failure.times ?? 1); time++) queue.push(failure);
    this.scripted.set(method, queue);
  }

  finalized(runId: string): StoredArtifact[] {
    return this.stored.filter((artifact) => artifact.runId === runId && artifact.finalized);
  }

  async blockSizes(runId: string, name: string): Promise<number[]> {
    const artifact = this.finalized(runId).find((candidate) => candidate.name === name);
    if (!artifact) throw new Error(`no finalized artifact '${name}' in run ${runId}`);
    const blob = this.container.getBlockBlobClient(artifact.blobName);
    const list = await blob.getBlockList('committed');
    return (list.committedBlocks ?? []).map((block) => block.size);
  }

  async readBlob(runId: string, name: string): Promise<{ sha256: string; size: number }> {
    const artifact = this.finalized(runId).find((candidate) => candidate.name === name);
    if (!artifact) throw new Error(`no finalized artifact '${name}' in run ${runId}`);
    return this.hashBlob(artifact.blobName);
  }

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = (request.url ?? '').startsWith(SERVICE_PATH)
      ? (request.url ?? '').slice(SERVICE_PATH.length)
      : '';
    let body: Record<string, unknown> = {};
    let status = 200;
    let answer: unknown;
    try {
      body = JSON.parse((await readBody(request)) || '{}') as Record<string, unknown>;
      const failure = this.scripted.get(method)?.shift();
      if (failure) {
        status = failure.status;
        answer = failure.body ?? { code: 'internal', msg: `scripted ${failure.status}` };
      } else {
        this.checkToken(request, body);
        answer = await this.dispatch(method, body);
      }
    } catch (error) {
      const twirp =
        error instanceof TwirpError ? error : new TwirpError(500, 'internal', String(error));
      status = twirp.status;
      answer = { code: twirp.code, msg: twirp.message };
    }
    this.calls.push({ method, body, status });
    const text = typeof answer === 'string' ? answer : JSON.stringify(answer);
    const type = typeof answer === 'string' ? 'text/plain' : 'application/json';
    response.writeHead(status, { 'content-type': type }).end(text);
  }

  /** The bearer token must carry the scope of the run and job the request names. */
  private checkToken(request: IncomingMessage, body: Record<string, unknown>): void {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
    const payload = token.split('.')[1] ?? '';
    let scopes = '';
    try {
      scopes = String(
        (JSON.parse(Buffer.from(payload, 'base64url').toString()) as { scp?: string }).scp,
      );
    } catch {
      throw new TwirpError(401, 'unauthenticated', 'the runtime token is not a JWT');
    }
    const wanted = `Actions.Results:${String(body.workflow_run_backend_id)}:`;
    if (!scopes.split(' ').some((scope) => scope.startsWith(wanted))) {
      throw new TwirpError(401, 'unauthenticated', 'the runtime token does not cover this run');
    }
  }

  private async dispatch(method: string, body: Record<string, unknown>): Promise<unknown> {
    const runId = String(body.workflow_run_backend_id ?? '');
    const jobId = String(body.workflow_job_run_backend_id ?? '');
    const name = String(body.name ?? '');
    switch (method) {
      case 'CreateArtifact':
        return this.create(runId, jobId, name);
      case 'FinalizeArtifact':
        return this.finalize(runId, name, Number(body.size), String(body.hash ?? ''));
      case 'ListArtifacts':
        return this.list(runId, body);
      case 'GetSignedArtifactURL':
        return { signed_url: this.signedUrl(this.find(runId, name).blobName, 'r') };
      case 'DeleteArtifact':
        return this.remove(runId, name);
      default:
        throw new TwirpError(404, 'bad_route', `no method '${method}'`);
    }
  }

  private create(runId: string, jobId: string, name: string): unknown {
    if (this.finalized(runId).some((artifact) => artifact.name === name)) {
      throw new TwirpError(
        409,
        'already_exists',
        'an artifact with this name already exists on the workflow run',
      );
    }
    const id = this.nextId++;
    const artifact: StoredArtifact = {
      id,
      runId,
      jobId,
      name,
      blobName: `${runId}/${jobId}/${id}/${name}`,
      finalized: false,
      size: 0,
      digest: '',
      createdAt: new Date(),
    };
    this.stored.push(artifact);
    return { ok: true, signed_upload_url: this.signedUrl(artifact.blobName, 'cw') };
  }

  private async finalize(
    runId: string,
    name: string,
    size: number,
    hash: string,
  ): Promise<unknown> {
    const pending = this.stored.filter(
      (artifact) => artifact.runId === runId && artifact.name === name && !artifact.finalized,
    );
    const artifact = pending[pending.length - 1];
    if (!artifact) throw new TwirpError(404, 'not_found', `no artifact '${name}' was created`);
    if (this.finalized(runId).some((other) => other.name === name)) {
      throw new TwirpError(
        409,
        'already_exists',
        'an artifact with this name already exists on the workflow run',
      );
    }
    const blob = await this.hashBlob(artifact.blobName).catch(() => {
      throw new TwirpError(400, 'invalid_argument', `nothing was uploaded for '${name}'`);
    });
    if (blob.size !== size || `sha256:${blob.sha256}` !== hash) {
      throw new TwirpError(
        400,
        'invalid_argument',
        `blob has ${blob.size} bytes, sha256:${blob.sha256}; finalize said ${size}, ${hash}`,
      );
    }
    Object.assign(artifact, { finalized: true, size, digest: hash });
    return { ok: true, artifact_id: String(artifact.id) };
  }

  private list(runId: string, body: Record<string, unknown>): unknown {
    const artifacts = this.finalized(runId).filter(
      (artifact) =>
        (body.name_filter === undefined || artifact.name === body.name_filter) &&
        (body.id_filter === undefined || String(artifact.id) === String(body.id_filter)),
    );
    return {
      artifacts: artifacts.map((artifact) => ({
        workflow_run_backend_id: artifact.runId,
        workflow_job_run_backend_id: artifact.jobId,
        database_id: String(artifact.id),
        name: artifact.name,
        size: String(artifact.size),
        created_at: artifact.createdAt.toISOString(),
        digest: artifact.digest,
      })),
    };
  }

  private async remove(runId: string, name: string): Promise<unknown> {
    const artifact = this.find(runId, name);
    this.stored.splice(this.stored.indexOf(artifact), 1);
    await this.container.getBlockBlobClient(artifact.blobName).deleteIfExists();
    return { ok: true, artifact_id: String(artifact.id) };
  }

  private find(runId: string, name: string): StoredArtifact {
    const artifact = this.finalized(runId).find((candidate) => candidate.name === name);
    if (!artifact) throw new TwirpError(404, 'not_found', `no artifact '${name}'`);
    return artifact;
  }

  signedUrl(blobName: string, permissions: string): string {
    const sas = generateBlobSASQueryParameters(
      {
        containerName: CONTAINER,
        blobName,
        permissions: BlobSASPermissions.parse(permissions),
        expiresOn: new Date(Date.now() + 3600_000),
      },
      this.azurite.credential,
    );
    return `${this.container.getBlockBlobClient(blobName).url}?${sas.toString()}`;
  }

  private async hashBlob(blobName: string): Promise<{ sha256: string; size: number }> {
    const download = await this.container.getBlockBlobClient(blobName).download();
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of download.readableStreamBody ?? []) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
    return { sha256: hash.digest('hex'), size };
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (text += chunk));
    request.on('end', () => resolve(text));
    request.on('error', reject);
  });
}
