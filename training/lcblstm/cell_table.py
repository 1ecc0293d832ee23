"""Gathers training/lcblstm/cell-comparison.sh's measurements into training/results/cell-comparison.json and prints the
Markdown table for training/RESULTS.md.

  /usr/bin/python3 training/lcblstm/cell_table.py --out-dir training/work/cells --json training/results/cell-comparison.json \
      blstm bigru ulstm ugru ulstm-d3

Per variant it reads OUT/VARIANT/train/status.json (CPU and wall minutes, updates), model/model.json (shape,
parameters, epochs), model/model.onnx (size), greedy.json (evaluate.py), beam.json (tune-decoder.ts --json: the one
setting, the shipped decoder's) and OUT/rtf.json (bench/models-rtf.ts).

dev_cer and dev_wer_lm are means over the seven dev sets, each set counting once (as accept-model.sh counts them).
latency_ms is the algorithmic latency of the design: chunk + look-ahead for a latency-controlled bidirectional model,
which must wait for a whole window before it emits the window's first step; one 30 ms step + the output delay for a
unidirectional one, whose outputs do not depend on the chunk (export.py --chunk 1 runs it step by step).
latency_ms_as_exported is what the exported model waits for at the chunk it was trained with (16 steps).
"""
import argparse
import json
import os

STEP_MS = 30


def mean(xs):
    xs = list(xs)
    return sum(xs) / len(xs) if xs else None


def row(out_dir, variant, rtf):
    d = os.path.join(out_dir, variant)
    with open(os.path.join(d, "train", "status.json")) as f:
        status = json.load(f)
    with open(os.path.join(d, "model", "model.json")) as f:
        meta = json.load(f)
    with open(os.path.join(d, "greedy.json")) as f:
        greedy = next(iter(json.load(f).values()))
    with open(os.path.join(d, "beam.json")) as f:
        beam = json.load(f)
    setting = beam["settings"][0]
    per_set_lm = {os.path.basename(os.path.dirname(k)): v for k, v in setting["perSet"].items()}
    C, R, bi = meta["chunkFrames"], meta["lookaheadFrames"], meta["bidirectional"]
    r = next((x for x in rtf if os.path.normpath(x["model"]) == os.path.normpath(os.path.join(d, "model"))), None)
    return {
        "variant": variant,
        "cell": meta["cell"],
        "bidirectional": bi,
        "layers": meta["layers"],
        "hidden": meta["hidden"],
        "chunk_frames": C,
        "lookahead_frames": R if bi else 0,
        "output_delay_frames": 0 if bi else R,
        "params": meta["training"]["parameters"],
        "onnx_bytes": os.path.getsize(os.path.join(d, "model", "model.onnx")),
        "train_minutes": round(status["minutes"], 2),
        "train_clock": status.get("clock", "wall"),
        "wall_minutes": round(status["wall_minutes"], 1) if "wall_minutes" in status else None,
        "updates": status["updates"],
        "epochs": round(meta["training"].get("epochs", 0.0), 2),
        "dev_cer": round(mean(v["cer"] for v in greedy.values()), 4),
        "dev_cer_per_set": {k: round(v["cer"], 4) for k, v in greedy.items()},
        "dev_wer_lm": round(setting["wer"], 4),
        "dev_wer_lm_per_set": {k: round(v, 4) for k, v in per_set_lm.items()},
        "decoder": {k: setting[k] for k in ("beamWidth", "beamThreshold", "alpha", "beta", "oovLog10")},
        "rtf": r["rtf"]["total"] if r else None,
        "rtf_parts": r["rtf"] if r else None,
        "latency_ms": (C + R) * STEP_MS if bi else (1 + R) * STEP_MS,
        "latency_ms_as_exported": (C + R) * STEP_MS,
    }


def markdown(rows):
    pct = lambda x: f"{100 * x:.2f} %"  # noqa: E731
    lines = ["| model | params | ONNX MB | CPU min (updates) | dev CER greedy | real-dev / so-dev CER | "
             "dev WER beam+LM | real-dev / so-dev WER | RTF | latency ms |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for x in rows:
        name = ("LC-Bi" if x["bidirectional"] else "uni-") + x["cell"].upper()
        if x["output_delay_frames"]:
            name += f", delay {x['output_delay_frames']}"
        c, w = x["dev_cer_per_set"], x["dev_wer_lm_per_set"]
        lines.append(
            f"| {name} | {x['params'] / 1e6:.2f} M | {x['onnx_bytes'] / 1e6:.1f} | {x['train_minutes']:.1f} "
            f"({x['updates']}) | {pct(x['dev_cer'])} | {pct(c.get('real-dev', 0))} / {pct(c.get('so-dev', 0))} | "
            f"{pct(x['dev_wer_lm'])} | {pct(w.get('real-dev', 0))} / {pct(w.get('so-dev', 0))} | "
            f"{'—' if x['rtf'] is None else format(x['rtf'], '.4f')} | {x['latency_ms']} |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out-dir", default="training/work/cells")
    ap.add_argument("--json", default="training/results/cell-comparison.json")
    ap.add_argument("variants", nargs="+")
    args = ap.parse_args()
    rtf_path = os.path.join(args.out_dir, "rtf.json")
    rtf = json.load(open(rtf_path)) if os.path.exists(rtf_path) else []
    rows = [row(args.out_dir, v, rtf) for v in args.variants]
    os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
    with open(args.json, "w") as f:
        json.dump(rows, f, indent=1)
        f.write("\n")
    print(markdown(rows))
    print(f"\nwritten to {args.json}")


if __name__ == "__main__":
    main()
