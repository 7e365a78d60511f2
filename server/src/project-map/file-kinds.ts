// Which files are binary: by a known extension before reading anything, else by a NUL byte in the
// first 8 KB (git's own test). And which source files are minified bundles, not worth parsing. Pure.
import { posix } from 'node:path';

export const SNIFF_BYTES = 8 * 1024;

const BINARY_EXTENSIONS: ReadonlySet<string> = new Set(
  [
    // images, fonts, audio, video
    'png jpg jpeg gif bmp ico icns webp tif tiff psd xcf heic avif',
    'woff woff2 ttf otf eot',
    'mp3 mp4 m4a wav ogg oga flac aac avi mov mkv webm wmv flv',
    // archives and packages
    'zip gz tgz bz2 xz zst lz4 7z rar tar jar war ear apk aab ipa deb rpm dmg iso msi vsix whl egg nupkg gem',
    // compiled code and libraries
    'exe dll so dylib a lib o obj ko class pyc pyo pyd wasm node elc beam dex',
    // data
    'pdf doc docx xls xlsx ppt pptx odt ods odp sqlite sqlite3 db mdb parquet avro orc npy npz pkl pickle h5 hdf5 onnx pt pth safetensors tflite bin dat',
  ]
    .join(' ')
    .split(' '),
);

/** The file's extension when it names a binary format, else undefined. */
export function binaryExtension(path: string): string | undefined {
  const extension = posix.extname(path).slice(1).toLowerCase();
  return BINARY_EXTENSIONS.has(extension) ? extension : undefined;
}

export function hasNulByte(bytes: Uint8Array): boolean {
  return bytes.subarray(0, SNIFF_BYTES).includes(0);
}

/** Lines this long on average are a minifier's: their symbols are noise, and parsing them is slow. */
const MINIFIED_LINE_LENGTH = 500;

export function looksMinified(text: string): boolean {
  if (text.length < 4 * 1024) return false;
  let lines = 1;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) lines++;
  return text.length / lines > MINIFIED_LINE_LENGTH;
}
