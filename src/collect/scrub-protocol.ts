/** What the main thread and the scrubbing thread say to each other. */

/** The `workerData` a scrubbing thread starts with: what its own Redactor is built from. */
export interface ScrubWorkerData {
  k98ScrubWorker: true;
  secretValues: string[];
  userPatterns: RegExp[];
}

/** A piece of one stream to scrub; `end` asks for the rest, `drop` forgets the stream. */
export interface ScrubRequest {
  stream: number;
  bytes?: Uint8Array;
  end?: true;
  drop?: true;
}

/** What may go out after a request: scrubbed bytes (none while held back) and redactions. */
export interface ScrubReply {
  stream: number;
  redactions: number;
  bytes?: Uint8Array;
  error?: string;
}

/**
 * The bytes in an ArrayBuffer of their own, which can be handed to the other thread. A view
 * into a larger buffer (Node's pool of small buffers, a slice of a bigger read) is copied:
 * handing over its buffer would take everything else in it away from this thread.
 */
export function ownBuffer(bytes: Uint8Array): Uint8Array {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return whole ? bytes : new Uint8Array(bytes);
}
