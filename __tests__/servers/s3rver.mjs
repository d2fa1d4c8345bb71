// Starts @20minutes/s3rver (the lighter S3 server, which still checks SigV4) on 127.0.0.1:
//   node s3rver.mjs PORT DIRECTORY BUCKET...
// Buckets are made at start-up: this server rejects signatures on bucket-level API calls.
// Prints one line "listening <port>" once ready; the harness stops it by pid with SIGTERM.
import S3rver from '@20minutes/s3rver';

const [port, directory, ...buckets] = process.argv.slice(2);
const server = new S3rver({
  address: '127.0.0.1',
  port: Number(port),
  directory,
  silent: true,
  configureBuckets: buckets.map((name) => ({ name })),
});

try {
  const address = await server.run();
  console.log(`listening ${address.port}`);
} catch (error) {
  console.error(error);
  process.exit(1);
}
process.on('SIGTERM', () => {
  server.close().finally(() => process.exit(0));
});
