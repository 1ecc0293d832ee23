"""Greedy CTC decoding CER / WER on `hearken features` dumps.

CLI:
  /usr/bin/python3 training/lcblstm/evaluate.py --model models/en-lcblstm-small [--model ...] \
      --dev real-dev=training/work/features/real-dev --dev synth-dev=training/work/features/synth-dev [--json out.json]
  /usr/bin/python3 training/lcblstm/evaluate.py --model models/en-lcblstm-medium --sample 250 \
      --dev real-train=training/work/features/real-train --dev real-dev=training/work/features/real-dev
  (how far the training speakers' error is from the held-out ones': the model's generalisation gap)
  (--model accepts a model folder / model.onnx (weights read from the ONNX initializers) or a training
  checkpoint .pt)
"""
import argparse
import json
import math
import os
import random
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cmn import normalise_stacked  # noqa: E402
from dataset import Dump, load_items  # noqa: E402
from model import VOCAB, decode_greedy  # noqa: E402


def edit_distance(a, b):
    """Levenshtein distance between two sequences."""
    if len(a) < len(b):
        a, b = b, a
    if not b:
        return len(a)
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def score_pair(ref, hyp):
    """-> [char_errors, ref_chars, word_errors, ref_words, 1]"""
    ref = " ".join(ref.split())
    hyp = " ".join(hyp.split())
    rw, hw = ref.split(), hyp.split()
    return [edit_distance(ref, hyp), len(ref), edit_distance(rw, hw), len(rw), 1]


def eval_items(model, items, batch_steps=6000, max_utts=32, rank=0, world=1, examples=0, device="cpu", phases=1):
    """Greedy decode `items` (this rank's share: index % world == rank).  Returns (counts[5], examples).
    phases > 1 decodes every utterance once per stacking phase (raw frames 0, 1, ... skipped) and pools the
    counts: a model's errors move with the phase, by up to a point of CER on a small dev set, so comparing two
    models at one phase is partly comparing their luck."""
    model.eval()
    C, R = model.chunk, model.lookahead
    mine = [it for i, it in enumerate(items) if i % world == rank]
    mine.sort(key=lambda it: it.steps)
    mean = model.mean.cpu().numpy()
    counts = np.zeros(5, dtype=np.float64)
    ex = []
    with torch.no_grad():
        for phase in range(phases):
            feats = [normalise_stacked(it.dump.features(it.idx, phase), model.cmn) for it in mine]
            i = 0
            while i < len(mine):
                T = max(1, math.ceil(len(feats[i]) / C)) * C + R
                j = i
                while j < len(mine) and j - i < max_utts:
                    Tj = max(1, math.ceil(len(feats[j]) / C)) * C + R
                    if (j - i + 1) * Tj > batch_steps and j > i:
                        break
                    T = max(T, Tj)
                    j += 1
                x = np.tile(mean, (j - i, T, 1)).astype(np.float32)
                for b in range(i, j):
                    x[b - i, :len(feats[b])] = feats[b]
                ids = model(torch.from_numpy(x).to(device)).argmax(-1).cpu().numpy()
                for b in range(i, j):
                    k = max(1, math.ceil(len(feats[b]) / C)) * C  # the whole last (padded) window, as streamed
                    hyp = decode_greedy(ids[b - i, :k].tolist())
                    ref = mine[b].dump.utts[mine[b].idx]["transcript"]
                    counts += score_pair(ref, hyp)
                    if len(ex) < examples:
                        ex.append((ref, hyp))
                i = j
    return counts, ex


def rates(counts, phases=1):
    ce, cn, we, wn, n = counts
    return {"cer": float(ce / max(cn, 1)), "wer": float(we / max(wn, 1)), "utterances": int(round(n / phases)),
            "words": int(round(wn / phases))}


def load_model_any(path):
    """Model folder / .onnx (ONNX initializers + model.json) or training checkpoint (.pt)."""
    from export import load_from_onnx
    from model import LCRNN
    if path.endswith(".pt"):
        ck = torch.load(path, map_location="cpu")
        m = LCRNN(**ck["model_config"])
        m.load_state_dict(ck["model"])
        return m
    if os.path.isdir(path):
        path = os.path.join(path, "model.onnx")
    return load_from_onnx(path)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", action="append", required=True)
    ap.add_argument("--dev", action="append", required=True, help="NAME=DUMPDIR")
    ap.add_argument("--max-utts", type=int, default=0, help="evaluate at most this many utterances per set")
    ap.add_argument("--sample", type=int, default=0,
                    help="evaluate this many utterances drawn at random (seed 5) per set: a training set's fit")
    ap.add_argument("--examples", type=int, default=3)
    ap.add_argument("--json", help="write results here")
    args = ap.parse_args()
    torch.set_num_threads(1)
    results = {}
    for mp in args.model:
        model = load_model_any(mp)
        results[mp] = {}
        for spec in args.dev:
            name, d = spec.split("=", 1) if "=" in spec else (os.path.basename(spec.rstrip("/")), spec)
            items, skipped = load_items(Dump(d), min_steps=1, feasible_only=False)
            if args.sample:
                random.Random(5).shuffle(items)
                items = items[:args.sample]
            if args.max_utts:
                items = items[:args.max_utts]
            t0 = time.time()
            counts, ex = eval_items(model, items, examples=args.examples)
            r = rates(counts)
            r["seconds"] = round(time.time() - t0, 1)
            results[mp][name] = r
            print(f"{mp}  {name}: CER {100 * r['cer']:.2f}%  WER {100 * r['wer']:.2f}%  "
                  f"({r['utterances']} utts, {r['words']} words, {r['seconds']} s)", flush=True)
            for ref, hyp in ex:
                print(f"    REF: {ref}\n    HYP: {hyp}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
