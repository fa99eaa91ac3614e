#!/usr/bin/python3
# Oracle for scheduler configs honoured key by key: runs diffusers' own scheduler code (the fetched source,
# through diffusers_shim.py) on folder scheduler_config.json files that set timestep_spacing, steps_offset,
# set_alpha_to_one, clip_sample (+ clip_sample_range), rescale_betas_zero_snr and prediction_type, building each
# sampler of the studio's registry with diffusers' from_config semantics (keys the class takes are used, absent
# ones take the class's own default). Writes test/fixtures/diffusion/scheduler-configs.json: per config x
# sampler the timesteps, sigmas, init_noise_sigma and the full loop's final sample on the deterministic dummy
# model of tools/fixtures/schedulers.py. Tests never run this.
# Usage: DIFFUSERS_GIT=/path/to/diffusers.git /usr/bin/python3 tools/ecosystem/scheduler_configs.py
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(__file__))
import diffusers_shim  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
mods, torch_utils, commit = diffusers_shim.load(os.environ["DIFFUSERS_GIT"])
SD = {"beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "scaled_linear", "num_train_timesteps": 1000}

# sampler name (registry) -> (diffusers class, the keys that define that sampler, step kwargs)
SAMPLERS = {
    "DDIM": (mods["scheduling_ddim"].DDIMScheduler, {}, {"eta": 0.0}),
    "DDPM": (mods["scheduling_ddpm"].DDPMScheduler, {}, {}),
    "Euler": (mods["scheduling_euler_discrete"].EulerDiscreteScheduler, {"use_karras_sigmas": False}, {}),
    "Euler a": (mods["scheduling_euler_ancestral_discrete"].EulerAncestralDiscreteScheduler, {}, {}),
    "DPM++ 2M": (mods["scheduling_dpmsolver_multistep"].DPMSolverMultistepScheduler, {"use_karras_sigmas": False}, {}),
    "DPM++ 2M Karras": (mods["scheduling_dpmsolver_multistep"].DPMSolverMultistepScheduler, {"use_karras_sigmas": True}, {}),
}

with open(os.path.join(ROOT, "public/models/default/scheduler/scheduler_config.json")) as f:
    DEFAULT_MODEL = json.load(f)

CONFIGS = {
    "sd15 saved by diffusers 0.30 (PNDM, leading, no clip_sample key)": {"_class_name": "PNDMScheduler", **SD, "set_alpha_to_one": False, "skip_prk_steps": True, "steps_offset": 1, "timestep_spacing": "leading", "prediction_type": "epsilon", "trained_betas": None},
    "trailing, steps_offset 0": {"_class_name": "DDIMScheduler", **SD, "timestep_spacing": "trailing", "steps_offset": 0, "clip_sample": False, "set_alpha_to_one": False},
    "linspace, clip_sample with range 0.5": {"_class_name": "DDIMScheduler", **SD, "timestep_spacing": "linspace", "clip_sample": True, "clip_sample_range": 0.5, "set_alpha_to_one": False},
    "rescale_betas_zero_snr, trailing, v_prediction": {"_class_name": "DDIMScheduler", **SD, "timestep_spacing": "trailing", "rescale_betas_zero_snr": True, "prediction_type": "v_prediction", "clip_sample": False, "set_alpha_to_one": False},
    "leading, steps_offset 1, set_alpha_to_one": {"_class_name": "DDIMScheduler", **SD, "timestep_spacing": "leading", "steps_offset": 1, "set_alpha_to_one": True, "clip_sample": False},
    "betas only (every other key the class default)": {"_class_name": "DDIMScheduler", **SD},
    "the shipped default model": DEFAULT_MODEL,
}

N = 2 * 4 * 4 * 4
IDX = np.arange(N, dtype=np.float64)
STEPS = 10


def base_sample():
    return np.sin(0.1 * IDX + 0.3) * 0.8 + ((IDX % 7) - 3) * 0.1


def noise_at(k):
    return np.cos(1.3 * IDX + 0.7 * k) * 0.9


def model(x, t):
    return 0.1 * x * (t / 1000.0) + 0.05 * np.sin(0.37 * IDX + t / 100.0)


def run(cls, identity, step_kw, folder):
    sched = cls.from_config(folder, **identity)
    sched.set_timesteps(STEPS)
    x = torch.tensor(base_sample(), dtype=torch.float32).reshape(2, 4, 4, 4) * sched.init_noise_sigma
    for k, t in enumerate(sched.timesteps):
        x_in = sched.scale_model_input(x, t)
        out = torch.tensor(model(x_in.reshape(-1).double().numpy(), float(t)), dtype=torch.float32).reshape(x.shape)
        torch_utils.NOISE[:] = [torch.tensor(noise_at(k), dtype=torch.float32)]
        x = sched.step(out, t, x, **step_kw).prev_sample
    used = {k: v for k, v in sched.config.items() if k in folder or k in identity}
    return {
        "timesteps": [float(t) for t in sched.timesteps],
        "sigmas": [float(s) for s in sched.sigmas] if hasattr(sched, "sigmas") else None,
        "initNoiseSigma": float(sched.init_noise_sigma),
        "final": [float(v) for v in x.reshape(-1)],
        "effective": {k: sched.config[k] for k in ("timestep_spacing", "steps_offset", "clip_sample", "clip_sample_range", "set_alpha_to_one", "rescale_betas_zero_snr", "prediction_type") if k in sched.config},
        "fromFolder": sorted(used),
    }


cases = []
for cname, folder in CONFIGS.items():
    for sname, (cls, identity, step_kw) in SAMPLERS.items():
        cases.append({"config": cname, "folder": folder, "sampler": sname, "steps": STEPS, **run(cls, identity, step_kw, folder)})

out = {"generator": "tools/ecosystem/scheduler_configs.py", "diffusers": f"huggingface/diffusers@{commit}", "torch": torch.__version__, "cases": cases}
path = os.path.join(ROOT, "test/fixtures/diffusion/scheduler-configs.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
print(f"wrote {len(cases)} cases to {path}")
