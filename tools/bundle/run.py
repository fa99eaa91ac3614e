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
import struct
import sys

import numpy as np

DTYPES = {"F32": np.dtype("<f4"), "I32": np.dtype("<i4")}


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


def open_session(ort, directory, graph, provider):
    providers = ["CUDAExecutionProvider", "CPUExecutionProvider"] if provider == "cuda" else ["CPUExecutionProvider"]
    session = ort.InferenceSession(os.path.join(directory, graph["file"]), providers=providers)
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
    import onnxruntime as ort

    with open(os.path.join(a.bundle, "bundle.json"), encoding="utf-8") as f:
        m = json.load(f)
    if m.get("format") != "disenstudio-train-bundle" or m.get("version") != 1:
        raise ValueError(f"{a.bundle}/bundle.json is not a version-1 disenstudio-train-bundle")
    order = ["step"] if m["plan"] == "fused" else ["grads", "update"]
    phases = [open_session(ort, a.bundle, m["graphs"][k], a.provider) for k in order]
    state = read_safetensors(os.path.join(a.bundle, m["state"]))
    report = {"appliedSteps": 0, "skippedSteps": 0, "losses": [], "provider": a.provider}
    for step in range(m["steps"]):
        hyper = {m["hyper"]["lr"]: np.array(m["lrSchedule"]["value"], np.float32), m["hyper"]["step"]: np.array(report["appliedSteps"] + 1, np.float32)}

        def batch(micro):
            name = m["data"]["pattern"].replace("%04d", str(step * m["accumulation"] + micro).zfill(4))
            return read_safetensors(os.path.join(a.bundle, name))

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
    write_safetensors(os.path.join(a.bundle, m["result"]["file"]), params, {"appliedSteps": str(report["appliedSteps"]), "provider": a.provider})
    with open(os.path.join(a.bundle, m["result"]["losses"]), "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2)
    print(json.dumps({"result": os.path.join(a.bundle, m["result"]["file"]), "appliedSteps": report["appliedSteps"], "skippedSteps": report["skippedSteps"]}))


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # one line, exit 1, like the TypeScript CLIs
        sys.stderr.write(f"run.py: {type(e).__name__}: {e}\n")
        sys.exit(1)
