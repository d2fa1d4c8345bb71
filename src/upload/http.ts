import type { Uploader } from './types.js';

// TODO: the http destination is not built yet; requesting it fails with this message.
export const httpUploader: Uploader = {
  destination: 'http',
  upload: async () => ({
    destination: 'http',
    ok: false,
    outputs: {},
    error: 'the http destination is not available yet in this version of the action',
  }),
};
