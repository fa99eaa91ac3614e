// WeightSource over parsed safetensors files: name → float32 values, F16/BF16 decoded on demand, with an
// optional key mapping (single-file checkpoints) and a record of which tensors were used, so a loader can
// report weights a model never asked for. No I/O. Reference: src/onnx/models/weights.ts (WeightSource).
import { ModelFormatError } from '../../lib/errors';
import type { WeightSource } from '../../onnx/index';
import { tensorToFloat32 } from '../weights/safetensors';
import type { SafeTensor } from '../weights/safetensors';

/** A WeightSource over safetensors tensors keyed by diffusers / transformers state-dict names. */
export class SafetensorsWeights implements WeightSource {
  /** state-dict names handed out so far */
  readonly used = new Set<string>();

  /**
   * @param tensors state-dict name → tensor (any float dtype)
   * @param label file name for error messages, e.g. "unet/diffusion_pytorch_model.safetensors"
   */
  constructor(
    private readonly tensors: ReadonlyMap<string, SafeTensor>,
    readonly label: string,
  ) {}

  get names(): string[] {
    return [...this.tensors.keys()];
  }

  /** tensor name → shape, for checking the file against a config before building (weightCheck.ts) */
  shapes(): Map<string, readonly number[]> {
    return new Map([...this.tensors].map(([k, t]) => [k, t.shape]));
  }

  /**
   * Float32 values of `name`: F32 tensors are returned as views into the file bytes (no copy: SD 1.5's fp32
   * UNet is 3.4 GB; callers must not write to them), other float dtypes as decoded copies. Shapes must hold the same number of elements (a 1×1 conv [C, C, 1, 1] serves a
   * Linear [C, C], as in LDM VAE attention). Throws ModelFormatError when the element counts differ.
   */
  get(name: string, shape: readonly number[]): Float32Array | undefined {
    const t = this.tensors.get(name);
    if (!t) return undefined;
    const want = shape.reduce((a, d) => a * d, 1);
    const have = t.shape.reduce((a, d) => a * d, 1);
    if (want !== have) {
      throw new ModelFormatError('shape', `${this.label}: "${name}" is [${t.shape.join(', ')}] but the model config needs [${shape.join(', ')}]. The config.json does not match these weights.`);
    }
    this.used.add(name);
    return t.dtype === 'F32' ? (t.data as Float32Array) : tensorToFloat32(name, t);
  }

  /** Tensor names never requested (after a build): usually a config that is smaller than the checkpoint. */
  unused(): string[] {
    return this.names.filter((n) => !this.used.has(n));
  }
}
