#!/usr/bin/python3
# `npm run check:ecosystem`: loads every export file of tools/ecosystem/writeExports.ts with the peers' own loader
# code (their public source from bare git dirs, files unchanged, imported through peer_shim.py on Debian's
# python3-torch) and reports per peer x file: loaded, keys mapped, max weight error against the pack's own values.
#   A1111 (AUTOMATIC1111 1.10 copy): EmbeddingDatabase.load_from_file (modules/textual_inversion/textual_inversion.py),
#     networks.load_network + NetworkModule.calc_updown (extensions-builtin/Lora), W' = W0 + updown as in
#     networks.network_apply_weights; stand-in model: an nn.Module tree with SD 1.5's LDM module names.
#   ComfyUI (0.3.75 copy): sd1_clip.load_embed, lora.model_lora_keys_unet / load_lora / calculate_weight,
#     lora_convert.convert_lora; patches as ModelPatcher.add_patches builds them; stand-in: LDM state-dict names,
#     SD 1.5's unet_config for utils.unet_to_diffusers.
#   diffusers (58eb52c): TextualInversionLoaderMixin.load_textual_inversion, UNet2DConditionLoadersMixin
#     .load_attn_procs with the real Attention / CustomDiffusionAttnProcessor / AttentionMixin, and
#     StableDiffusionLoraLoaderMixin.lora_state_dict (kohya conversion); stand-in UNet of real Attention modules
#     under diffusers names. PEFT is not installed: the LoRA merge uses PEFT's formula W0 + (alpha/r) B A.
# Each peer runs in its own subprocess (their module names collide). Usage:
#   /usr/bin/python3 tools/ecosystem/check_ecosystem.py <export dir> [--json]   (the dir writeExports.ts wrote)
import json
import logging
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import peer_shim  # noqa: E402

MIRROR = os.environ.get("PEER_MIRROR", "/work/.mirror")
GIT = {
    "a1111": os.environ.get("A1111_GIT", f"{MIRROR}/chirag127+stable-diffusion-webui/repo"),
    "comfyui": os.environ.get("COMFYUI_GIT", f"{MIRROR}/Fossiel+ComfyUI-4-Potatoes/repo"),
    "diffusers": os.environ.get("DIFFUSERS_GIT", f"{MIRROR}/huggingface+diffusers/repo"),
}
TITLE = "catdog"


# ---------- the truth: the pack as the studio saved it ----------

def truth(d):
    import torch
    w = peer_shim.load_file(os.path.join(d, "pack/weights.safetensors"))
    base_path = os.path.join(d, "base_kv.safetensors")
    return {
        "deltas": {k[len("delta/"):]: v for k, v in w.items() if k.startswith("delta/")},
        "embeddings": {k[len("embedding/"):]: v for k, v in w.items() if k.startswith("embedding/")},
        "base": peer_shim.load_file(base_path) if os.path.exists(base_path) else None,
        "compat": peer_shim.read_metadata(os.path.join(d, f"{TITLE}.safetensors")).get("disenstudio.compatibility"),
        "files": sorted(f for f in os.listdir(d) if f.endswith(".safetensors") and f != "base_kv.safetensors"),
        "usage": open(os.path.join(d, f"{TITLE}_usage.txt")).read(),
        "torch": torch,
    }


def sd15_layers():
    """SD 1.5's attn2 layers (diffusers name, inner width) and their LDM names (the original checkpoint layout)."""
    out = []
    for i, w in enumerate([320, 640, 1280]):
        for j in range(2):
            out.append((f"down_blocks.{i}.attentions.{j}.transformer_blocks.0", w, f"input_blocks.{1 + 3 * i + j}.1.transformer_blocks.0"))
    out.append(("mid_block.attentions.0.transformer_blocks.0", 1280, "middle_block.1.transformer_blocks.0"))
    for i, w in [(1, 1280), (2, 640), (3, 320)]:
        for j in range(3):
            out.append((f"up_blocks.{i}.attentions.{j}.transformer_blocks.0", w, f"output_blocks.{3 * i + j}.1.transformer_blocks.0"))
    return out


def base_weight(t, name, shape):
    """W0 of the stand-in: the studio's base K/V where it has them (SD 1.5 pack), else zeros of the SD 1.5 shape."""
    torch = t["torch"]
    if t["base"] is not None and name in t["base"]:
        return t["base"][name].clone()
    return torch.zeros(shape)


