"""Average the weights of several fine-tunes of one model (a "model soup") into a Hearken model folder.

  /usr/bin/python3 training/lcblstm/average.py --base models/NAME --out DIR [--name NAME] [--with-base] \
      [--ref-dump training/work/features/real-dev ...] [--verify] CANDIDATE_DIR CANDIDATE_DIR ...

Each CANDIDATE_DIR is an exported model folder (model.onnx + model.json), typically continue.sh's
WORKDIR/candidate.  All must be fine-tunes of --base (train.py records a fingerprint of the weights it warm-started
from): a parameter average only makes sense between weights that left one start together and stayed near it
(continue.sh's small learning rate); weights trained apart sit in different basins and their average is no model.  The
average is uniform, in float32 over the float16-rounded weights the candidates ship, and is exported through
export.py like any checkpoint (ONNX parity checked with --verify).  The result is a candidate for
accept-model.sh, which decides as for any other.

Why: continue.sh's fine-tunes on the CPU each end within a few hundredths of a point of the shipped model and are
refused one by one (training/README.md, fifteenth and sixteenth sessions); their average can be better than each of
them (Wortsman et al., "Model soups", 2022), at no cost at run time.  `--with-base` adds the base's own weights as one
more ingredient, so one fine-tune averaged with its start lands halfway back (weight-space ensembling, Wortsman et
al., "Robust fine-tuning of zero-shot models", 2022): a fine-tune that gained on new voices and lost on old ones
can keep part of each.

model.json's training record is the base's (data, settings, dev history) with the compute of every ingredient added
(minutes, updates and epochs beyond the base), `weights: "average"` and an `average` list naming each ingredient.
"""
import argparse
import os
import shutil
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export import export_model, file_sha256, load_from_onnx, read_model_json  # noqa: E402

# model.json fields that must agree for two models to be averaged parameter by parameter
ARCHITECTURE = ("format", "inputDim", "stack", "frameShiftMs", "chunkFrames", "lookaheadFrames", "layers", "hidden",
                "cell", "bidirectional", "vocabulary", "blank", "featureConfig", "normalization")


def model_path(folder):
    return os.path.join(folder, "model.onnx")


def read_meta(folder):
    meta = read_model_json(model_path(folder))
    if meta is None or not os.path.exists(model_path(folder)):
        raise SystemExit(f"{folder}: not a model folder (model.onnx and model.json expected)")
    return meta


def started_from(base_dir, base, meta):
    """Whether a model was fine-tuned from the base's weights.  By the fingerprint train.py records of the weights it
    warm-started from; for models trained before it did, by their history: the base's dev history is where theirs
    begins, and every row they added came after the base's training time (a model fine-tuned from an older version
    of the same folder fails this, its rows predating the newer base's minutes)."""
    t, bt = meta.get("training", {}), base.get("training", {})
    if not t.get("warmStart"):
        return False
    if t.get("warmStartSha256"):
        return t["warmStartSha256"] == file_sha256(model_path(base_dir))
    hist, bhist = t.get("devHistory", []), bt.get("devHistory", [])
    own = hist[len(bhist):]
    return bool(bhist) and hist[:len(bhist)] == bhist and bool(own) \
        and all(row.get("minutes", 0) >= bt.get("minutes", 0) for row in own)


def check_compatible(base_dir, base, folder, meta):
    for key in ARCHITECTURE:
        if meta.get(key) != base.get(key):
            raise SystemExit(f"{folder}: its {key} differs from {base_dir}'s; only fine-tunes of one model average")
    if not started_from(base_dir, base, meta):
        start = meta.get("training", {}).get("warmStart")
        raise SystemExit(f"{folder}: not fine-tuned from {base_dir} (warm start {start!r}); only fine-tunes of --base "
                         "average")


def average_models(models):
    """Uniform average of the parameters of architecturally identical LCRNNs, into a copy of the first."""
    with torch.no_grad():
        for same in zip(*(m.parameters() for m in models)):
            same[0].copy_(torch.stack(same).mean(0))
    return models[0]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("candidates", nargs="+", metavar="CANDIDATE_DIR",
                    help="exported fine-tunes of --base (two or more; one or more with --with-base)")
    ap.add_argument("--base", required=True, help="the model folder every candidate was warm-started from")
    ap.add_argument("--out", required=True)
    ap.add_argument("--name", help="model name (default: the base's)")
    ap.add_argument("--ref-dump", action="append", default=[], help="dump dir(s) to take the reference utterance from")
    ap.add_argument("--verify", action="store_true", help="check ONNX parity with onnxruntime-node (recommended)")
    ap.add_argument("--with-base", action="store_true", help="the base's weights join the average as one more ingredient")
    args = ap.parse_args()
    if len(args.candidates) + int(args.with_base) < 2:
        ap.error("give two or more candidates (or one with --with-base)")
    torch.set_num_threads(1)
    base = read_meta(args.base)
    base_training = base.get("training", {})
    metas = [read_meta(c) for c in args.candidates]
    for folder, meta in zip(args.candidates, metas):
        check_compatible(args.base, base, folder, meta)
    folders = ([args.base] if args.with_base else []) + args.candidates
    model = average_models([load_from_onnx(model_path(c)).eval() for c in folders])

    def beyond_base(meta, key):
        return meta["training"].get(key, 0) - base_training.get(key, 0)

    training = dict(base_training)
    training.pop("eval", None)  # the base's greedy results are not the average's; evaluate.py records those
    for key in ("minutes", "updates", "epochs"):  # the compute the average took: the base's plus every fine-tune's
        training[key] = base_training.get(key, 0) + sum(beyond_base(m, key) for m in metas)
    # where the fine-tunes say they started (the shipped model's path, when --base is a copy of an older version of it)
    starts = {m["training"]["warmStart"] for m in metas}
    training["warmStart"] = starts.pop() if len(starts) == 1 else model_path(args.base)
    training["warmStartSha256"] = file_sha256(model_path(args.base))
    training["weights"] = "average"
    training["average"] = [{"source": c, "minutes": round(beyond_base(m, "minutes"), 2),
                            "updates": beyond_base(m, "updates"), "weights": m["training"].get("weights", "raw"),
                            "data": [d.get("name") for d in m["training"].get("data", [])]}
                           for c, m in zip(args.candidates, metas)]
    if args.with_base:
        training["average"].insert(0, {"source": args.base, "minutes": 0, "updates": 0, "weights": "base"})
    name = args.name or base.get("name") or os.path.basename(os.path.normpath(args.out))
    os.makedirs(args.out, exist_ok=True)
    card = os.path.join(args.out, "README.md")
    if not os.path.exists(card) and os.path.exists(os.path.join(args.base, "README.md")):
        shutil.copy(os.path.join(args.base, "README.md"), card)  # export.py regenerates only its training block
    meta = export_model(model, args.out, name, training, base.get("featureConfig"), args.ref_dump, args.verify)
    print(f"averaged {len(args.candidates)} fine-tunes of {args.base}{' with the base' if args.with_base else ''} -> {args.out} "
          f"({meta['training']['parameters']} parameters)")


if __name__ == "__main__":
    main()
