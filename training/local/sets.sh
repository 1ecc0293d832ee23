# The feature sets the recipe trains and checks on, by name, sourced by run.sh, continue.sh, tools/device-train.sh
# and lcblstm/cell-comparison.sh: one list, so a set added here joins every one of them.
# shellcheck shell=bash
REAL_SETS=(real-train real-aug so-train so-aug ast-train)  # train.py group "real"
SYNTH_SETS=(synth-train)                                    # train.py group "synth"
DEV_SETS=(real-dev synth-dev so-dev)                        # evaluated during training; real-dev selects
CUT_DEV_SETS=(real-dev-onset synth-dev-onset real-dev-offset synth-dev-offset)  # the same clips, silence cut

# train.py's --train arguments for the sets present under features folder $1
train_args() {
  local a=() s
  for s in "${REAL_SETS[@]}"; do [[ -f $1/$s/index.json ]] && a+=(--train "real=$1/$s"); done
  for s in "${SYNTH_SETS[@]}"; do [[ -f $1/$s/index.json ]] && a+=(--train "synth=$1/$s"); done
  echo "${a[@]}"
}
# train.py's --dev arguments for the DEV_SETS present under features folder $1
dev_args() {
  local a=() s
  for s in "${DEV_SETS[@]}"; do [[ -f $1/$s/index.json ]] && a+=(--dev "$s=$1/$s"); done
  echo "${a[@]}"
}