def expected(t, name, w0):
    d = t["deltas"].get(name)
    return None if d is None or tuple(d.shape) != tuple(w0.shape) else w0 + d


def err(a, b):
    return float((a - b).abs().max())


def lora_stems(path):
    keys = peer_shim.load_file(path).keys()
    return sorted({k.split(".")[0] for k in keys})


def row(peer, file, loaded, mapped, total, max_err, note="", rel=None):
    note = " ".join(note.split())
    r = {"peer": peer, "file": file, "loaded": loaded, "keys_mapped": f"{mapped}/{total}", "max_weight_error": max_err, "note": note}
    if rel is not None:
        r["relative_error"] = rel
    return r


def rel_err(got, want):
    num = sum(float(((g - w) ** 2).sum()) for g, w in zip(got, want))
    den = sum(float((w ** 2).sum()) for w in want)
    return (num / den) ** 0.5 if den > 0 else 0.0


def exact_count(got, want):
    if not want:
        return "no module applied"
    n = sum(1 for g, w in zip(got, want) if rel_err([g], [w]) < 1e-5)
    return f"{n} of {len(want)} modules exact (relative error < 1e-5)"


def mismatch(bad):
    return f"; {bad} modules do not fit SD 1.5's layer shapes" if bad else ""


SD15_SHAPES = {f"{layer}.attn2.{p}.weight": (w, 768) for layer, w, _ in sd15_layers() for p in ("to_k", "to_v")}


def kv_files(t):
    return [f for f in t["files"] if f.startswith(TITLE) and "custom_diffusion" not in f]


def emb_files(t):
    return [f for f in t["files"] if not f.startswith(TITLE)]


def tree(paths_modules):
    """An nn.Module tree with each module at its dotted path."""
    import torch.nn as nn
    root = nn.Module()
    for path, mod in paths_modules:
        cur = root
        parts = path.split(".")
        for p in parts[:-1]:
            if not hasattr(cur, p):
                cur.add_module(p, nn.Module())
            cur = getattr(cur, p)
        cur.add_module(parts[-1], mod)
    return root


def kv_linears(t, name_of):
    """(LDM or diffusers path, Linear holding W0, diffusers weight name) for every SD 1.5 attn2 to_k/to_v."""
    import torch.nn as nn
    out = []
    for layer, w, ldm in sd15_layers():
        for p in ("to_k", "to_v"):
            name = f"{layer}.attn2.{p}.weight"
            lin = nn.Linear(768, w, bias=False)
            lin.weight.data = base_weight(t, name, (w, 768))
            out.append((name_of(layer, ldm) + f".attn2.{p}", lin, name))
    return out


# ---------- AUTOMATIC1111 ----------

