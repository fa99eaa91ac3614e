// The studio's version: what infotext ("Version: DisenStudio …"), the PNG chunk and every ONNX model's
// producer_version record. The one source besides package.json's "version" (test/lib/version.test.ts keeps the
// two equal). No imports.

/** package.json "version" */
export const STUDIO_VERSION = '0.1.0';
