#!/usr/bin/env bash
# Hearken acoustic-model pipeline: data -> features -> train -> export -> evaluate -> tune (decoder weights).
# Defaults reproduce en-lcblstm-small, the CPU-only recipe: 2 x 256 LC-BLSTM, 95 minutes of training.  The
# shipped en-lcblstm-medium (3 x 320) is trained on a lent GPU from the same features: training/tools/device-train.sh,
# then training/tools/device-finish.sh (training/README.md, "Training on a lent GPU machine").
#
#   training/run.sh [--from STAGE] [--to STAGE] [--minutes 90] [--name en-lcblstm-small] [-- extra train.py args]
#
# Every stage is resumable/skippable: data and features skip what already exists, train resumes from
# training/work/train/last.pt (delete it or pass `-- --fresh` to start over), export/evaluate just rerun.
# Everything is logged to training/work/run.log.  Environment knobs: MINUTES, NAME, LAYERS, HIDDEN,
# BATCH_STEPS, RANKS, PY (default /usr/bin/python3), WORK (default training/work), MODEL_DIR (default models/NAME),
# FEAT (default WORK/features), CHECKPOINT (what export exports; default WORK/train/best.pt), SYNTH_HOURS (TTS
# hours, default 8) and AUG_COPIES (augmented copies of each real utterance, default 2) for the data stage.
set -euo pipefail
cd "$(dirname "$0")/.."

STAGES=(data features train export evaluate tune)
FROM=data TO=tune
MINUTES=${MINUTES:-95}
NAME=${NAME:-en-lcblstm-small}
LAYERS=${LAYERS:-2}
HIDDEN=${HIDDEN:-256}
BATCH_STEPS=${BATCH_STEPS:-3000}
RANKS=${RANKS:-2}
PY=${PY:-/usr/bin/python3}
SYNTH_HOURS=${SYNTH_HOURS:-8}
AUG_COPIES=${AUG_COPIES:-2}
EXTRA=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --from) FROM=$2; shift 2 ;;
    --to) TO=$2; shift 2 ;;
    --minutes) MINUTES=$2; shift 2 ;;
    --name) NAME=$2; shift 2 ;;
    --) shift; EXTRA=("$@"); break ;;
    -h|--help) sed -n '2,/^set /{/^#/p}' "$0"; exit 0 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

W=${WORK:-training/work}
FEAT=${FEAT:-$W/features}
CHECKPOINT=${CHECKPOINT:-$W/train/best.pt}
MODEL=${MODEL_DIR:-models/$NAME}
mkdir -p "$W"
LOG=$W/run.log
exec > >(tee -a "$LOG") 2>&1

# Fast BLAS for Debian's torch; one thread per process (two processes use the two cores)
OB=/usr/lib/x86_64-linux-gnu/openblas-openmp
[[ -d $OB ]] && export LD_LIBRARY_PATH=$OB${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export OMP_NUM_THREADS=1 OMP_WAIT_POLICY=PASSIVE

idx() { local i; for i in "${!STAGES[@]}"; do [[ ${STAGES[$i]} == "$1" ]] && { echo "$i"; return; }; done; echo "bad stage $1" >&2; exit 2; }
F=$(idx "$FROM"); T=$(idx "$TO")
want() { local i; i=$(idx "$1"); [[ $i -ge $F && $i -le $T ]]; }
say() { echo "[$(date '+%F %T')] $*"; }

# the sets present, by role (train_args, dev_args)
source training/local/sets.sh

if want data; then
  say "stage data"
  $PY training/local/prepare.py --out $W/data --synth-hours "$SYNTH_HOURS" --aug-copies "$AUG_COPIES"
fi

if want features; then
  say "stage features"
  for m in $W/data/*/manifest.tsv; do
    [[ -f $m ]] || continue
    set_name=$(basename "$(dirname "$m")")
    if [[ -f $FEAT/$set_name/index.json ]]; then say "features $set_name: exists"; continue; fi
    say "features $set_name"
    rm -rf "$FEAT/$set_name.partial"
    npx tsx src/cli.ts features --manifest "$m" --out "$FEAT/$set_name.partial"
    mv "$FEAT/$set_name.partial" "$FEAT/$set_name"
  done
fi

if want train; then
  say "stage train ($MINUTES min, ${LAYERS}x$HIDDEN)"
  # shellcheck disable=SC2046
  $PY training/lcblstm/train.py --workdir $W/train $(train_args "$FEAT") $(dev_args "$FEAT") --select real-dev \
    --minutes "$MINUTES" --layers "$LAYERS" --hidden "$HIDDEN" --batch-steps "$BATCH_STEPS" --ranks "$RANKS" \
    "${EXTRA[@]}"
fi

if want export; then
  say "stage export -> $MODEL"
  $PY training/lcblstm/export.py --checkpoint "$CHECKPOINT" --out "$MODEL" --name "$NAME" \
    --ref-dump $FEAT/real-dev --ref-dump $FEAT/synth-dev --verify
fi

if want evaluate; then
  say "stage evaluate $MODEL"
  # shellcheck disable=SC2046
  $PY training/lcblstm/evaluate.py --model "$MODEL" $(dev_args "$FEAT") --json $W/eval.json
  $PY training/lcblstm/export.py --record-eval "$MODEL" --eval-json $W/eval.json
fi
if want tune; then
  say "stage tune: beam-search weights for $MODEL on real-dev + synth-dev -> models/default.json"
  if [[ ! -f models/default.json ]]; then
    printf '{\n  "acousticModel": "%s",\n  "languageModel": "lm/en-3gram.hklm"\n}\n' "$NAME" > models/default.json
  fi
  npx tsx training/decoder/tune-decoder.ts --model "$MODEL" --limit 60 --alphas 0.6,1.0,1.15 --betas 0,1,2,3 --oovs -10,-15 --lookahead \
    --manifest $W/data/real-dev/manifest.tsv --manifest $W/data/synth-dev/manifest.tsv --write models/default.json
fi
say "done"
