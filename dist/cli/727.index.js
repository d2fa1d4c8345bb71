export const id = 727;
export const ids = [727];
export const modules = {

/***/ 31727:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   s3Uploader: () => (/* binding */ s3Uploader)
/* harmony export */ });
// TODO: the s3 destination is not built yet; requesting it fails with this message.
const s3Uploader = {
    destination: 's3',
    upload: async () => ({
        destination: 's3',
        ok: false,
        outputs: {},
        error: 'the s3 destination is not available yet in this version of the action',
    }),
};


/***/ })

};
