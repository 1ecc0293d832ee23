"""Export a trained LC-(B)LSTM/GRU to a Hearken model folder (docs/model-format.md).

  /usr/bin/python3 training/lcblstm/export.py --checkpoint training/work/train/best.pt \
      --out models/en-lcblstm-small --name en-lcblstm-small \
      --ref-dump training/work/features/real-dev [--eval-json training/work/eval.json] [--verify]
  /usr/bin/python3 training/lcblstm/export.py --checkpoint models/NAME/model.onnx --out DIR --ref-dump ... --verify  (re-export)
  /usr/bin/python3 training/lcblstm/export.py --record-eval models/en-lcblstm-small --eval-json training/work/eval.json

Writes model.onnx (opset 17, one window [B, C+R, 90] -> log_probs [B, C, V] with carried forward states),
model.json, reference.json (PyTorch outputs for 4 consecutive windows of a real dev utterance, zero initial
states), the generated sections of README.md (the model card, card.py; text outside the generated block is kept)
and, for a model folder in the repository (models/NAME), features-golden.json (--features-golden).

The ONNX graph is written directly with onnx.helper (no tracing), using ONNX LSTM/GRU ops whose weights are
initializers with stable names, so that `load_from_onnx` (warm start, evaluation of a committed model) can
read them back:  norm.mean, norm.std [90];  l{i}.fwd.W/R/B, l{i}.bwd.W/R/B (ONNX gate order, shapes
[1, G*H, D], [1, G*H, H], [1, 2*G*H]);  out.W [Hout, V] (MatMul layout), out.b [V].  The matrices (W, R, out.W)
are stored as float16 by default (`--weights float32` keeps them float32) and cast to float32 inside the graph;
exported references and parity checks use the rounded weights.
"""
import argparse
import copy
import datetime
import hashlib
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from card import write_card  # noqa: E402
from cmn import normalise_stacked  # noqa: E402
from model import BLANK, VOCAB, LCRNN, pad_to_windows  # noqa: E402

FORMAT = "hearken-lcblstm-1"
OPSET = 17
DEFAULT_FEATURE_CONFIG = {"sampleRate": 16000, "frameLength": 512, "hopLength": 160, "window": "hanning",
                          "melBands": 40, "mfccCoefficients": 30, "inputScale": 32768}
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))  # training/lcblstm/ -> the repository

# torch gate order -> ONNX gate order
LSTM_TORCH_TO_ONNX = [0, 3, 1, 2]   # torch (i, f, g, o) -> onnx (i, o, f, c)
GRU_TORCH_TO_ONNX = [1, 0, 2]       # torch (r, z, n)    -> onnx (z, r, h)


def _reorder(t, order, H):
    return np.concatenate([t[g * H:(g + 1) * H] for g in order], 0)


def _inverse(order):
    inv = [0] * len(order)
    for i, o in enumerate(order):
        inv[o] = i
    return inv


def rnn_to_onnx(rnn, cell, H):
    order = LSTM_TORCH_TO_ONNX if cell == "lstm" else GRU_TORCH_TO_ONNX
    wi = rnn.weight_ih_l0.detach().numpy()
    wh = rnn.weight_hh_l0.detach().numpy()
    bi = rnn.bias_ih_l0.detach().numpy()
    bh = rnn.bias_hh_l0.detach().numpy()
    W = _reorder(wi, order, H)[None]
    R = _reorder(wh, order, H)[None]
    B = np.concatenate([_reorder(bi, order, H), _reorder(bh, order, H)])[None]
    return W.astype(np.float32), R.astype(np.float32), B.astype(np.float32)


def onnx_to_rnn(rnn, cell, H, W, R, B):
    order = _inverse(LSTM_TORCH_TO_ONNX if cell == "lstm" else GRU_TORCH_TO_ONNX)
    G = W.shape[1] // H
    with torch.no_grad():
        rnn.weight_ih_l0.copy_(torch.from_numpy(_reorder(W[0], order, H)))
        rnn.weight_hh_l0.copy_(torch.from_numpy(_reorder(R[0], order, H)))
        rnn.bias_ih_l0.copy_(torch.from_numpy(_reorder(B[0, :G * H], order, H)))
        rnn.bias_hh_l0.copy_(torch.from_numpy(_reorder(B[0, G * H:], order, H)))


