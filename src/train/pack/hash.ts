// Hashes that tie a pack and cached regularisation images to a base model: SHA-256 through WebCrypto
// (globalThis.crypto.subtle, present in browsers, workers and Node ≥ 20). No other I/O than reading the FileSource.
// Base model hash = SHA-256 of "<path>:<sha256 hex>\n" lines of the UNet and text-encoder weight files, sorted
// (diffusers: unet|text_encoder/*.safetensors; ONNX export: unet|text_encoder/*.onnx* and external data files;
// single file: the top-level *.safetensors checkpoint, which holds both).
import { ModelAssetError } from '../../lib/errors';
import type { FileSource } from '../../diffusion/index';
import { sha256Hex } from '../../diffusion/index';

/** SHA-256 of a UTF-8 string. */
export async function sha256Text(text: string): Promise<string> {
  return sha256Hex(new TextEncoder().encode(text));
}

/** Weight files that define the model for a pack (the parts the pack modifies), per layout. */
const HASHED = /^(unet|text_encoder)\/[^/]+\.safetensors$/;
const HASHED_ONNX = /^(unet|text_encoder)\/[^/]+\.(onnx|onnx_data|onnx\.data|pb)$/;
const HASHED_SINGLE = /^[^/]+\.safetensors$/;

/**
 * Base model hash of a diffusers folder (see header). Config files are not included: a pack depends on weights.
 * @throws ModelAssetError when the folder has no UNet or text-encoder safetensors files
 */
export async function baseModelHash(src: FileSource): Promise<string> {
  const all = await src.list();
  const hasBoth = (fs: string[]): boolean => fs.some((f) => f.startsWith('unet/')) && fs.some((f) => f.startsWith('text_encoder/'));
  const single = all.filter((p) => HASHED_SINGLE.test(p));
  let files = all.filter((p) => HASHED.test(p)).sort();
  if (!hasBoth(files)) files = all.filter((p) => HASHED_ONNX.test(p)).sort();
  if (!hasBoth(files)) files = single.length === 1 ? single : [];
  if (files.length === 0) {
    throw new ModelAssetError(`${src.label}: no weights to hash: expected unet/ and text_encoder/ safetensors (diffusers), unet/ and text_encoder/ model.onnx (ONNX export) or one top-level .safetensors checkpoint`);
  }
  const lines: string[] = [];
  for (const f of files) lines.push(`${f}:${await sha256Hex(await src.read(f))}\n`);
  return sha256Text(lines.join(''));
}
