#!/usr/bin/env bash
# Keeps a model that continue.sh published only if it decodes better with the shipped decoder, and retunes that
# decoder for it.
#
#   training/accept-model.sh START_DIR [NAME]    (NAME: default models/default.json's acousticModel)
#
# START_DIR: a copy of models/NAME taken before the run (continue.sh keeps one as WORKDIR/start-model).  If
# models/NAME still holds the same model.onnx, nothing was published and nothing happens.  Otherwise both models
# get their best decoder weights on the dev sets (training/tune-decoder.ts: beam width, alpha, beta; every dev
# utterance decoded at the three stacking phases; weights under
# which the hotword fixture fails are refused), and the model with the lower mean dev WER stays: the new one with
# its weights written to models/default.json (and its word-confidence calibration refitted by
# training/fit-confidence.ts), or the old one restored into models/NAME.  Why: continue.sh
# publishes on greedy WER and CER over a few hundred words, which once picked a model that the LM-based decoder
# found worse.  The verdict goes to stdout and START_DIR/../accept.log.
set -euo pipefail
cd "$(dirname "$0")/.."
START=${1:?usage: training/accept-model.sh START_DIR [NAME]}
NAME=${2:-$(node -p 'require("./models/default.json").acousticModel')}
MODEL=models/$NAME
LOG=$(dirname "$START")/accept.log
# Default grid: the shipped beam and threshold, around the shipped weights (alpha ± 0.3, beta ± 1), so a model that
# wants the LM weighted as the last one did is measured at its best; ALPHAS/BETAS/BEAMS/THRESHOLDS/OOVS override.
around() { node -e 'const [v, step, lo] = process.argv.slice(1).map(Number); console.log([-2, -1, 0, 1, 2].map((k) => Math.max(lo, +(v + k * step).toFixed(2))).filter((x, i, a) => a.indexOf(x) === i).join(","))' "$@"; }
SHIPPED_ALPHA=$(node -p 'require("./models/default.json").decoder?.alpha ?? 0.9')
SHIPPED_BETA=$(node -p 'require("./models/default.json").decoder?.beta ?? 2')
SHIPPED_BEAM=$(node -p 'require("./models/default.json").decoder?.beamWidth ?? 128')
SHIPPED_THRESHOLD=$(node -p 'require("./models/default.json").decoder?.beamThreshold ?? 30')
SHIPPED_OOV=$(node -p 'require("./models/default.json").decoder?.oovLog10 ?? -10')
GRID=(--beams "${BEAMS:-$SHIPPED_BEAM}" --thresholds "${THRESHOLDS:-$SHIPPED_THRESHOLD}"
      --alphas "${ALPHAS:-$(around "$SHIPPED_ALPHA" 0.15 0.1)}" --betas "${BETAS:-$(around "$SHIPPED_BETA" 0.5 0)}" --oovs "${OOVS:-$SHIPPED_OOV}")
# the shipped decoder's LM look-ahead goes with its weights (the unknown-word cost and bonus were tuned with it)
[[ $(node -p 'require("./models/default.json").decoder?.lmLookahead === true') == true ]] && GRID+=(--lookahead)
say() { echo "$(date '+%F %T') $*" | tee -a "$LOG"; }

if cmp -s "$START/model.onnx" "$MODEL/model.onnx"; then
  say "accept: nothing was published; $MODEL unchanged"
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp models/default.json "$work/old.json"
cp models/default.json "$work/new.json"
say "accept: tuning the decoder for the start model and the published one (${GRID[*]})"
npx tsx training/tune-decoder.ts --model "$START" "${GRID[@]}" --write "$work/old.json" > "$work/old.log" 2>&1
npx tsx training/tune-decoder.ts --model "$MODEL" "${GRID[@]}" --write "$work/new.json" > "$work/new.log" 2>&1
mean() { node -e 'const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).decoder.devWer; const v = Object.values(d); console.log((v.reduce((a, b) => a + b, 0) / v.length).toFixed(6))' "$1"; }
old=$(mean "$work/old.json")
new=$(mean "$work/new.json")
if node -e 'process.exit(Number(process.argv[1]) < Number(process.argv[2]) ? 0 : 1)' "$new" "$old"; then
  cp "$work/new.json" models/default.json
  # the retuned block has no word-confidence calibration: fit one for the new model and weights
  npx tsx training/fit-confidence.ts --write models/default.json > "$work/confidence.log" 2>&1
  say "accept: kept the published model (mean dev WER $new vs $old with the LM); models/default.json retuned, confidence refitted"
else
  for f in model.onnx model.json reference.json README.md; do cp "$START/$f" "$MODEL/$f"; done
  say "accept: restored the start model (published $new vs start $old mean dev WER with the LM)"
fi
