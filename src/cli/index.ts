// TODO: the CLI is being written.
console.log('k98-diagnostics');
