#!/usr/bin/env python3
# Steps a DisenStudio training bundle (bundle.json) with onnxruntime + numpy: `python3 run.py <bundle dir> [--provider cpu|cuda]`.
# Same semantics as src/train/engine TrainingSession and run.mjs: fused step (or grads per micro-batch + update),
# state outputs fed back, a step whose `skipped` != 0 or non-finite gradNorm keeps the old state and does not
# advance Adam's t. Writes result.safetensors (trained params) and losses.json. Needs no safetensors package
# (the format is parsed with struct + json, huggingface/safetensors README). Never modifies the bundle's inputs.
import argparse
import json
import math
import os
import re
import struct
import sys

try:  # numpy is needed to step a bundle, not to check its paths (the path tests run without it)
    import numpy as np
except ImportError:  # pragma: no cover
    np = None

DTYPES = {"F32": np.dtype("<f4"), "I32": np.dtype("<i4")}


_FORBIDDEN = re.compile(r'[\\:*?"<>|\x00-\x1f\x7f]')


def unsafe_path_reason(path):
    """Why `path` is not a plain relative name inside its folder, or None: this runner's copy of src/lib/paths.ts
    (unsafePathReason), checked against the same case table as the TypeScript and JavaScript copies."""
    if not isinstance(path, str):
        return "not a string"
    if len(path) == 0:
        return "empty"
    if len(path) > 255:
        return "longer than 255 characters"
    if path.startswith("/"):
        return "absolute path"
    if _FORBIDDEN.search(path):
        return "holds a backslash, colon, wildcard, quote or control character"
    segments = path.split("/")
    if len(segments) > 8:
        return "more than 8 folders deep"
    for s in segments:
        if s == "":
            return "empty segment"
        if s in (".", ".."):
            return f'"{s}" segment'
        if s.strip() != s:
            return "a segment starts or ends with a space"
    return None


def inside_path(directory, path, field):
    """directory/path after checking `path` (manifest field `field`); raises naming the field, never reads the target."""
    reason = unsafe_path_reason(path)
    shown = json.dumps(path[:80]) if isinstance(path, str) else type(path).__name__
    manifest = os.path.join(directory, "bundle.json")
    if reason:
        raise ValueError(f'{manifest}: "{field}" must be a plain relative file name inside the bundle ({reason}); got {shown}. Nothing was read or written.')
    root = os.path.abspath(directory)
    full = os.path.abspath(os.path.join(root, *path.split("/")))
    if os.path.commonpath([root, full]) != root or full == root:
        raise ValueError(f'{manifest}: "{field}" leaves the bundle folder')
    return full


def manifest_paths(directory, m):
    """Every path the manifest names, checked before anything is read or written: field -> full path."""
    result = m.get("result") if isinstance(m.get("result"), dict) else {}
    out = {"state": inside_path(directory, m.get("state"), "state"), "result.file": inside_path(directory, result.get("file"), "result.file"), "result.losses": inside_path(directory, result.get("losses"), "result.losses")}
    graphs = m.get("graphs") if isinstance(m.get("graphs"), dict) else {}
    for k, g in graphs.items():
        g = g if isinstance(g, dict) else {}
        out[f"graphs.{k}.file"] = inside_path(directory, g.get("file"), f"graphs.{k}.file")
        if "externalData" in g:
            inside_path(directory, g["externalData"], f"graphs.{k}.externalData")
    pattern = (m.get("data") or {}).get("pattern") if isinstance(m.get("data"), dict) else None
    if not isinstance(pattern, str) or "%04d" not in pattern:
        raise ValueError(f'{os.path.join(directory, "bundle.json")}: "data.pattern" must be a file name holding %04d')
    inside_path(directory, pattern.replace("%04d", "0000"), "data.pattern")
    return out


def write_inside(full, field):
    """Refuses to write through a link (a bundle unpacked from an archive may hold one pointing anywhere)."""
    if os.path.islink(full):
        raise ValueError(f'{full} ("{field}") is a symbolic link; remove it, the runner writes only plain files inside the bundle')
    return full


