"""Split feature packs into upload folders that each fit one `device` call (~64 MiB travel per call, the
tracked working tree included).

  /usr/bin/python3 training/tools/stage_uploads.py training/work/packs --out training/work/upload [--mb auto]

Writes OUT/c1, OUT/c2, ... (hard links), each holding whole files of the packs under their pack names, filled in
order: dev packs first (real-dev, synth-dev, so-dev), then real-train, real-aug, so-train, so-aug, ast-train,
synth-train (run.sh's train stage's sets), then any other pack.  A pack may straddle two folders; stashing the folders
one after another on the device (training/tools/device-train.sh stash) puts it back together.  `--mb auto` = 64 MiB
minus the size of the files git would send, minus 2 MB of slack.  Prints one line per folder.
"""
import argparse
import os
import shutil
import subprocess

# dev packs first (a run needs them to select), then the training sets of run.sh's train stage; other packs follow
ORDER = ["real-dev", "synth-dev", "so-dev", "real-train", "real-aug", "so-train", "so-aug", "ast-train", "synth-train"]


def tree_bytes(repo):
    out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=repo, capture_output=True,
                         check=True).stdout.decode()
    return sum(os.path.getsize(os.path.join(repo, p)) for p in out.split("\0") if p and os.path.isfile(os.path.join(repo, p)))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("packs")
    ap.add_argument("--out", required=True)
    ap.add_argument("--mb", default="auto", help="budget per folder in MB (10^6 bytes), or auto")
    args = ap.parse_args()
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # training/tools/ -> repo
    budget = (64 * 2 ** 20 - tree_bytes(repo) - 2_000_000) if args.mb == "auto" else int(float(args.mb) * 1e6)
    names = [n for n in ORDER if os.path.isdir(os.path.join(args.packs, n))]
    names += sorted(n for n in os.listdir(args.packs) if n not in names and
                    os.path.exists(os.path.join(args.packs, n, "pack.json")))
    files = []
    for n in names:
        d = os.path.join(args.packs, n)
        files += [(n, f, os.path.getsize(os.path.join(d, f))) for f in ["pack.json"] + sorted(
            f for f in os.listdir(d) if f.endswith(".xz"))]
    if any(size > budget for _, _, size in files):
        raise SystemExit(f"a pack file is larger than the {budget / 1e6:.1f} MB budget: use a smaller --part-frames")
    shutil.rmtree(args.out, ignore_errors=True)
    folder, used = 0, budget
    for n, f, size in files:
        if used + size > budget:
            folder, used = folder + 1, 0
        dst = os.path.join(args.out, f"c{folder}", n)
        os.makedirs(dst, exist_ok=True)
        os.link(os.path.join(args.packs, n, f), os.path.join(dst, f))
        used += size
    for i in range(1, folder + 1):
        d = os.path.join(args.out, f"c{i}")
        size = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(d) for f in fs)
        print(f"{d}: {size / 1e6:.1f} MB ({', '.join(sorted(os.listdir(d)))})")
    print(f"budget {budget / 1e6:.1f} MB per call")


if __name__ == "__main__":
    main()