def check_a1111(d):
    import torch
    import torch.nn as nn
    t = truth(d)
    root = tempfile.mkdtemp(prefix="a1111-")
    ext = ["network.py", "network_lora.py", "network_full.py", "network_hada.py", "network_ia3.py", "network_lokr.py",
           "network_norm.py", "network_glora.py", "network_oft.py", "lyco_helpers.py", "lora_logger.py", "lora_patches.py", "networks.py"]
    commit = peer_shim.materialise(GIT["a1111"], [(f"extensions-builtin/Lora/{f}", f"lora_ext/{f}") for f in ext] +
                                   ["modules/textual_inversion/textual_inversion.py"], root, ["modules", "modules/textual_inversion"])
    sys.path[:0] = [os.path.join(root, "lora_ext"), root]
    peer_shim.install_safetensors()
    peer_shim.stub_prefixes(["modules", "gradio", "PIL", "tqdm", "cv2", "einops"])
    # what the checked functions use from A1111's own modules (their real versions need a running webui)
    peer_shim.stub("modules.models.sd3.mmdit", QkvLinear=type("QkvLinear", (nn.Linear,), {}))
    peer_shim.stub("modules.devices", device=torch.device("cpu"), cpu=torch.device("cpu"), dtype=torch.float32, torch_npu_set_device=lambda: None)
    peer_shim.stub("modules.sd_models", read_state_dict=lambda f, *a, **k: peer_shim.load_file(f), read_metadata_from_safetensors=peer_shim.read_metadata)
    peer_shim.stub("modules.cache", cached_data_for_file=lambda sub, title, fn, func: func())
    peer_shim.stub("modules.hashes", sha256_from_cache=lambda *a, **k: None, sha256=lambda *a, **k: None)

    class Cond(nn.Module):
        def tokenize(self, texts):
            return [[1000 + len(x)] for x in texts]

    lin = kv_linears(t, lambda layer, ldm: "diffusion_model." + ldm)
    sd_model = nn.Module()
    sd_model.add_module("model", tree([(p, m) for p, m, _ in lin]))
    sd_model.add_module("cond_stage_model", Cond())
    sd_model.is_sdxl = False
    def walk_files(path, allowed_extensions=None):  # modules/util.py walk_files, without its option lookups
        for r, _, fs in os.walk(path):
            yield from (os.path.join(r, f) for f in sorted(fs) if os.path.splitext(f)[1] in (allowed_extensions or [os.path.splitext(f)[1]]))

    cmd_opts = type("CmdOpts", (), {"lora_dir": d, "lyco_dir_backcompat": tempfile.mkdtemp()})
    shared = peer_shim.stub("modules.shared", sd_model=sd_model, opts=peer_shim.Stub("opts"), cmd_opts=cmd_opts, walk_files=walk_files)
    import networks
    from modules.textual_inversion import textual_inversion as ti
    rows = []
    prompt = re.search(r"AUTOMATIC1111:.*?\n  prompt: (.*)", t["usage"]).group(1)
    # embeddings: A1111 registers them under the file stem and skips a width other than the model's (768)
    db = ti.EmbeddingDatabase()
    db.expected_shape = 768
    for f in emb_files(t):
        db.load_from_file(os.path.join(d, f), f)
        stem = f[:-len(".safetensors")]
        e = db.word_embeddings.get(stem)
        token = "<" + stem + ">"
        if e is None:
            sk = db.skipped_embeddings.get(stem)
            rows.append(row("a1111", f, False, 0, 1, None, f"skipped by EmbeddingDatabase: width {sk.shape if sk else '?'} is not the model's 768"))
            continue
        in_prompt = re.search(rf"(^|\s){re.escape(stem)}(\s|$)", prompt) is not None
        rows.append(row("a1111", f, True, 1, 1, err(e.vec.reshape(-1), t["embeddings"][token].reshape(-1)),
                        f'registered as "{stem}"; in the printed prompt: {in_prompt}'))
    by_ldm = {p.replace(".", "_"): (m, name) for p, m, name in lin}
    for f in kv_files(t):
        stem = f[:-len(".safetensors")]
        n = networks.available_networks.get(stem)  # what A1111 listed in its Lora folder, by the name <lora:NAME> uses
        if n is None:
            rows.append(row("a1111", f, False, 0, 0, None, f"not listed by networks.list_available_networks as {stem}"))
            continue
        net = networks.load_network(stem, n)
        got, want, worst, bad = [], [], 0.0, 0
        for key, module in net.modules.items():
            lin_mod, name = by_ldm[key]
            try:
                updown, _ = module.calc_updown(lin_mod.weight)
                w_new = lin_mod.weight + updown  # networks.network_apply_weights: weight + updown
            except RuntimeError:
                bad += 1
                continue
            exp = expected(t, name, lin_mod.weight)
            worst = max(worst, err(w_new, exp))
            got.append(w_new - lin_mod.weight)
            want.append(t["deltas"][name])
        total = len(lora_stems(os.path.join(d, f)))
        in_prompt = f"<lora:{stem}:" in t["usage"]
        rows.append(row("a1111", f, len(net.modules) > 0, len(net.modules) - bad, total, worst if want else None,
                        f"sd_version {n.sd_version.name}; {exact_count(got, want)}{mismatch(bad)}; <lora:{stem}:1> printed: {in_prompt}", rel_err(got, want) if want else None))
    stems = [f"lora_unet_{layer.replace('.', '_')}_attn2_{p}" for layer, _, _ in sd15_layers() for p in ("to_k", "to_v")]
    keys = {s: networks.convert_diffusers_name_to_compvis(s, False) for s in stems}
    return {"commit": commit, "rows": rows, "keys": {k: v for k, v in keys.items() if v in shared.sd_model.network_layer_mapping}}


# ---------- ComfyUI ----------

SD15_COMFY_UNET = {  # comfy/model_detection.py's detected unet_config for SD 1.5, the keys utils.unet_to_diffusers reads
    "num_res_blocks": [2, 2, 2, 2], "channel_mult": [1, 2, 4, 4], "transformer_depth": [1, 1, 1, 1, 1, 1, 0, 0],
    "transformer_depth_output": [1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0], "transformer_depth_middle": 1, "context_dim": 768,
}