def read_safetensors(path):
    """name -> numpy array (F32 / I32 only)."""
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n).decode("utf-8"))
        body = f.read()
    out = {}
    for name, h in header.items():
        if name == "__metadata__":
            continue
        if h["dtype"] not in DTYPES:
            raise ValueError(f"{path}: tensor {name!r} has dtype {h['dtype']}; bundles hold F32 and I32 only")
        dt = DTYPES[h["dtype"]]
        start, end = h["data_offsets"]
        arr = np.frombuffer(body, dtype=dt, count=(end - start) // dt.itemsize, offset=start)
        out[name] = arr.reshape(h["shape"]).astype(dt.newbyteorder("="), copy=True)
    return out


def write_safetensors(path, tensors, metadata):
    """Writes float32 tensors, names sorted, header padded with spaces to 8 bytes."""
    names = sorted(tensors)
    header = {"__metadata__": metadata}
    offset = 0
    blobs = []
    for name in names:
        data = np.ascontiguousarray(tensors[name], dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(np.shape(tensors[name])), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    js = json.dumps(header).encode("utf-8")
    js += b" " * ((8 - len(js) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(js)))
        f.write(js)
        for b in blobs:
            f.write(b)


def open_session(ort, path, graph, provider):
    providers = ["CUDAExecutionProvider", "CPUExecutionProvider"] if provider == "cuda" else ["CPUExecutionProvider"]
    session = ort.InferenceSession(path, providers=providers)
    return graph, session


def run_phase(phase, pool):
    """Runs a session on the inputs it declares, taken from `pool`; returns output name -> array."""
    graph, session = phase
    feeds = {}
    for i in session.get_inputs():
        if i.name not in pool:
            raise KeyError(f"{graph['file']}: no feed for input {i.name!r} (state, data or hyper-parameter missing)")
        feeds[i.name] = pool[i.name]
    names = [o.name for o in session.get_outputs()]
    return dict(zip(names, session.run(names, feeds)))


def step_once(m, phases, state, batch, hyper):
    """One optimizer step; returns (outputs of the last phase, micro-batch losses)."""
    if m["plan"] == "fused":
        out = run_phase(phases[0], {**batch(0), **state, **hyper})
        return out, [float(out[m["outputs"]["loss"]])]
    grads, update = phases
    acc = {k: np.zeros_like(state[k.split("/", 1)[1]]) for k in grads[0]["state"]}
    losses = []
    for micro in range(m["accumulation"]):
        g = run_phase(grads, {**batch(micro), **state, **acc})
        acc = {i: g[o] for i, o in grads[0]["state"].items()}
        losses.append(float(g[m["outputs"]["loss"]]))
    grad_feeds = {g_in: acc[acc_name] for g_in, acc_name in m["gradInputs"].items()}
    return run_phase(update, {**state, **grad_feeds, **hyper}), losses


def main():
    p = argparse.ArgumentParser(description="Step a DisenStudio training bundle with ONNX Runtime")
    p.add_argument("bundle")
    p.add_argument("--provider", choices=["cpu", "cuda"], default="cpu")
    a = p.parse_args()
    with open(os.path.join(a.bundle, "bundle.json"), encoding="utf-8") as f:
        m = json.load(f)
    if not isinstance(m, dict) or m.get("format") != "disenstudio-train-bundle" or m.get("version") != 1:
        raise ValueError(f"{a.bundle}/bundle.json is not a version-1 disenstudio-train-bundle")
    paths = manifest_paths(a.bundle, m)
    import onnxruntime as ort

    order = ["step"] if m["plan"] == "fused" else ["grads", "update"]
    phases = [open_session(ort, paths[f"graphs.{k}.file"], m["graphs"][k], a.provider) for k in order]
    state = read_safetensors(paths["state"])
    report = {"appliedSteps": 0, "skippedSteps": 0, "losses": [], "provider": a.provider}
    for step in range(m["steps"]):
        hyper = {m["hyper"]["lr"]: np.array(m["lrSchedule"]["value"], np.float32), m["hyper"]["step"]: np.array(report["appliedSteps"] + 1, np.float32)}

        def batch(micro):
            name = m["data"]["pattern"].replace("%04d", str(step * m["accumulation"] + micro).zfill(4))
            return read_safetensors(inside_path(a.bundle, name, "data.pattern"))

        out, losses = step_once(m, phases, state, batch, hyper)
        grad_norm = float(out[m["outputs"]["gradNorm"]])
        if float(out[m["outputs"]["skipped"]]) != 0 or not math.isfinite(grad_norm):
            report["skippedSteps"] += 1
        else:
            for i, o in phases[-1][0]["state"].items():
                state[i] = out[o]
            report["appliedSteps"] += 1
        report["losses"].append(sum(losses) / len(losses))
        line = f"step {step + 1}/{m['steps']} loss {report['losses'][-1]:.4f} gradNorm {grad_norm:.4f}"
        if sys.stderr.isatty():
            sys.stderr.write(f"\r{line}   ")
        elif (step + 1) % max(1, m["steps"] // 10) == 0:
            sys.stderr.write(line + "\n")
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    params = {name: state[name] for name in m["params"]}
    write_safetensors(write_inside(paths["result.file"], "result.file"), params, {"appliedSteps": str(report["appliedSteps"]), "provider": a.provider})
    with open(write_inside(paths["result.losses"], "result.losses"), "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2)
    print(json.dumps({"result": paths["result.file"], "appliedSteps": report["appliedSteps"], "skippedSteps": report["skippedSteps"]}))


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # one line, exit 1, like the TypeScript CLIs
        sys.stderr.write(f"run.py: {type(e).__name__}: {e}\n")
        sys.exit(1)