def round_weights(model, weights):
    """The model as the ONNX file will hold it: with float16 storage its weight matrices rounded to float16 (biases
    and normalisation stay float32), so that reference outputs, parity checks and evaluations see those weights."""
    if weights == "float16":
        with torch.no_grad():
            for p in model.parameters():
                if p.dim() >= 2:
                    p.copy_(p.half().float())
    return model


def build_onnx(model, name="hearken", weights="float16"):
    """ONNX graph of one window, mirroring LCRNN.forward_window.  `weights`: how the weight matrices are stored
    (float16 halves the file; the graph casts them to float32 once, which onnxruntime folds at load)."""
    m = model
    C, R, H, L = m.chunk, m.lookahead, m.hidden, m.layers
    W_len = C + R
    lstm = m.is_lstm
    inits, nodes = [], []

    def init(nm, arr, dtype=np.float32):
        inits.append(numpy_helper.from_array(np.asarray(arr, dtype=dtype), nm))
        return nm

    def node(op, ins, outs, **attrs):
        nodes.append(helper.make_node(op, ins, outs, name=f"n{len(nodes)}_{op}", **attrs))
        return outs[0] if len(outs) == 1 else outs

    def matrix(nm, arr):
        """A trained weight matrix under its stable name, as the float32 tensor the ops read."""
        if weights == "float32":
            return init(nm, arr)
        init(nm, arr, np.float16)
        return node("Cast", [nm], [nm + ".f32"], to=TensorProto.FLOAT)

    init("norm.mean", m.mean.numpy())
    init("norm.std", m.std.numpy())
    i64 = np.int64
    init("c.zero", [0], i64); init("c.one", [1], i64); init("c.C", [C], i64); init("c.W", [W_len], i64)
    for li in range(L + 1):
        init(f"c.l{li}", [li], i64)

    x = node("Sub", ["features", "norm.mean"], ["x_centered"])
    x = node("Div", [x, "norm.std"], ["x_norm"])
    x = node("Transpose", [x], ["x_tbd"], perm=[1, 0, 2])  # [W, B, D]
    hn, cn = [], []
    for li in range(L):
        last = li == L - 1
        p = f"l{li}"
        fw = rnn_to_onnx(m.fwd[li], m.cell, H)
        fW, fR, fB = matrix(f"{p}.fwd.W", fw[0]), matrix(f"{p}.fwd.R", fw[1]), init(f"{p}.fwd.B", fw[2])
        h0 = node("Slice", ["h0", f"c.l{li}", f"c.l{li + 1}", "c.zero"], [f"{p}.h0"])
        rnn_op = "LSTM" if lstm else "GRU"
        extra = {} if lstm else {"linear_before_reset": 1}
        xc = node("Slice", [x, "c.zero", "c.C", "c.zero"], [f"{p}.x_chunk"]) if R > 0 else x
        if lstm:
            c0 = node("Slice", ["c0", f"c.l{li}", f"c.l{li + 1}", "c.zero"], [f"{p}.c0"])
            y, yh, yc = node(rnn_op, [xc, fW, fR, fB, "", h0, c0],
                             [f"{p}.fwd.Y", f"{p}.fwd.Yh", f"{p}.fwd.Yc"], hidden_size=H, direction="forward")
            cn.append(yc)
        else:
            y, yh = node(rnn_op, [xc, fW, fR, fB, "", h0],
                         [f"{p}.fwd.Y", f"{p}.fwd.Yh"], hidden_size=H, direction="forward", **extra)
        hn.append(yh)
        f = node("Squeeze", [y, "c.one"], [f"{p}.fwd.y"])  # [C, B, H]
        if R > 0 and (not last or not m.bidirectional):  # look-ahead steps: next layer's input, or the delayed output
            xl = node("Slice", [x, "c.C", "c.W", "c.zero"], [f"{p}.x_la"])
            if lstm:
                yl = node(rnn_op, [xl, fW, fR, fB, "", yh, yc],
                          [f"{p}.la.Y", f"{p}.la.Yh", f"{p}.la.Yc"], hidden_size=H, direction="forward")[0]
            else:
                yl = node(rnn_op, [xl, fW, fR, fB, "", yh],
                          [f"{p}.la.Y", f"{p}.la.Yh"], hidden_size=H, direction="forward", **extra)[0]
            yl = node("Squeeze", [yl, "c.one"], [f"{p}.la.y"])
            f = node("Concat", [f, yl], [f"{p}.fwd.win"], axis=0)  # [W, B, H]
        if m.bidirectional:
            bw = rnn_to_onnx(m.bwd[li], m.cell, H)
            bW, bR, bB = matrix(f"{p}.bwd.W", bw[0]), matrix(f"{p}.bwd.R", bw[1]), init(f"{p}.bwd.B", bw[2])
            outs = [f"{p}.bwd.Y"]
            yb = node(rnn_op, [x, bW, bR, bB], outs, hidden_size=H,
                      direction="reverse", **extra)
            b = node("Squeeze", [yb, "c.one"], [f"{p}.bwd.y"])
            if (last or R == 0) and R > 0:
                b = node("Slice", [b, "c.zero", "c.C", "c.zero"], [f"{p}.bwd.y_chunk"])
            x = node("Concat", [f, b], [f"{p}.out"], axis=2)
        else:
            x = f
    if m.emit_offset:  # unidirectional with an output delay: the C steps from R on
        init("c.E", [m.emit_offset], i64); init("c.EC", [m.emit_offset + C], i64)
        x = node("Slice", [x, "c.E", "c.EC", "c.zero"], ["emitted"])
    out_w = matrix("out.W", m.out.weight.detach().numpy().T)
    init("out.b", m.out.bias.detach().numpy())
    y = node("MatMul", [x, out_w], ["logits_mm"])
    y = node("Add", [y, "out.b"], ["logits"])
    y = node("LogSoftmax", [y], ["log_probs_tbv"], axis=2)
    node("Transpose", [y], ["log_probs"], perm=[1, 0, 2])
    node("Concat", hn, ["hn"], axis=0)
    if lstm:
        node("Concat", cn, ["cn"], axis=0)

    D = m.input_dim
    inputs = [helper.make_tensor_value_info("features", TensorProto.FLOAT, ["batch", W_len, D]),
              helper.make_tensor_value_info("h0", TensorProto.FLOAT, [L, "batch", H])]
    outputs = [helper.make_tensor_value_info("log_probs", TensorProto.FLOAT, ["batch", C, m.vocab]),
               helper.make_tensor_value_info("hn", TensorProto.FLOAT, [L, "batch", H])]
    if lstm:
        inputs.append(helper.make_tensor_value_info("c0", TensorProto.FLOAT, [L, "batch", H]))
        outputs.append(helper.make_tensor_value_info("cn", TensorProto.FLOAT, [L, "batch", H]))
    used = {i for n in nodes for i in n.input}
    inits = [t for t in inits if t.name in used]
    graph = helper.make_graph(nodes, name, inputs, outputs, initializer=inits)
    mp = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="hearken-training")
    mp.ir_version = 8
    onnx.checker.check_model(mp)
    return mp


