#!/usr/bin/env bash
# The recurrent cell, measured (issue #34): LC-BLSTM, LC-BiGRU, unidirectional LSTM and GRU (and a unidirectional
# LSTM with a 3-step output delay), trained from scratch by the same recipe on the same features and data mix,
# each for the same CPU budget (one process, one thread, --clock cpu: the budget counts the process's own CPU
# time, so runs sharing a loaded machine get equal shares of training), then exported, decoded and timed.
#
#   training/lcblstm/cell-comparison.sh [--stage train|export|greedy|beam|rtf|table|all] [VARIANT...]
#
# Stages: train (all variants at once), export (last.pt, or CHECKPOINT=best.pt -> OUT/VARIANT/model), greedy (evaluate.py:
# greedy CER/WER on the seven dev dumps), beam (tune-decoder.ts at the shipped decoder settings: beam+LM WER on the
# seven dev sets, 120 utterances x 3 phases each, as accept-model.sh decides), rtf (bench/models-rtf.ts: features +
# model + beam search, one thread, all variants side by side on the same dev files) and table
# (training/lcblstm/cell_table.py -> training/results/cell-comparison.json and a Markdown table).
# Variants: blstm bigru ulstm ugru ulstm-d3.  Environment: MINUTES (CPU minutes per model, default 35), LAYERS (2),
# HIDDEN (256), WORK (training/work), OUT (WORK/cells), PY (/usr/bin/python3).
set -euo pipefail
cd "$(dirname "$0")/../.."
STAGE=all
if [[ ${1:-} == --stage ]]; then STAGE=$2; shift 2; fi
VARIANTS=("$@")
[[ ${#VARIANTS[@]} -gt 0 ]] || VARIANTS=(blstm bigru ulstm ugru ulstm-d3)
MINUTES=${MINUTES:-35}
LAYERS=${LAYERS:-2}
HIDDEN=${HIDDEN:-256}
PY=${PY:-/usr/bin/python3}
W=${WORK:-training/work}
FEAT=$W/features
OUT=${OUT:-$W/cells}
OB=/usr/lib/x86_64-linux-gnu/openblas-openmp
[[ -d $OB ]] && export LD_LIBRARY_PATH=$OB${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export OMP_NUM_THREADS=1 OMP_WAIT_POLICY=PASSIVE
say() { echo "[$(date '+%F %T')] $*"; }

# the cell and direction flags of each variant; everything else is shared
variant_args() {
  case "$1" in
    blstm) echo "--cell lstm --chunk 16 --lookahead 8" ;;
    bigru) echo "--cell gru --chunk 16 --lookahead 8" ;;
    ulstm) echo "--cell lstm --unidirectional --chunk 16 --lookahead 0" ;;
    ugru) echo "--cell gru --unidirectional --chunk 16 --lookahead 0" ;;
    # a unidirectional model with look-ahead R emits each step R steps late (docs/model-format.md)
    ulstm-d3) echo "--cell lstm --unidirectional --chunk 16 --lookahead 3" ;;
    *) echo "unknown variant $1" >&2; exit 2 ;;
  esac
}
source training/local/sets.sh  # train_args, dev_args, DEV_SETS, CUT_DEV_SETS: the recipe's data mix
want() { [[ $STAGE == all || $STAGE == "$1" ]]; }

if want train; then
  pids=()
  for v in "${VARIANTS[@]}"; do
    mkdir -p "$OUT/$v"
    say "train $v: $MINUTES CPU minutes, ${LAYERS}x$HIDDEN $(variant_args "$v")"
    # shellcheck disable=SC2046
    $PY training/lcblstm/train.py --workdir "$OUT/$v/train" $(train_args "$FEAT") $(dev_args "$FEAT") --select real-dev --ranks 1 --clock cpu \
      --minutes "$MINUTES" --eval-every 10 --dev-max-utts 150 --layers "$LAYERS" --hidden "$HIDDEN" \
      $(variant_args "$v") > "$OUT/$v/train.out" 2>&1 & pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p"; done
fi

DEVS=("${DEV_SETS[@]}" "${CUT_DEV_SETS[@]}")
if want export; then
  for v in "${VARIANTS[@]}"; do
    say "export $v"
    # the weights at the end of the budget (the LR schedule is annealed by then): train.py's best.pt ranks
    # checkpoints by greedy real-dev WER first, and while every WER is at or above 100 % (as after 35 minutes from
    # scratch) an early checkpoint that emits nothing scores a "better" 100 % than a later one that emits words
    $PY training/lcblstm/export.py --checkpoint "$OUT/$v/train/${CHECKPOINT:-last.pt}" --out "$OUT/$v/model" --name "cell-$v" \
      --ref-dump "$FEAT/real-dev" --verify > "$OUT/$v/export.log" 2>&1
  done
fi
if want greedy; then
  for v in "${VARIANTS[@]}"; do
    say "greedy $v"
    a=(); for s in "${DEVS[@]}"; do a+=(--dev "$s=$FEAT/$s"); done
    $PY training/lcblstm/evaluate.py --model "$OUT/$v/model" "${a[@]}" --examples 0 --json "$OUT/$v/greedy.json" > "$OUT/$v/greedy.log" 2>&1
  done
fi
if want beam; then
  shipped() { node -p "require('./models/default.json').decoder.$1"; }
  GRID=(--beams "$(shipped beamWidth)" --thresholds "$(shipped beamThreshold)" --alphas "$(shipped alpha)"
        --betas "$(shipped beta)" --oovs "$(shipped oovLog10)")
  [[ $(shipped lmLookahead) == true ]] && GRID+=(--lookahead)
  for v in "${VARIANTS[@]}"; do
    say "beam $v"
    # --json, not --write: a weak model may fail tune-decoder's hotword check, which only matters for shipping
    npx tsx training/decoder/tune-decoder.ts --model "$OUT/$v/model" "${GRID[@]}" --json "$OUT/$v/beam.json" > "$OUT/$v/beam.log" 2>&1 || true
  done
fi
if want rtf; then
  say "rtf ${VARIANTS[*]}"
  m=(); for v in "${VARIANTS[@]}"; do m+=("$OUT/$v/model"); done
  npx tsx bench/models-rtf.ts --manifest $W/data/real-dev/manifest.tsv --manifest $W/data/so-dev/manifest.tsv \
    --limit 30 --json "$OUT/rtf.json" "${m[@]}" | tee "$OUT/rtf.log"
fi
if want table; then
  $PY training/lcblstm/cell_table.py --out-dir "$OUT" --json training/results/cell-comparison.json "${VARIANTS[@]}"
fi
