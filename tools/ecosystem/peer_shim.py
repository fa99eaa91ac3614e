# Runs peers' own Python source (bare git dirs, unchanged files) on Debian's python3-torch without installing them:
# - a pure-Python `safetensors` / `safetensors.torch` (8-byte little-endian header length, JSON header, raw
#   little-endian data; the subset the peers call: load_file, load, save_file, safe_open, SafetensorError);
# - `materialise(git_dir, files, root)`: copies the named peer files into a throw-away package tree;
# - `stub_prefixes(...)`: every other module under the given prefixes (and missing third-party packages such as
#   gradio, PIL, transformers) becomes a stand-in whose attributes are `Stub`s: callable (as a decorator it returns
#   the function unchanged), falsy (so `if is_xformers_available():` takes the plain path), usable as a base class.
# Used by check_ecosystem.py. The stand-ins replace only what the checked loader functions import but never use;
# what they do use is set explicitly by the check (documented there).
import importlib.abc
import importlib.machinery
import json
import os
import struct
import subprocess
import sys
import types

import numpy as np
import torch

DTYPES = {"F32": (torch.float32, np.float32), "F16": (torch.float16, np.float16), "F64": (torch.float64, np.float64),
          "I64": (torch.int64, np.int64), "I32": (torch.int32, np.int32), "U8": (torch.uint8, np.uint8)}
NAMES = {v[0]: k for k, v in DTYPES.items()}


class SafetensorError(Exception):
    pass


def _parse(data):
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode("utf-8"))
    meta = header.pop("__metadata__", None) or {}
    base = 8 + n
    out = {}
    for k, v in header.items():
        a, b = v["data_offsets"]
        arr = np.frombuffer(data[base + a:base + b], dtype=DTYPES[v["dtype"]][1]).reshape(v["shape"])
        out[k] = torch.from_numpy(arr.copy())
    return out, meta


def load_file(filename, device="cpu"):
    with open(filename, "rb") as f:
        return _parse(f.read())[0]


def load(data):
    return _parse(data)[0]


def read_metadata(filename):
    with open(filename, "rb") as f:
        return _parse(f.read())[1]


def save_file(tensors, filename, metadata=None):
    header, blobs, off = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for k, t in tensors.items():
        b = t.detach().contiguous().cpu().numpy().tobytes()
        header[k] = {"dtype": NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(filename, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


class safe_open:
    def __init__(self, filename, framework="pt", device="cpu"):
        with open(filename, "rb") as f:
            self._t, self._m = _parse(f.read())

    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False

    def keys(self):
        return list(self._t.keys())

    def get_tensor(self, k):
        return self._t[k]

    def metadata(self):
        return self._m


def install_safetensors():
    st = types.ModuleType("safetensors")
    st.__path__ = []
    pt = types.ModuleType("safetensors.torch")
    for m in (st, pt):
        m.load_file, m.load, m.save_file, m.safe_open, m.SafetensorError = load_file, load, save_file, safe_open, SafetensorError
    st.torch = pt
    sys.modules["safetensors"], sys.modules["safetensors.torch"] = st, pt


class Stub:
    """Any name a peer imports and the check never exercises."""

    def __init__(self, name):
        self._name = name

    def __call__(self, *a, **k):
        if len(a) == 1 and not k and callable(a[0]) and not isinstance(a[0], Stub):
            return a[0]
        return Stub(self._name + "()")

    def __getattr__(self, k):
        if k.startswith("__"):
            raise AttributeError(k)
        return Stub(f"{self._name}.{k}")

    def __getitem__(self, k):
        return Stub(f"{self._name}[]")

    def __bool__(self):
        return False

    def __iter__(self):
        return iter(())

    def __mro_entries__(self, bases):
        return (object,)

    def __repr__(self):
        return f"<stub {self._name}>"


class StubModule(types.ModuleType):
    def __init__(self, name):
        super().__init__(name)
        self.__path__ = []
        self.__stub__ = True

    def __getattr__(self, k):
        if k.startswith("__"):
            raise AttributeError(k)
        return Stub(f"{self.__name__}.{k}")


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def __init__(self, prefixes):
        self.prefixes = prefixes

    def find_spec(self, name, path, target=None):
        if any(name == p or name.startswith(p + ".") for p in self.prefixes):
            return importlib.machinery.ModuleSpec(name, self, is_package=True)
        return None

    def create_module(self, spec):
        return StubModule(spec.name)

    def exec_module(self, module):
        pass


def stub_prefixes(prefixes):
    """Modules under `prefixes` that no real file provides become StubModules (finder placed after the path finders)."""
    sys.meta_path.append(_Finder(list(prefixes)))


def stub(name, **attrs):
    """A StubModule registered now under `name`, with `attrs` set (what the check needs from it)."""
    m = sys.modules.get(name) or StubModule(name)
    for k, v in attrs.items():
        setattr(m, k, v)
    sys.modules[name] = m
    if "." in name:
        import importlib
        parent, _, leaf = name.rpartition(".")
        setattr(importlib.import_module(parent), leaf, m)
    return m


def materialise(git_dir, files, root, package_inits=()):
    """Writes `files` (repository paths, or (repository path, target path)) from HEAD of `git_dir` under `root`;
    `package_inits`: folders given an empty __init__.py (the peers' own would import everything)."""
    for f in files:
        src, dst = f if isinstance(f, tuple) else (f, f)
        text = subprocess.check_output(["git", "--git-dir", git_dir, "show", f"HEAD:{src}"])
        path = os.path.join(root, dst)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as out:
            out.write(text)
    for d in package_inits:
        os.makedirs(os.path.join(root, d), exist_ok=True)
        open(os.path.join(root, d, "__init__.py"), "w").close()
    return subprocess.check_output(["git", "--git-dir", git_dir, "rev-parse", "HEAD"], text=True).strip()
