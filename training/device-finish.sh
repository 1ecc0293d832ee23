#!/usr/bin/env bash
# Back from a lent GPU machine: turns the model pieces that training/device-train.sh returned into a model folder.
#
#   training/device-finish.sh FILES_DIR NAME [WORKDIR]
#
# FILES_DIR holds best-model.pt.0, .1, ... (the call's files_at); NAME is the folder under models/.  Joins the
# pieces into WORKDIR/best.pt (default training/work/device-<date>), exports models/NAME with ONNX parity checked
# against onnxruntime-node, evaluates it greedily on the dev sets and records that in model.json and the card.
# Environment: MODELS (default models), FEAT (default training/work/features), PY.
# Then tune its decoder weights and decide whether it replaces the shipped model (training/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
FILES=${1:?usage: training/device-finish.sh FILES_DIR NAME [WORKDIR]}
NAME=${2:?usage: training/device-finish.sh FILES_DIR NAME [WORKDIR]}
W=${3:-training/work/device-$(date +%Y%m%d-%H%M%S)}
PY=${PY:-/usr/bin/python3}
FEAT=${FEAT:-training/work/features}
MODELS=${MODELS:-models}
OB=/usr/lib/x86_64-linux-gnu/openblas-openmp
[[ -d $OB ]] && export LD_LIBRARY_PATH=$OB${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export OMP_NUM_THREADS=1 OMP_WAIT_POLICY=PASSIVE

[[ -f $FILES/best-model.pt.0 ]] || { echo "no best-model.pt.0 in $FILES" >&2; exit 1; }
mkdir -p "$W"
: > "$W/best.pt.tmp"
for ((i = 0; ; i++)); do
  [[ -f $FILES/best-model.pt.$i ]] || break
  cat "$FILES/best-model.pt.$i" >> "$W/best.pt.tmp"
done
mv "$W/best.pt.tmp" "$W/best.pt"
cp "$FILES"/train.log "$W/" 2>/dev/null || true
DEV=()
for s in real-dev synth-dev; do [[ -f $FEAT/$s/index.json ]] && DEV+=(--dev "$s=$FEAT/$s"); done
REF=()
for s in real-dev synth-dev; do [[ -f $FEAT/$s/index.json ]] && REF+=(--ref-dump "$FEAT/$s"); done
"$PY" training/export.py --checkpoint "$W/best.pt" --out "$MODELS/$NAME" --name "$NAME" "${REF[@]}" --verify
"$PY" training/evaluate.py --model "$MODELS/$NAME" "${DEV[@]}" --json "$W/eval.json"
"$PY" training/export.py --record-eval "$MODELS/$NAME" --eval-json "$W/eval.json"
echo "$MODELS/$NAME ready; next: npx tsx training/tune-decoder.ts --model $MODELS/$NAME ... (training/README.md)"
