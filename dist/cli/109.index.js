export const id = 109;
export const ids = [109];
export const modules = {

/***/ 42109:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   httpUploader: () => (/* binding */ httpUploader)
/* harmony export */ });
// TODO: the http destination is not built yet; requesting it fails with this message.
const httpUploader = {
    destination: 'http',
    upload: async () => ({
        destination: 'http',
        ok: false,
        outputs: {},
        error: 'the http destination is not available yet in this version of the action',
    }),
};


/***/ })

};
