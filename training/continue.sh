#!/usr/bin/env bash
# Keep improving the committed model in the background, at low priority.
#
#   training/continue.sh --minutes N [--name NAME] [--foreground] [-- extra train.py args]
#
# NAME defaults to the shipped acoustic model (models/default.json's acousticModel).
# Warm-starts from models/NAME/model.onnx (weights + normalisation from the ONNX initializers, architecture
# from model.json), evaluates the start model on the dev sets, and fine-tunes it for N wall-clock minutes under
# `nice -n 19` with the recipe that has improved this model on the CPU (training/README.md, fourteenth session):
# a small flat learning rate (1e-4, decay from 60 % of the budget to a tenth), dropout 0.2 between layers, batches
# of 12,000 steps / 64 utterances per update (over all ranks), and a moving average of the weights (--ema 0.998).
# Utterances are moved to random stacking phases and chunk offsets (--shift-aug), as a stream meets them, and a
# third lose their leading silence (--onset-cut 0.3), so the model learns clips that start on speech.
# (--offset-cut, the same for trailing silence, measured no gain on the CPU: training/README.md, tenth session.)
# Greedy dev CER/WER every EVAL_EVERY (20) minutes at the three stacking phases go to train.log and the card's history;
# they decide nothing, since over real-dev's 882 words they are mostly noise.
# At the stop the moving average of the last weights is exported to WORKDIR/candidate (ONNX parity verified), and
# training/accept-model.sh decides with the decoder users run: the candidate replaces models/NAME only if its mean
# beam+LM dev WER over the seven dev sets is at least MIN_GAIN below the shipped model's and no set loses more than
# MAX_SET_LOSS (accept-model.sh; runs that stop together are judged one after the other).  A refused candidate
# stays in WORKDIR/candidate: training/lcblstm/average.py averages the weights of several fine-tunes of one shipped model
# (a model soup), which accept-model.sh judges like any candidate.
# Extra train.py arguments after `--` override the recipe (the last value wins).
# Work dir: training/work/continue-<timestamp>/ (train.log, last.pt, best.pt, candidate/, accept.log); stop
# early with SIGTERM to train.py (saves last.pt and exits cleanly; the export and verdict still run).  Resume an
# interrupted run with `WORKDIR=training/work/continue-<timestamp> training/continue.sh --minutes N`.
# Environment: FEAT, the feature dumps to train on and to measure (default training/work/features; e.g.
# training/work/x2/features, the 46 h set of training/README.md); RANKS (processes, default 2: one per core);
# EVAL_EVERY (minutes, default 20: a greedy evaluation of both weights takes minutes); PY.
set -euo pipefail
cd "$(dirname "$0")/.."

MINUTES=60 NAME=${NAME:-$(node -p 'require("./models/default.json").acousticModel')} FG=0 EXTRA=()
EVAL_EVERY=${EVAL_EVERY:-20}
RANKS=${RANKS:-2}
PY=${PY:-/usr/bin/python3}
while [[ $# -gt 0 ]]; do
  case "$1" in
    --minutes) MINUTES=$2; shift 2 ;;
    --name) NAME=$2; shift 2 ;;
    --foreground) FG=1; shift ;;
    --) shift; EXTRA=("$@"); break ;;
    -h|--help) sed -n '2,29p' "$0"; exit 0 ;;
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

# the batch is per rank: RANKS ranks share the 12,000 steps / 64 utterances of one update
ARGS=(--workdir "$WORKDIR" --init-onnx "$MODEL/model.onnx" --minutes "$MINUTES" --ranks "$RANKS"
      --eval-at-start --eval-every "$EVAL_EVERY" --select real-dev --dev-phases 3 --dev-max-utts 150
      --lr 1e-4 --warmup 20 --decay-start 0.6 --final-lr 0.1 --ema 0.998 --dropout 0.2
      --batch-steps $((12000 / RANKS)) --max-utts $((64 / RANKS)) --no-sortagrad
      --shift-aug --onset-cut 0.3 --seed "$RANDOM")
# the real group: Libri-light/FSDD/LJ reader, speechocean762's 105 training speakers, Asterisk's prompts, augmented
# copies; the synth group: TTS (training/local/sets.sh)
source training/local/sets.sh
read -ra TRAIN <<< "$(train_args "$FEAT")"
ARGS+=("${TRAIN[@]}")
REF=() CARD_DEV=()
for s in "${DEV_SETS[@]}"; do
  [[ -f $FEAT/$s/index.json ]] && CARD_DEV+=(--dev "$s=$FEAT/$s") && REF+=(--ref-dump "$FEAT/$s")
done
ARGS+=("${CARD_DEV[@]}")
# clips that start or end on speech, measured beside them
for s in "${CUT_DEV_SETS[@]}"; do [[ -f $FEAT/$s/index.json ]] && ARGS+=(--dev "$s=$FEAT/$s"); done
[[ -f $FEAT/real-dev/index.json ]] || { echo "need $FEAT/real-dev (run training/run.sh --to features)" >&2; exit 1; }

# At the stop: the moving average of the last weights, exported beside the run with the shipped card's hand-written
# part (export.py regenerates only its training block), its greedy dev results recorded in its card, then the
# verdict with the LM.
mkdir -p "$WORKDIR/candidate"
cp "$MODEL/README.md" "$WORKDIR/candidate/README.md"
CMD=(nice -n 19 "$PY" training/lcblstm/train.py "${ARGS[@]}" "${EXTRA[@]}")
EXPORT=(nice -n 19 "$PY" training/lcblstm/export.py --checkpoint "$WORKDIR/last.pt" --ema --out "$WORKDIR/candidate"
        --name "$NAME" "${REF[@]}" --verify)
EVALUATE=(nice -n 19 "$PY" training/lcblstm/evaluate.py --model "$WORKDIR/candidate" "${CARD_DEV[@]}" --json "$WORKDIR/candidate-eval.json")
RECORD=("$PY" training/lcblstm/export.py --record-eval "$WORKDIR/candidate" --eval-json "$WORKDIR/candidate-eval.json")
ACCEPT=(nice -n 19 training/accept-model.sh "$WORKDIR/candidate" "$NAME")
echo "${CMD[*]}" > "$WORKDIR/command.txt"
# train.py first; a SIGTERM to it still lets it save and exit, and then the export and the verdict run
line() { printf '%q ' "$@"; printf '\n'; }
{ line "${CMD[@]}"; echo 'set -e'; line "${EXPORT[@]}"; line "${EVALUATE[@]}"; line "${RECORD[@]}"; line "${ACCEPT[@]}"; } \
  > "$WORKDIR/run-steps.sh"
if [[ $FG == 1 ]]; then exec bash "$WORKDIR/run-steps.sh"; fi
nohup bash "$WORKDIR/run-steps.sh" > "$WORKDIR/stdout.log" 2>&1 &
echo "continue training: log $WORKDIR/train.log ; stop with: pkill -f 'training/lcblstm/train.py --workdir $WORKDIR'"
