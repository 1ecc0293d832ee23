#!/usr/bin/env bash
# Makes the working tree that travels to a lent GPU machine lighter, so each `device` call carries more packs.
#
#   training/tools/device-tree.sh light     # before staging uploads (training/tools/stage_uploads.py sizes folders from it)
#   training/tools/device-tree.sh restore   # as soon as the GPU calls are over, and before any commit
#
# Every call sends the tracked files and the untracked ones git does not ignore (~64 MiB in all, packs included).
# Training there needs training/ and the acoustic model, not the LM (9.4 MB), the punctuation model, the audio
# fixtures or the test model: `light` takes those out of git's index (the files stay on disk) and ignores them in
# .git/info/exclude, so they neither travel nor show as untracked; with the 2026-12 tree that is 29.6 -> 13.2 MB,
# and the 46 h packs went from seven calls to four.  `restore` puts them back in the index and drops the exclude
# lines; `git status` is clean again.  Never commit in between: the index then says those files are deleted.
set -euo pipefail
cd "$(dirname "$0")/../.."  # the repository root
PATHS=(models/lm models/punctuation audio-samples test/fixtures package-lock.json)
EXCLUDE=$(git rev-parse --git-path info/exclude)
BEGIN='# >>> training/tools/device-tree.sh light'
END='# <<< training/tools/device-tree.sh light'

case "${1:-}" in
  light)
    if grep -qxF "$BEGIN" "$EXCLUDE" 2>/dev/null; then echo "already light" >&2; exit 0; fi
    [[ -z $(git status --porcelain -- "${PATHS[@]}") ]] || { echo "uncommitted changes under ${PATHS[*]}: commit them first" >&2; exit 1; }
    mkdir -p "$(dirname "$EXCLUDE")"
    { echo "$BEGIN"; for p in "${PATHS[@]}"; do echo "/$p"; done; echo "$END"; } >> "$EXCLUDE"
    git rm -r -q --cached -- "${PATHS[@]}"
    echo "light: $(git ls-files -co --exclude-standard -z | xargs -0 du -cb 2>/dev/null | tail -1 | cut -f1) bytes travel; run '$0 restore' before any commit" ;;
  restore)
    git reset -q -- "${PATHS[@]}"
    if [[ -f $EXCLUDE ]]; then
      awk -v b="$BEGIN" -v e="$END" '$0 == b { skip = 1; next } $0 == e { skip = 0; next } !skip' "$EXCLUDE" > "$EXCLUDE.tmp"
      mv "$EXCLUDE.tmp" "$EXCLUDE"
    fi
    git status --short -- "${PATHS[@]}"
    echo "restored" ;;
  *)
    sed -n '2,12p' "$0"; exit 2 ;;
esac