def file_sha256(path):
    """The fingerprint of a model file: train.py records its warm start's, average.py checks it."""
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def read_model_json(onnx_path):
    p = os.path.join(os.path.dirname(os.path.abspath(onnx_path)), "model.json")
    if os.path.exists(p):
        with open(p) as f:
            return json.load(f)
    return None


def load_from_onnx(onnx_path, model=None):
    """Build (or fill) an LCRNN from an exported model.onnx (+ model.json next to it)."""
    mp = onnx.load(onnx_path)
    w = {t.name: np.array(numpy_helper.to_array(t)) for t in mp.graph.initializer}
    meta = read_model_json(onnx_path)
    if model is None:
        if meta is None:
            raise SystemExit(f"{onnx_path}: model.json missing next to it")
        model = LCRNN(input_dim=meta["inputDim"], layers=meta["layers"], hidden=meta["hidden"], cell=meta["cell"],
                      bidirectional=meta["bidirectional"], chunk=meta["chunkFrames"],
                      lookahead=meta["lookaheadFrames"], vocab=len(meta["vocabulary"]), cmn=meta.get("cmn"))
    H = model.hidden
    for li in range(model.layers):
        p = f"l{li}"
        if f"{p}.fwd.W" not in w:
            raise SystemExit(f"{onnx_path}: no initializer {p}.fwd.W (layers mismatch?)")
        onnx_to_rnn(model.fwd[li], model.cell, H, w[f"{p}.fwd.W"], w[f"{p}.fwd.R"], w[f"{p}.fwd.B"])
        if model.bidirectional:
            onnx_to_rnn(model.bwd[li], model.cell, H, w[f"{p}.bwd.W"], w[f"{p}.bwd.R"], w[f"{p}.bwd.B"])
    with torch.no_grad():
        model.out.weight.copy_(torch.from_numpy(w["out.W"].T.copy()))
        model.out.bias.copy_(torch.from_numpy(w["out.b"]))
    model.set_normalization(w["norm.mean"], w["norm.std"])
    return model


