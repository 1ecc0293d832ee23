#!/usr/bin/env bash
# Back from a lent GPU machine: turns the model pieces that training/tools/device-train.sh returned into a model folder.
#
#   training/tools/device-finish.sh FILES_DIR NAME [WORKDIR]
#
# FILES_DIR holds best-model.pt.0, .1, ... (the call's files_at); NAME is the folder under models/.  Joins the
# pieces into WORKDIR/best.pt (default training/work/device-<date>), then runs the recipe's export and evaluate
# stages on it (training/run.sh: ONNX parity checked against onnxruntime-node, greedy dev CER/WER recorded in
# model.json and the card; log in WORKDIR/run.log).
# Environment: MODELS (default models), FEAT (default training/work/features), PY.
# Then tune its decoder weights and decide whether it replaces the shipped model (training/README.md).
set -euo pipefail
cd "$(dirname "$0")/../.."  # the repository root
FILES=${1:?usage: training/tools/device-finish.sh FILES_DIR NAME [WORKDIR]}
NAME=${2:?usage: training/tools/device-finish.sh FILES_DIR NAME [WORKDIR]}
W=${3:-training/work/device-$(date +%Y%m%d-%H%M%S)}
FEAT=${FEAT:-training/work/features}
MODELS=${MODELS:-models}

[[ -f $FILES/best-model.pt.0 ]] || { echo "no best-model.pt.0 in $FILES" >&2; exit 1; }
mkdir -p "$W"
: > "$W/best.pt.tmp"
for ((i = 0; ; i++)); do
  [[ -f $FILES/best-model.pt.$i ]] || break
  cat "$FILES/best-model.pt.$i" >> "$W/best.pt.tmp"
done
mv "$W/best.pt.tmp" "$W/best.pt"
cp "$FILES"/train.log "$W/" 2>/dev/null || true
WORK=$W FEAT=$FEAT CHECKPOINT=$W/best.pt MODEL_DIR=$MODELS/$NAME training/run.sh --name "$NAME" --from export --to evaluate
echo "$MODELS/$NAME ready; next: npx tsx training/decoder/tune-decoder.ts --model $MODELS/$NAME ... (training/README.md)"
