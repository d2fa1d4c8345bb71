var __webpack_exports__ = {};
// TODO: the CLI is being written.
console.log('k98-diagnostics');