def make_reference(model, features, windows=4):
    """PyTorch outputs for the first `windows` windows of one utterance's raw stacked features."""
    C, R = model.chunk, model.lookahead
    windows = max(3, min(windows, max(3, math.ceil(features.shape[0] / C))))
    x = pad_to_windows(features, C, R, model.mean)
    need = windows * C + R
    if x.shape[0] < need:
        x = torch.cat([x, model.mean.expand(need - x.shape[0], -1)], 0)
    model.eval()
    state = model.zero_state(1)
    out = []
    with torch.no_grad():
        for k in range(windows):
            f = x[k * C:k * C + C + R][None]
            lp, state = model.forward_window(f, state)
            out.append({"features": f[0].tolist(), "logProbs": lp[0].tolist()})
    return {"windows": out}


def pick_reference_utterance(dump_dirs, model):
    from dataset import Dump
    need = 4 * model.chunk + model.lookahead
    for d in dump_dirs:
        if not d or not os.path.exists(os.path.join(d, "index.json")):
            continue
        dump = Dump(d)
        best = None
        for i in range(len(dump)):
            if dump.steps(i) >= need:
                return dump, i
            if best is None or dump.steps(i) > dump.steps(best):
                best = i
        if best is not None:
            return dump, best
    return None, None


def model_json(model, name, feature_config, training, weights="float16"):
    lstm = model.is_lstm
    return {
        "format": FORMAT, "name": name,
        "featureConfig": feature_config or DEFAULT_FEATURE_CONFIG,
        "stack": 3, "inputDim": model.input_dim, "frameShiftMs": 30,
        "chunkFrames": model.chunk, "lookaheadFrames": model.lookahead,
        "layers": model.layers, "hidden": model.hidden, "cell": model.cell, "bidirectional": model.bidirectional,
        "vocabulary": VOCAB, "blank": BLANK,
        "normalization": {"mean": [float(v) for v in model.mean.tolist()],
                          "std": [float(v) for v in model.std.tolist()]},
        "onnx": {"file": "model.onnx", "opset": OPSET, "weightMatrices": weights,
                 "inputs": {"features": "features", "states": ["h0", "c0"] if lstm else ["h0"]},
                 "outputs": {"logProbs": "log_probs", "states": ["hn", "cn"] if lstm else ["hn"]},
                 "stateShape": ["layers", "batch", "hidden"]},
        **({"cmn": model.cmn} if model.cmn else {}),
        "training": training,
    }


def verify_with_node(model_dir):
    """Run the ONNX graph with onnxruntime-node over reference.json; returns (ok, output)."""
    script = os.path.join(HERE, "verify-onnx.mjs")
    r = subprocess.run(["node", script, model_dir], cwd=REPO, capture_output=True, text=True)
    return r.returncode == 0, (r.stdout + r.stderr).strip()


