#!/usr/bin/env bash
# Training on a lent GPU machine (the `device` tool), an option next to the CPU recipe, never a requirement.
#
# Only ~64 MiB of files travel per call, so the features go as compact packs (training/lcblstm/pack.py) over several
# calls to the same warm machine, and the last call trains on all of them:
#
#   training/tools/device-train.sh stash DIR                  # copy the pack folders in DIR to $STORE
#   training/tools/device-train.sh train MINUTES [train.py args]
#
# `train` runs training/lcblstm/train.py --device cuda for MINUTES of wall clock on every pack in $STORE, grouped as
# run.sh's train stage groups them (real-train, real-aug, so-train, so-aug, ast-train -> group real; synth-train ->
# synth; real-dev, synth-dev, so-dev -> dev sets, real-dev selects).  Every 90 s, and at the end, it writes the
# model-only checkpoints (best = by real-dev WER, and last) to $OUT, cut into 15 MB pieces (a returned file may be
# at most 16 MiB), with train.log, so that even a call cut off at the device's limit brings a model back.  Back here:
#   cat OUT/best-model.pt.* > best.pt; /usr/bin/python3 training/lcblstm/export.py --checkpoint best.pt --out models/NAME ...
set -euo pipefail
cd "$(dirname "$0")/../.."  # the repository root
STORE=${STORE:-/tmp/hearken-packs}
WORK=${WORK:-/tmp/hearken-train}
PY=${PY:-python3}
OUT=${OUT:-$WORK/out}
source training/local/sets.sh  # REAL_SETS, SYNTH_SETS, DEV_SETS: run.sh's groups

export_models() {
  "$PY" - "$WORK" "$OUT" <<'PYEOF'
import os, sys, torch
work, out = sys.argv[1:3]
piece = 15_000_000
for name in ("best", "last"):
    p = os.path.join(work, name + ".pt")
    if not os.path.exists(p):
        continue
    ck = torch.load(p, map_location="cpu", weights_only=False)
    # weights only: best.pt already holds the winning weights (raw or averaged), and both files must fit in
    # what one call brings back (~64 MiB; with the EMA copy a 3 x 320 checkpoint is 48 MB, twice that in all)
    ck.pop("optimizer", None)
    ck.pop("ema", None)
    ck["model"] = {k: v.cpu() for k, v in ck["model"].items()}
    data = os.path.join(work, name + "-model.pt")
    torch.save(ck, data)
    with open(data, "rb") as f:
        blob = f.read()
    for i in range(0, len(blob), piece):
        dst = f"{out}/{name}-model.pt.{i // piece}"
        with open(dst + ".tmp", "wb") as g:
            g.write(blob[i:i + piece])
        os.replace(dst + ".tmp", dst)
    print(name, len(blob), "bytes ->", out, flush=True)
PYEOF
  cp "$WORK/train.log" "$OUT/" 2>/dev/null || true
}

# A pack whose parts have not all been stashed yet (a smoke run between stashes) is left out, said on stderr.
complete() {
  [[ -f $1/pack.json ]] || return 1
  "$PY" - "$1" <<'PYEOF'
import json, os, sys
d = sys.argv[1]
missing = [p["file"] for p in json.load(open(os.path.join(d, "pack.json")))["parts"]
           if not os.path.exists(os.path.join(d, p["file"]))]
if missing:
    print(f"{d}: {len(missing)} part(s) not stashed yet ({missing[0]}...); left out", file=sys.stderr)
sys.exit(1 if missing else 0)
PYEOF
}

case "${1:-}" in
  stash)
    mkdir -p "$STORE"
    cp -r "$2"/. "$STORE"/
    du -sh "$STORE"/* ;;
  train)
    MINUTES=$2; shift 2
    ARGS=(--workdir "$WORK" --device cuda --ranks 1 --load-jobs 8 --minutes "$MINUTES" --select real-dev)
    # the sets and groups of run.sh's train stage (a set not stashed is simply not trained on)
    for s in "${REAL_SETS[@]}"; do complete "$STORE/$s" && ARGS+=(--train "real=$STORE/$s"); done
    for s in "${SYNTH_SETS[@]}"; do complete "$STORE/$s" && ARGS+=(--train "synth=$STORE/$s"); done
    for s in "${DEV_SETS[@]}"; do complete "$STORE/$s" && ARGS+=(--dev "$s=$STORE/$s"); done
    mkdir -p "$WORK" "$OUT"
    nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>/dev/null || true
    ( while sleep 90; do export_models || true; done ) >/dev/null 2>&1 &
    watcher=$!
    # SIGTERM makes train.py save and stop (before training starts it just ends it); the margin keeps the
    # call inside the device's command limit
    status=0
    PYTHONUNBUFFERED=1 timeout -s TERM "$(awk -v m="$MINUTES" 'BEGIN { print int(m * 60 + 45) }')" \
      "$PY" training/lcblstm/train.py "${ARGS[@]}" "$@" || status=$?
    pkill -P "$watcher" 2>/dev/null || true  # its sleep
    kill "$watcher" 2>/dev/null || true
    wait "$watcher" 2>/dev/null || true
    export_models
    exit $status ;;
  *)
    sed -n '2,/^set /{/^#/p}' "$0"; exit 2 ;;
esac
