// The export's key names against the peers' own key maps for SD 1.5 (test/fixtures/pack/peer-keys.json, written by
// `check_ecosystem.py --fixture=…` from AUTOMATIC1111's convert_diffusers_name_to_compvis, ComfyUI's
// model_lora_keys_unet and diffusers' AttentionMixin.attn_processors): every kohya module stem maps in A1111 and
// ComfyUI, and the Custom Diffusion file names exactly diffusers' 32 attention processors.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { readSafetensors } from '../../../src/diffusion/index';
import { exportEcosystemWithReport } from '../../../src/train/pack/ecosystem';
import { stateDictNameOfKohya } from '../../../src/train/pack/kohya';
import type { ConceptPack } from '../../../src/train/pack/types';

type PeerKeys = { a1111KohyaToLdm: Record<string, string>; comfyuiKeyMap: Record<string, string>; diffusersAttnProcessors: string[] };
const peers = JSON.parse(readFileSync(new URL('../../fixtures/pack/peer-keys.json', import.meta.url), 'utf8')) as PeerKeys;

/** SD 1.5's 32 attn2 K/V as the A1111 fixture lists them, [1, 768] each (the key names do not depend on the out width). */
function sd15Pack(): ConceptPack {
  const names = Object.keys(peers.a1111KohyaToLdm).map((stem) => stateDictNameOfKohya(`${stem}.diff`) as string);
  return {
    metadata: { format: 'disenstudio-concept-pack', version: 1, baseModel: { name: 'sd15', hash: '00'.repeat(32) }, createdAt: '2026-12-07T00:00:00Z', settings: {} },
    concepts: [{ token: '<cat1>', classWord: 'cat', embedding: new Float32Array(768) }],
    deltas: names.map((name, i) => ({ name, shape: [1, 768], delta: new Float32Array(768).fill(i + 1) })),
  };
}

describe('export keys vs the peers’ own SD 1.5 key maps', () => {
  const pack = sd15Pack();
  const out = exportEcosystemWithReport(pack, { title: 't', resolution: '512x512', loraRank: 1, baseUnet: { get: () => new Float32Array(768) } });
  const stemsOf = (file: string) => [...new Set(Object.keys(readSafetensors(out.files.get(file) as Uint8Array).tensors).map((k) => k.split('.')[0] as string))].sort();

  it('all 32 K/V of SD 1.5 are in the fixture, and every name parses back', () => {
    expect(pack.deltas).toHaveLength(32);
    expect(pack.deltas.every((d) => d.name.endsWith('.weight'))).toBe(true);
  });

  it('the .diff and LoRA files use exactly the stems A1111 maps, all of them in ComfyUI’s key map', () => {
    const a1111 = Object.keys(peers.a1111KohyaToLdm).sort();
    expect(stemsOf('t.safetensors')).toEqual(a1111);
    expect(stemsOf('t_lora_r1.safetensors')).toEqual(a1111);
    for (const s of a1111) expect(peers.comfyuiKeyMap[s], s).toBeDefined();
  });

  it('the Custom Diffusion file names each of diffusers’ 32 attention processors once', () => {
    const keys = Object.keys(readSafetensors(out.files.get('t_custom_diffusion.safetensors') as Uint8Array).tensors);
    const processors = [...new Set(keys.map((k) => k.replace(/\.(to_[kv])_custom_diffusion\.weight$/, '')))].sort();
    expect(processors).toEqual([...peers.diffusersAttnProcessors].sort());
  });
});
