import type { Uploader } from './types.js';

// TODO: the s3 destination is not built yet; requesting it fails with this message.
export const s3Uploader: Uploader = {
  destination: 's3',
  upload: async () => ({
    destination: 's3',
    ok: false,
    outputs: {},
    error: 'the s3 destination is not available yet in this version of the action',
  }),
};