def features_golden_wanted(out_dir, flag=None):
    """Whether to write OUT/features-golden.json: --features-golden / --no-features-golden when given, else when
    the folder lies in the repository outside its scratch (training/work/): models/NAME, whose fingerprint
    test/features/golden.test.ts checks, or test/fixtures/.  Candidates, cell-comparison models, selftest and /tmp
    exports are not tested and get none; accept-model.sh writes it when a candidate ships."""
    if flag is not None:
        return flag

    def inside(path, root):
        return os.path.commonpath([path, root]) == root
    out = os.path.realpath(out_dir)
    return inside(out, os.path.realpath(REPO)) and not inside(out, os.path.realpath(os.path.join(REPO, "training", "work")))


def write_features_golden(model_dir):
    """features-golden.json: the MFCC fingerprint, under the card's feature settings, of the recording that
    test/features/golden.test.ts decodes (scripts/features-golden.ts, run by node as --verify is)."""
    cmd = ["npx", "tsx", "scripts/features-golden.ts", os.path.abspath(model_dir)]
    r = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    out = (r.stdout + r.stderr).strip()
    if r.returncode != 0:
        raise SystemExit(f"writing {model_dir}/features-golden.json failed (the model itself is exported; run "
                         f"`{' '.join(cmd[:3])} {model_dir}` from the repository):\n{out[-1000:]}")
    print(out, flush=True)


