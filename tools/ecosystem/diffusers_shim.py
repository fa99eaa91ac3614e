# Runs diffusers' own scheduler files (fetched source, unchanged) without installing diffusers: builds a
# throw-away `diffusers` package holding the real schedulers/scheduling_*.py next to small stand-ins for what
# they import (ConfigMixin/register_to_config, BaseOutput, randn_tensor, SchedulerMixin). Used by the check
# scripts of tools/ecosystem/. Needs Debian's python3-torch (/usr/bin/python3) and a diffusers git dir
# (DIFFUSERS_GIT, e.g. the bare clone the search tool's fetch brings).
import inspect
import os
import subprocess
import sys
import tempfile

SCHEDULER_FILES = ["scheduling_ddim", "scheduling_ddpm", "scheduling_euler_discrete",
                   "scheduling_euler_ancestral_discrete", "scheduling_dpmsolver_multistep"]

CONFIG = '''
import functools, inspect
class FrozenDict(dict):
    def __getattr__(self, k):
        try:
            return self[k]
        except KeyError as e:
            raise AttributeError(k) from e
class ConfigMixin:
    config_name = "scheduler_config.json"
    def register_to_config(self, **kw):
        cfg = dict(getattr(self, "_internal_dict", {}))
        cfg.update(kw)
        self._internal_dict = FrozenDict(cfg)
    @property
    def config(self):
        return self._internal_dict
    @classmethod
    def from_config(cls, config, **kw):
        """diffusers' from_config: keys the class's __init__ takes are used, the rest ignored, absent ones default."""
        params = inspect.signature(cls.__init__).parameters
        args = {k: v for k, v in {**dict(config), **kw}.items() if k in params and k != "self"}
        return cls(**args)
def register_to_config(init):
    @functools.wraps(init)
    def inner(self, *args, **kwargs):
        sig = inspect.signature(init)
        bound = sig.bind(self, *args, **kwargs)
        bound.apply_defaults()
        ConfigMixin.register_to_config(self, **{k: v for k, v in bound.arguments.items() if k != "self"})
        init(self, *args, **kwargs)
    return inner
'''

UTILS = '''
import logging as _logging
class BaseOutput:
    pass
def is_scipy_available():
    return False
def deprecate(*args, **kwargs):
    return None
class _Logging:
    def get_logger(self, name):
        return _logging.getLogger(name)
logging = _Logging()
'''

TORCH_UTILS = '''
import torch
NOISE = []
def randn_tensor(shape, generator=None, device=None, dtype=None, layout=None):
    """Ancestral noise from the check script (diffusers' samplers draw it here)."""
    return NOISE.pop(0).reshape(shape).to(dtype or torch.float32)
'''

SCHED_UTILS = '''
from dataclasses import dataclass
from enum import Enum
import torch
from ..utils import BaseOutput
class KarrasDiffusionSchedulers(Enum):
    DDIMScheduler = 1
    DDPMScheduler = 2
    PNDMScheduler = 3
    LMSDiscreteScheduler = 4
    EulerDiscreteScheduler = 5
    HeunDiscreteScheduler = 6
    EulerAncestralDiscreteScheduler = 7
    DPMSolverMultistepScheduler = 8
    DPMSolverSinglestepScheduler = 9
    KDPM2DiscreteScheduler = 10
    KDPM2AncestralDiscreteScheduler = 11
    DEISMultistepScheduler = 12
    UniPCMultistepScheduler = 13
    DPMSolverSDEScheduler = 14
    EDMEulerScheduler = 15
@dataclass
class SchedulerOutput(BaseOutput):
    prev_sample: torch.Tensor
class SchedulerMixin:
    config_name = "scheduler_config.json"
    _compatibles = []
    has_compatibles = True
'''


def load(git_dir):
    """Imports diffusers' real scheduler modules from `git_dir`; returns (module dict, torch_utils, commit)."""
    root = tempfile.mkdtemp(prefix="diffusers-shim-")
    pkg = os.path.join(root, "diffusers")
    os.makedirs(os.path.join(pkg, "schedulers"))
    os.makedirs(os.path.join(pkg, "utils"))
    files = {"__init__.py": "", "configuration_utils.py": CONFIG, "utils/__init__.py": UTILS,
             "utils/torch_utils.py": TORCH_UTILS, "schedulers/__init__.py": "", "schedulers/scheduling_utils.py": SCHED_UTILS}
    for path, text in files.items():
        with open(os.path.join(pkg, path), "w") as f:
            f.write(text)
    commit = subprocess.check_output(["git", "--git-dir", git_dir, "rev-parse", "HEAD"], text=True).strip()
    for name in SCHEDULER_FILES:
        src = subprocess.check_output(["git", "--git-dir", git_dir, "show", f"HEAD:src/diffusers/schedulers/{name}.py"], text=True)
        with open(os.path.join(pkg, "schedulers", f"{name}.py"), "w") as f:
            f.write(src)
    sys.path.insert(0, root)
    import importlib
    mods = {n: importlib.import_module(f"diffusers.schedulers.{n}") for n in SCHEDULER_FILES}
    return mods, importlib.import_module("diffusers.utils.torch_utils"), commit


def init_params(cls):
    return [p for p in inspect.signature(cls.__init__).parameters if p != "self"]
