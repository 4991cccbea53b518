// Whether bytes are a zip archive, by its first local header's signature. Apart from the zip
// reader (zip-reader.ts, which runs in the import worker), so that the routes that sniff an upload
// do not load the inflater.
export const isZip = (b: Uint8Array) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