class Counted(logging.Handler):
    """Counts ComfyUI's "lora key not loaded" warnings."""
    def __init__(self):
        super().__init__()
        self.n = 0

    def emit(self, record):
        self.n += "lora key not loaded" in record.getMessage()


def check_comfyui(d):
    import torch
    t = truth(d)
    root = tempfile.mkdtemp(prefix="comfy-")
    wa = ["__init__", "base", "lora", "loha", "lokr", "glora", "oft", "boft"]
    commit = peer_shim.materialise(GIT["comfyui"], ["comfy/lora.py", "comfy/utils.py", "comfy/lora_convert.py", "comfy/sd1_clip.py"] +
                                   [f"comfy/weight_adapter/{f}.py" for f in wa], root, ["comfy"])
    sys.path.insert(0, root)
    peer_shim.install_safetensors()
    peer_shim.stub_prefixes(["comfy", "PIL", "einops", "transformers", "tokenizers"])
    # comfy/model_management.py cast_to_device (its real module probes the GPU at import)
    peer_shim.stub("comfy.model_management", cast_to_device=lambda x, device, dtype, copy=False: x.to(device=device, dtype=dtype, copy=copy))
    peer_shim.stub("comfy.model_base", **{k: type(k, (), {}) for k in ["StableCascade_C", "SD3", "HunyuanDiT", "Flux", "GenmoMochi", "HunyuanVideo", "HiDream", "ACEStep", "QwenImage", "WAN21", "Lumina2", "CosmosPredict2", "Omnigen2", "Chroma", "ChromaRadiance", "HunyuanImage21", "BaseModel", "PixArt", "AuraFlow", "HunyuanVideo15", "Kandinsky5", "ZImage", "Hunyuan3Dv2", "LTXV", "CosmosVideo", "WAN22", "StableAudio1"]})
    import comfy.lora
    import comfy.lora_convert
    import comfy.sd1_clip
    lin = kv_linears(t, lambda layer, ldm: "diffusion_model." + ldm)
    sd = {p + ".weight": m.weight.data for p, m, _ in lin}
    name_of = {p + ".weight": name for p, _, name in lin}

    class Model:  # the BaseModel parts model_lora_keys_unet reads
        model_config = type("Cfg", (), {"unet_config": SD15_COMFY_UNET})

        def state_dict(self):
            return sd

    rows = []
    prompt = re.search(r"ComfyUI:.*?\n  prompt: (.*)", t["usage"]).group(1)
    for f in emb_files(t):
        stem = f[:-len(".safetensors")]
        named = re.search(rf"embedding:{re.escape(stem)}(\s|$)", prompt) is not None
        e = comfy.sd1_clip.load_embed(stem, d, 768, "clip_l")  # the name after "embedding:" in the prompt
        if e is None:
            rows.append(row("comfyui", f, False, 0, 1, None, f"load_embed found no file for embedding:{stem}"))
            continue
        token = "<" + stem + ">"
        ok = tuple(e.shape)[-1] == 768
        rows.append(row("comfyui", f, True, 1 if ok else 0, 1, err(e.reshape(-1), t["embeddings"][token].reshape(-1)) if ok else None,
                        f"embedding:{stem} in the printed prompt: {named}" + ("" if ok else f"; width {tuple(e.shape)[-1]}, not 768: sd1_clip's encoder drops such a row with a warning (read, not run)")))
    key_map = comfy.lora.model_lora_keys_unet(Model(), {})
    for f in kv_files(t):
        lora = comfy.lora_convert.convert_lora(peer_shim.load_file(os.path.join(d, f)))
        unloaded = Counted()
        logging.getLogger().addHandler(unloaded)
        patches = comfy.lora.load_lora(lora, key_map, log_missing=True)
        logging.getLogger().removeHandler(unloaded)
        got, want, worst, bad = [], [], 0.0, 0
        for key, patch in patches.items():
            w0 = sd[key]
            # ModelPatcher.add_patches: (strength_patch, patch, strength_model, offset, function)
            w_new = comfy.lora.calculate_weight([(1.0, patch, 1.0, None, None)], w0.clone(), key)
            name = name_of[key]
            exp = expected(t, name, w0)
            if exp is None or torch.equal(w_new, w0):  # calculate_weight logs a mismatch and leaves the weight
                bad += 1
                continue
            worst = max(worst, err(w_new, exp))
            got.append(w_new - w0)
            want.append(t["deltas"][name])
        total = len(lora_stems(os.path.join(d, f)))
        rows.append(row("comfyui", f, len(patches) > 0, len(patches) - bad, total, worst if want else None, f"{exact_count(got, want)}{mismatch(bad)}; load_lora warned 'lora key not loaded' for {unloaded.n} keys", rel_err(got, want) if want else None))
    return {"commit": commit, "rows": rows, "keys": {k: v for k, v in key_map.items() if k.startswith("lora_unet_") and re.search(r"attn2_to_[kv]$", k)}}