def export_model(model, out_dir, name, training, feature_config=None, ref_dumps=(), verify=True, weights="float16"):
    """Write a complete model folder atomically-ish (into a temp dir, verified, then moved into place).
    Returns the model.json dict.  Raises RuntimeError when the ONNX parity check fails.  `model` is not changed."""
    model = round_weights(copy.deepcopy(model), weights).eval()
    os.makedirs(out_dir, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=".export-", dir=out_dir)
    try:
        mp = build_onnx(model, name, weights)
        onnx.save(mp, os.path.join(tmp, "model.onnx"))
        training = dict(training or {})
        training.setdefault("parameters", sum(p.numel() for p in model.parameters()))
        training["exported"] = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        meta = model_json(model, name, feature_config, training, weights)
        with open(os.path.join(tmp, "model.json"), "w") as f:
            json.dump(meta, f, indent=1)
        dump, idx = pick_reference_utterance(ref_dumps, model)
        if dump is not None:
            feats = normalise_stacked(dump.features(idx), model.cmn)
            src = {"dump": os.path.relpath(dump.path, REPO), "id": dump.utts[idx]["id"],
                   "transcript": dump.utts[idx]["transcript"]}
        else:  # no dump available: deterministic pseudo-features around the mean
            g = torch.Generator().manual_seed(0)
            feats = (model.mean + model.std * torch.randn(5 * model.chunk, model.input_dim, generator=g)).numpy()
            src = {"synthetic": True}
        ref = make_reference(model, feats)
        ref["source"] = src
        with open(os.path.join(tmp, "reference.json"), "w") as f:
            json.dump(ref, f)
        if verify:
            ok, out = verify_with_node(tmp)
            print(out, flush=True)
            if not ok:
                raise RuntimeError("ONNX parity check failed: " + out[-500:])
        for fn in ("model.onnx", "model.json", "reference.json"):
            os.replace(os.path.join(tmp, fn), os.path.join(out_dir, fn))
        write_card(os.path.join(out_dir, "README.md"), meta)
        return meta
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def record_eval(model_dir, eval_json):
    """Put evaluate.py --json results (first model in the file) into model.json's training.eval and the card."""
    with open(eval_json) as f:
        ev = json.load(f)
    res = next(iter(ev.values())) if ev else {}
    p = os.path.join(model_dir, "model.json")
    with open(p) as f:
        meta = json.load(f)
    meta.setdefault("training", {})["eval"] = res
    with open(p + ".tmp", "w") as f:
        json.dump(meta, f, indent=1)
    os.replace(p + ".tmp", p)
    write_card(os.path.join(model_dir, "README.md"), meta)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--record-eval", metavar="MODEL_DIR",
                    help="only record --eval-json results into MODEL_DIR/model.json and its card, then exit")
    ap.add_argument("--checkpoint", help="a training checkpoint (.pt), or a model's model.onnx to re-export")
    ap.add_argument("--out")
    ap.add_argument("--name")
    ap.add_argument("--ref-dump", action="append", default=[], help="dump dir(s) to take the reference utterance from")
    ap.add_argument("--eval-json", help="evaluate.py --json output to record in model.json/card")
    ap.add_argument("--verify", action="store_true", help="check ONNX parity with onnxruntime-node (recommended)")
    ap.add_argument("--ema", action="store_true",
                    help="export the checkpoint's moving average of the weights (train.py --ema) instead of the weights "
                         "as trained: continue.sh's candidate at the stop")
    ap.add_argument("--weights", choices=("float16", "float32"), default="float16",
                    help="storage of the weight matrices in model.onnx (float16 halves the file; computation is float32)")
    ap.add_argument("--features-golden", action=argparse.BooleanOptionalAction, default=None,
                    help="write OUT/features-golden.json (the MFCC fingerprint test/features/golden.test.ts checks; "
                         "scripts/features-golden.ts).  Default: when OUT is in the repository outside training/work/")
    ap.add_argument("--chunk", type=int,
                    help="unidirectional models only: the chunk (steps per window) to export with.  Their outputs do "
                         "not depend on the chunk, so a smaller one lowers the latency at some cost in speed")
    args = ap.parse_args()
    if args.record_eval:
        record_eval(args.record_eval, args.eval_json)
        print(f"recorded {args.eval_json} in {args.record_eval}/model.json and README.md")
        return
    if not args.checkpoint or not args.out:
        ap.error("--checkpoint and --out are required")
    if args.ema and args.checkpoint.endswith(".onnx"):
        ap.error("--ema needs a training checkpoint (.pt), not a model.onnx")
    torch.set_num_threads(1)
    if args.checkpoint.endswith(".onnx"):  # re-export a model folder (say with other weight storage), card and all
        src = read_model_json(args.checkpoint) or {}
        model = load_from_onnx(args.checkpoint)
        feature_config = src.get("featureConfig")
        training = dict(src.get("training", {}))
    else:
        ck = torch.load(args.checkpoint, map_location="cpu")
        model = LCRNN(**ck["model_config"])
        model.load_state_dict(ck["model"])
        feature_config = ck.get("feature_config")
        training = dict(ck.get("training_summary", {}))
        if args.ema:
            if not ck.get("ema"):
                raise SystemExit(f"{args.checkpoint} holds no moving average (trained without --ema)")
            from ema import WeightAverage
            avg = WeightAverage(model, ck["ema"]["decay"])
            avg.load_state_dict(ck["ema"])
            with torch.no_grad():
                for p, s in zip(model.parameters(), avg.shadow):
                    p.copy_(s)
            training["weights"] = "ema"
    if args.chunk:
        if model.bidirectional:
            ap.error("--chunk: a bidirectional model is trained for its chunk; only a unidirectional one can change it")
        if args.chunk < max(1, model.lookahead):
            ap.error(f"--chunk {args.chunk}: at least 1 and the output delay ({model.lookahead} steps)")
        model.chunk = args.chunk
    if args.eval_json:
        with open(args.eval_json) as f:
            ev = json.load(f)
        training["eval"] = next(iter(ev.values())) if ev else {}
    name = args.name or os.path.basename(os.path.normpath(args.out))
    meta = export_model(model, args.out, name, training, feature_config, args.ref_dump, args.verify, args.weights)
    size = os.path.getsize(os.path.join(args.out, "model.onnx"))
    print(f"exported {name} -> {args.out} ({size / 1e6:.1f} MB, {meta['training']['parameters']} parameters)")
    if features_golden_wanted(args.out, args.features_golden):
        write_features_golden(args.out)


if __name__ == "__main__":
    main()
