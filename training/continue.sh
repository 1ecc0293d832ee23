#!/usr/bin/env bash
# Keep improving the committed model in the background, at low priority.
#
#   training/continue.sh --minutes N [--name NAME] [--foreground] [-- extra train.py args]
#
# NAME defaults to the shipped acoustic model (models/default.json's acousticModel).
# Warm-starts from models/NAME/model.onnx (weights + normalisation from the ONNX initializers, architecture
# from model.json), evaluates the start model on the dev sets (baseline), trains for N wall-clock minutes
# under `nice -n 19` with a gentler LR (1e-3 peak, short warmup, decay from 30 % of the budget) and evaluates
# every EVAL_EVERY (5) minutes, the trained weights and their moving average (--ema 0.998) both.  Utterances are
# moved to random stacking phases and chunk offsets (--shift-aug), as a stream meets them, and the dev sets are
# decoded at all three stacking phases (--dev-phases 3), which makes the comparisons below less a matter of luck.
# A third of the utterances lose their leading silence (--onset-cut 0.3), so the model learns clips that start on
# speech.  (--offset-cut, the same for trailing silence, measured no gain on the CPU: training/README.md, tenth session.)
# Whenever the weights or their average are at least as good as the published model on real-dev WER and CER and better on one (one word moves
# WER 0.1 points there, so WER alone is mostly noise), it re-exports models/NAME/ (model.onnx, model.json,
# reference.json, generated card section with the dev WER history), after verifying ONNX parity with
# onnxruntime-node; otherwise models/NAME/ is untouched.
# When training ends, training/accept-model.sh keeps a published model only if it also decodes better with the
# LM (beam search, weights retuned for each model on the dev sets), and then writes its tuned weights to
# models/default.json; otherwise it restores the start model.
# Work dir: training/work/continue-<timestamp>/ (train.log, last.pt, best.pt, start-model/, accept.log); stop
# early with SIGTERM to train.py (saves last.pt and exits cleanly; the verdict still runs).  Resume an interrupted run with
# `WORKDIR=training/work/continue-<timestamp> training/continue.sh --minutes N`; the resumed run measures the
# published model anew as its bar.
# Environment: FEAT, the feature dumps to train on and to measure (default training/work/features; e.g.
# training/work/x2/features, the 46 h set of training/README.md); EVAL_EVERY (minutes, default 5); PY.
set -euo pipefail
cd "$(dirname "$0")/.."

MINUTES=60 NAME=${NAME:-$(node -p 'require("./models/default.json").acousticModel')} FG=0 EXTRA=()
EVAL_EVERY=${EVAL_EVERY:-5}
PY=${PY:-/usr/bin/python3}
while [[ $# -gt 0 ]]; do
  case "$1" in
    --minutes) MINUTES=$2; shift 2 ;;
    --name) NAME=$2; shift 2 ;;
    --foreground) FG=1; shift ;;
    --) shift; EXTRA=("$@"); break ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

MODEL=models/$NAME
FEAT=${FEAT:-training/work/features}
[[ -f $MODEL/model.onnx && -f $MODEL/model.json ]] || { echo "no $MODEL/model.onnx + model.json" >&2; exit 1; }
WORKDIR=${WORKDIR:-training/work/continue-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$WORKDIR"

OB=/usr/lib/x86_64-linux-gnu/openblas-openmp
[[ -d $OB ]] && export LD_LIBRARY_PATH=$OB${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export OMP_NUM_THREADS=1 OMP_WAIT_POLICY=PASSIVE

ARGS=(--workdir "$WORKDIR" --init-onnx "$MODEL/model.onnx" --minutes "$MINUTES"
      --eval-at-start --eval-every "$EVAL_EVERY" --select real-dev
      --publish-dir "$MODEL" --publish-name "$NAME"
      --lr 1e-3 --warmup 100 --decay-start 0.3 --ema 0.998 --shift-aug --onset-cut 0.3 --dev-phases 3 --seed "$RANDOM")
for s in real-train real-aug; do [[ -f $FEAT/$s/index.json ]] && ARGS+=(--train "real=$FEAT/$s"); done
[[ -f $FEAT/synth-train/index.json ]] && ARGS+=(--train "synth=$FEAT/synth-train")
for s in real-dev synth-dev; do
  [[ -f $FEAT/$s/index.json ]] && ARGS+=(--dev "$s=$FEAT/$s" --ref-dump "$FEAT/$s")
done
# clips that start or end on speech, measured beside them (the publish rule still reads real-dev)
for s in real-dev-onset synth-dev-onset real-dev-offset synth-dev-offset; do [[ -f $FEAT/$s/index.json ]] && ARGS+=(--dev "$s=$FEAT/$s"); done
[[ -f $FEAT/real-dev/index.json ]] || { echo "need $FEAT/real-dev (run training/run.sh --to features)" >&2; exit 1; }

# The model the run started from, for training/accept-model.sh (a resumed run keeps its first one).
[[ -d $WORKDIR/start-model ]] || cp -r "$MODEL" "$WORKDIR/start-model"
CMD=(nice -n 19 "$PY" training/train.py "${ARGS[@]}" "${EXTRA[@]}")
ACCEPT=(nice -n 19 training/accept-model.sh "$WORKDIR/start-model" "$NAME")
echo "${CMD[*]}" > "$WORKDIR/command.txt"
if [[ $FG == 1 ]]; then
  "${CMD[@]}"
  exec "${ACCEPT[@]}"
fi
# train.py first; a SIGTERM to it still lets it save and exit, and then the verdict runs
{ printf '%q ' "${CMD[@]}"; printf '\n'; printf '%q ' "${ACCEPT[@]}"; printf '\n'; } > "$WORKDIR/run-steps.sh"
nohup bash "$WORKDIR/run-steps.sh" > "$WORKDIR/stdout.log" 2>&1 &
echo "continue training: log $WORKDIR/train.log ; stop with: pkill -f 'training/train.py --workdir $WORKDIR'"