# ---------- diffusers ----------

def get_model_file(path, weights_name=None, subfolder=None, **kw):
    """The local-file branch of diffusers' utils/hub_utils.py _get_model_file (no Hub here)."""
    if os.path.isfile(path):
        return path
    f = os.path.join(path, subfolder or "", weights_name)
    if os.path.isfile(f):
        return f
    raise EnvironmentError(f"Error no file named {weights_name} found in directory {path}.")


def check_diffusers(d):
    import torch
    import torch.nn as nn
    torch.manual_seed(0)  # the stand-in Attention modules' to_q / to_out initialisation
    t = truth(d)
    root = tempfile.mkdtemp(prefix="diffusers-")
    real = ["loaders/unet.py", "loaders/lora_base.py", "loaders/lora_pipeline.py", "loaders/lora_conversion_utils.py",
            "loaders/textual_inversion.py", "models/attention.py", "models/attention_processor.py"]
    commit = peer_shim.materialise(GIT["diffusers"], [(f"src/diffusers/{f}", f"diffusers/{f}") for f in real], root,
                                   ["diffusers", "diffusers/loaders", "diffusers/models"])
    sys.path.insert(0, root)
    peer_shim.install_safetensors()
    peer_shim.stub_prefixes(["diffusers", "huggingface_hub", "tokenizers", "transformers", "PIL", "accelerate", "peft"])
    peer_shim.stub("diffusers.utils", _get_model_file=get_model_file)
    peer_shim.stub("diffusers.utils.state_dict_utils", _load_sft_state_dict_metadata=lambda f: None, _load_sft_file_metadata=lambda f: None)
    peer_shim.stub("diffusers.hooks.group_offloading", _is_group_offload_enabled=lambda m: False, _maybe_remove_and_reapply_group_offloading=lambda m: None)
    from diffusers.loaders.lora_pipeline import StableDiffusionLoraLoaderMixin
    from diffusers.loaders.textual_inversion import TextualInversionLoaderMixin
    from diffusers.loaders.unet import UNet2DConditionLoadersMixin
    from diffusers.models.attention import AttentionMixin
    from diffusers.models.attention_processor import Attention, CustomDiffusionAttnProcessor

    class UNet(nn.Module, AttentionMixin, UNet2DConditionLoadersMixin):
        """Stand-in UNet2DConditionModel: SD 1.5's 32 real Attention modules under diffusers' names."""
        def __init__(self):
            super().__init__()
            mods = []
            for layer, w, _ in sd15_layers():
                a1 = Attention(query_dim=w, heads=8, dim_head=w // 8)
                a2 = Attention(query_dim=w, cross_attention_dim=768, heads=8, dim_head=w // 8)
                for p in ("to_k", "to_v"):
                    getattr(a2, p).weight.data = base_weight(t, f"{layer}.attn2.{p}.weight", (w, 768))
                mods += [(f"{layer}.attn1", a1), (f"{layer}.attn2", a2)]
            for path, m in mods:
                cur = self
                for part in path.split(".")[:-1]:
                    if not hasattr(cur, part):
                        cur.add_module(part, nn.Module())
                    cur = getattr(cur, part)
                cur.add_module(path.split(".")[-1], m)

        dtype = torch.float32
        device = torch.device("cpu")

    rows = []
    prompt = re.search(r"diffusers:.*?\n  prompt: (.*)", t["usage"]).group(1)
    rows += diffusers_embeddings(d, t, TextualInversionLoaderMixin, prompt)
    cd = [f for f in t["files"] if f.endswith("_custom_diffusion.safetensors")]
    for f in cd:
        rows += diffusers_custom_diffusion(d, f, t, UNet, CustomDiffusionAttnProcessor)
    for f in kv_files(t):
        rows.append(diffusers_lora(d, f, t, StableDiffusionLoraLoaderMixin))
    return {"commit": commit, "rows": rows, "keys": sorted(UNet().attn_processors.keys())}


def diffusers_embeddings(d, t, Mixin, prompt):
    import torch
    import torch.nn as nn

    class Tokenizer:  # the transformers CLIPTokenizer calls load_textual_inversion makes
        def __init__(self):
            self.vocab = {f"w{i}": i for i in range(100)}
            self.added_tokens_encoder = {}

        def get_vocab(self):
            return dict(self.vocab)

        def __len__(self):
            return len(self.vocab)

        def add_tokens(self, tok):
            self.vocab.setdefault(tok, len(self.vocab))
            self.added_tokens_encoder[tok] = self.vocab[tok]

        def convert_tokens_to_ids(self, tok):
            return self.vocab[tok]

    class TextEncoder(nn.Module):  # the transformers CLIPTextModel calls it makes
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(100, 768)
            self.device, self.dtype = torch.device("cpu"), torch.float32

        def get_input_embeddings(self):
            return self.emb

        def resize_token_embeddings(self, n):
            old = self.emb
            self.emb = nn.Embedding(n, old.weight.shape[1])
            self.emb.weight.data[: old.weight.shape[0]] = old.weight.data

    class Pipe(Mixin):
        hf_device_map = None
        components = {}

        def __init__(self):
            self.tokenizer, self.text_encoder = Tokenizer(), TextEncoder()

    rows = []
    for f in emb_files(t):
        pipe = Pipe()
        try:
            pipe.load_textual_inversion(os.path.join(d, f))
        except ValueError as e:
            rows.append(row("diffusers", f, False, 0, 1, None, f"load_textual_inversion: ValueError: {str(e)[:120]}"))
            continue
        added = list(pipe.tokenizer.added_tokens_encoder)
        tok = added[0]
        got = pipe.text_encoder.get_input_embeddings().weight.data[pipe.tokenizer.convert_tokens_to_ids(tok)]
        rows.append(row("diffusers", f, True, len(added), 1, err(got, t["embeddings"][tok].reshape(-1)),
                        f'token "{tok}"; in the printed prompt: {tok in prompt.split()}'))
    return rows


def diffusers_custom_diffusion(d, f, t, UNet, Proc):
    import torch
    rows = []
    # 1. as diffusers' docs call it: unet.load_attn_procs(folder, weight_name=...) -- no _pipeline
    unet = UNet()
    before = {k: type(v).__name__ for k, v in unet.attn_processors.items()}
    unet.load_attn_procs(d, weight_name=f)
    after = {k: type(v).__name__ for k, v in unet.attn_processors.items()}
    changed = sum(1 for k in before if before[k] != after[k])
    rows.append(row("diffusers", f + " (load_attn_procs without _pipeline)", True, changed, len(before), None,
                    "parsed, then nothing applied: set_attn_processor sits inside `if _pipeline is not None`"))
    # 2. with _pipeline (what DiffusionPipeline passes), the processors are set
    unet = UNet()
    unet.load_attn_procs(d, weight_name=f, _pipeline=type("Pipe", (), {"components": {}, "hf_device_map": None})())
    procs = unet.attn_processors
    worst, mapped, got, want = 0.0, 0, [], []
    for layer, w, _ in sd15_layers():
        p = procs[f"{layer}.attn2.processor"]
        if not isinstance(p, Proc) or not p.train_kv:
            continue
        mapped += 1
        for proj in ("to_k", "to_v"):
            name = f"{layer}.attn2.{proj}.weight"
            w0 = base_weight(t, name, (w, 768))
            cur = getattr(p, f"{proj}_custom_diffusion").weight.data
            worst = max(worst, err(cur, expected(t, name, w0)))
            got.append(cur - w0)
            want.append(t["deltas"][name])
    empty = sum(1 for k, p in procs.items() if k.endswith("attn1.processor") and isinstance(p, Proc) and not p.train_kv)
    # one layer's forward through the real Attention + CustomDiffusionAttnProcessor vs softmax(QK^T/sqrt(d))V with W0+delta
    layer, w, _ = sd15_layers()[0]
    attn = unet.get_submodule(f"{layer}.attn2")
    g = torch.Generator().manual_seed(0)
    x, ctx = torch.randn(1, 16, w, generator=g), torch.randn(1, 77, 768, generator=g)
    with torch.no_grad():
        out = attn(x, encoder_hidden_states=ctx)
        wk = expected(t, f"{layer}.attn2.to_k.weight", base_weight(t, f"{layer}.attn2.to_k.weight", (w, 768)))
        wv = expected(t, f"{layer}.attn2.to_v.weight", base_weight(t, f"{layer}.attn2.to_v.weight", (w, 768)))
        h = 8
        q, k, v = attn.to_q(x), ctx @ wk.T, ctx @ wv.T
        split = lambda z: z.reshape(1, -1, h, w // h).transpose(1, 2)
        a = torch.softmax(split(q) @ split(k).transpose(-1, -2) / (w // h) ** 0.5, dim=-1) @ split(v)
        ref = attn.to_out[0](a.transpose(1, 2).reshape(1, -1, w))
    fwd = err(out, ref) / float(ref.abs().max())
    rows.append(row("diffusers", f, mapped == 16, mapped, 16, worst,
                    f"load_attn_procs(_pipeline=pipe): {mapped} attn2 Custom Diffusion processors, {empty} empty attn1; "
                    f"one layer's attention output vs W0+delta: {fwd:.1e} of its range", rel_err(got, want)))
    return rows


def diffusers_lora(d, f, t, Mixin):
    try:
        sd, alphas = Mixin.lora_state_dict(d, weight_name=f)
    except Exception as e:  # noqa: BLE001 - any refusal is the result
        return row("diffusers", f, False, 0, len(lora_stems(os.path.join(d, f))), None, f"lora_state_dict: ValueError: {str(e)[:100]}")
    # PEFT's LoRA merge (peft/tuners/lora/layer.py get_delta_weight): W0 + (alpha / r) * B @ A
    got, want, worst, mapped, bad = [], [], 0.0, 0, 0
    # the converter names keys "unet.<block>.processor.to_k_lora.down.weight" (old attention-processor LoRA layout);
    # utils/state_dict_utils.py convert_unet_state_dict_to_peft maps them to "<block>.to_k" lora_A (down) / lora_B (up)
    for k in sd:
        m = re.match(r"^unet\.(.+)\.processor\.(to_[qkv]|to_out)_lora\.down\.weight$", k)
        if not m:
            continue
        module = f"{m.group(1)}.{m.group(2)}"
        name = module + ".weight"
        A, B = sd[k], sd[k.replace(".down.weight", ".up.weight")]
        alpha = float((alphas or {}).get(k + ".alpha", A.shape[0]))
        shape = SD15_SHAPES.get(name)
        if shape is None or (B.shape[0], A.shape[1]) != shape:  # PEFT would fail to load the factors into this layer
            bad += 1
            continue
        w0 = base_weight(t, name, shape)
        mapped += 1
        w_new = w0 + (alpha / A.shape[0]) * (B @ A)
        worst = max(worst, err(w_new, expected(t, name, w0)))
        got.append(w_new - w0)
        want.append(t["deltas"][name])
    return row("diffusers", f, mapped > 0, mapped, len(lora_stems(os.path.join(d, f))), worst if want else None,
               f"lora_state_dict -> {len(sd)} diffusers keys; {exact_count(got, want)}{mismatch(bad)}; merged by PEFT's formula (PEFT not installed)",
               rel_err(got, want) if want else None)


# ---------- the report ----------

PEERS = {"a1111": check_a1111, "comfyui": check_comfyui, "diffusers": check_diffusers}
EXACT = 1e-6


def status(r, claimed):
    """green: loaded as the export means it; documented: a refusal or peer bug docs/ecosystem-io.md describes; else FAIL."""
    f, mapped, total = r["file"], *map(int, r["keys_mapped"].split("/"))
    full = mapped == total and total > 0 and r["loaded"]
    if "without _pipeline" in f:
        return "documented (diffusers applies nothing without _pipeline)" if mapped == 0 else "FAIL"
    if r["peer"] == "diffusers" and f == f"{TITLE}.safetensors":
        return f"documented (diffusers reads no .diff file; use {TITLE}_custom_diffusion.safetensors)" if not r["loaded"] else "FAIL"
    if "_lora_r" in f:
        ok = full and abs(r.get("relative_error", -1) - claimed) <= 1e-4
        return "green" if ok else "FAIL"
    return "green" if full and r["max_weight_error"] is not None and r["max_weight_error"] <= EXACT else "FAIL"


def run_peer(peer, d):
    p = subprocess.run([sys.executable, os.path.abspath(__file__), "--peer", peer, d], capture_output=True, text=True)
    if p.returncode != 0:
        return {"commit": None, "rows": [], "error": p.stderr.strip().splitlines()[-1] if p.stderr.strip() else f"exit {p.returncode}"}
    return json.loads(p.stdout.strip().splitlines()[-1])


def check(out_dir):
    report = {"peers": {}, "packs": {}}
    for pack in ("sd15", "default"):
        d = os.path.join(out_dir, pack)
        t = truth(d)
        lora_file = next(f for f in t["files"] if "_lora_r" in f)
        claimed = json.loads(peer_shim.read_metadata(os.path.join(d, lora_file))["disenstudio.svd"])["overall"]
        compat = {f: peer_shim.read_metadata(os.path.join(d, f)).get("disenstudio.compatibility", "") for f in t["files"]}
        rows = []
        for peer in PEERS:
            res = run_peer(peer, d)
            report["peers"][peer] = res.get("commit") or report["peers"].get(peer)
            if pack == "sd15":
                report.setdefault("keys", {})[{"a1111": "a1111KohyaToLdm", "comfyui": "comfyuiKeyMap", "diffusers": "diffusersAttnProcessors"}[peer]] = res.get("keys")
            if "error" in res:
                rows.append({"peer": peer, "file": "(all)", "loaded": False, "keys_mapped": "0/0", "max_weight_error": None,
                             "note": f"the peer's loader could not run here: {res['error']}", "status": "FAIL"})
            for r in res["rows"]:
                base = r["file"].split(" ")[0]
                if pack == "default":
                    r["status"] = "not for SD 1.x tools" if compat.get(base, "").startswith("not for SD 1.x tools") else "FAIL (file claims SD 1.x)"
                else:
                    r["status"] = status(r, claimed)
                rows.append(r)
        report["packs"][pack] = {"files": t["files"], "lora_claimed_relative_error": claimed, "rows": rows,
                                 "every_file_says_not_for_sd1": all(v.startswith("not for SD 1.x tools") for v in compat.values())}
    sd = report["packs"]["sd15"]
    report["ok"] = (all(not r["status"].startswith("FAIL") for p in report["packs"].values() for r in p["rows"])
                    and report["packs"]["default"]["every_file_says_not_for_sd1"]
                    and all(any(r["file"] == f and r["status"] == "green" for r in sd["rows"]) for f in sd["files"]))
    return report


def fmt(x):
    return "-" if x is None else f"{x:.2e}" if isinstance(x, float) else str(x)


def print_table(rep):
    print("peer commits: " + ", ".join(f"{k} {(v or '?')[:10]}" for k, v in rep["peers"].items()))
    for pack, p in rep["packs"].items():
        label = "SD 1.5-shaped pack (random weights)" if pack == "sd15" else "default-model pack"
        print(f"\n{label}: LoRA file claims relative error {p['lora_claimed_relative_error']:.4f}")
        print(f"{'peer':<10} {'file':<58} {'loaded':<7} {'keys':<6} {'max err':<9} {'rel err':<9} status")
        for r in p["rows"]:
            print(f"{r['peer']:<10} {r['file']:<58} {str(r['loaded']):<7} {r['keys_mapped']:<6} {fmt(r['max_weight_error']):<9} {fmt(r.get('relative_error')):<9} {r['status']}")
            if r["note"]:
                print(f"{'':<11}{r['note']}")
    print(f"\n{'ALL GREEN' if rep['ok'] else 'NOT GREEN'}: SD 1.5 exports load with each peer's code as documented; default-model files say \"not for SD 1.x tools\": {rep['packs']['default']['every_file_says_not_for_sd1']}")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--peer":
        print(json.dumps(PEERS[sys.argv[2]](sys.argv[3])))
    else:
        args = [a for a in sys.argv[1:] if not a.startswith("--")]
        if not args:
            sys.exit("usage: check_ecosystem.py <dir written by tools/ecosystem/exportsForCheck.ts writeCheckExports> [--json]")
        rep = check(args[0])
        fixture = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--fixture=")), None)
        if fixture:  # the peers' own key maps for SD 1.5, for test/train/pack/peerKeys.test.ts (no Python in tests)
            with open(fixture, "w") as fh:
                json.dump({"source": "tools/ecosystem/check_ecosystem.py --fixture", "commits": rep["peers"], **rep.pop("keys")}, fh, indent=1)
        rep.pop("keys", None)
        print(json.dumps(rep, indent=1)) if "--json" in sys.argv else print_table(rep)
        sys.exit(0 if rep["ok"] else 1)
