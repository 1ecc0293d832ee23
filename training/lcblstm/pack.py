"""Compact feature packs: `hearken features` dumps quantised and compressed for transport (e.g. to a lent GPU
machine, where only ~64 MiB of files travel per call).  Features still come from Hearken's own TypeScript
extractor; a pack only stores them with fewer bits.

  /usr/bin/python3 training/lcblstm/pack.py --out training/work/packs/real-train training/work/features/real-train \
      [--bits 5] [--part-frames 600000] [--jobs 2]

Pack layout: DIR/pack.json = {"format", "featureConfig", "dim", "bits", "lo", "step", "parts": [{"file",
"frames"}], "utterances": [{"id", "transcript", "frames", "seconds", "part", "offset"}]}; each part is an xz
stream of uint8 codes [frames, dim], delta-coded along time (mod 256) because neighbouring 10 ms frames are
close.  Per coefficient, code q stands for lo + q * step; lo/hi are the 0.01 % / 99.99 % quantiles, so the
rounding error is ~0.08 standard deviations at 5 bits: well below what SpecAugment does to the input anyway.
`PackedDump` reads a pack with the same interface as dataset.Dump, so train.py takes either.
"""
import argparse
import json
import lzma
import os
import sys
from multiprocessing import Pool

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from dataset import FeatureSource  # noqa: E402

FORMAT = "hearken-feature-pack/1"


def quantizer(dump, bits, sample_utts=400, seed=0):
    """Per-coefficient lo and step from a sample of the dump's frames."""
    rng = np.random.default_rng(seed)
    idx = rng.permutation(len(dump.utts))[:sample_utts]
    sample = np.concatenate([raw_frames(dump, int(i)) for i in idx])
    lo = np.quantile(sample, 0.0001, axis=0)
    hi = np.quantile(sample, 0.9999, axis=0)
    step = np.maximum(hi - lo, 1e-6) / (2 ** bits - 1)
    return lo.astype(np.float32), step.astype(np.float32)


def raw_frames(dump, i):
    u = dump.utts[i]
    off, n = int(u["offset"]), int(u["frames"])
    return np.asarray(dump.shard(int(u["shard"]))[off:off + n], dtype=np.float32)


def encode_codes(codes):
    """uint8 [frames, dim] -> xz bytes of the time deltas."""
    d = np.diff(codes.astype(np.int16), axis=0, prepend=np.zeros((1, codes.shape[1]), np.int16))
    return lzma.compress((d & 0xFF).astype(np.uint8).tobytes(), preset=6)


def decode_codes(blob, dim):
    d = np.frombuffer(lzma.decompress(blob), dtype=np.uint8).reshape(-1, dim)
    return np.cumsum(d, axis=0, dtype=np.uint8)  # wraps mod 256, undoing the deltas exactly


def _write_part(job):
    path, codes = job
    with open(path + ".tmp", "wb") as f:
        f.write(encode_codes(codes))
    os.replace(path + ".tmp", path)
    return os.path.getsize(path)


def pack_dump(src, out, bits=5, part_frames=600_000, jobs=2):
    from dataset import Dump
    dump = Dump(src)
    lo, step = quantizer(dump, bits)
    levels = 2 ** bits - 1
    os.makedirs(out, exist_ok=True)
    parts, utts, jobs_list = [], [], []
    cur, cur_frames = [], 0

    def flush():
        nonlocal cur, cur_frames
        if not cur:
            return
        name = f"part-{len(parts):03d}.xz"
        codes = np.concatenate(cur)
        jobs_list.append((os.path.join(out, name), codes))
        parts.append({"file": name, "frames": int(codes.shape[0])})
        cur, cur_frames = [], 0

    for i, u in enumerate(dump.utts):
        f = raw_frames(dump, i)
        q = np.clip(np.rint((f - lo) / step), 0, levels).astype(np.uint8)
        utts.append({"id": u["id"], "transcript": u.get("transcript", ""), "frames": int(f.shape[0]),
                     "seconds": float(u.get("seconds", f.shape[0] * 0.01)), "part": len(parts),
                     "offset": cur_frames})
        cur.append(q)
        cur_frames += f.shape[0]
        if cur_frames >= part_frames:
            flush()
    flush()
    with Pool(jobs) as pool:
        sizes = pool.map(_write_part, jobs_list)
    meta = {"format": FORMAT, "source": os.path.relpath(src), "featureConfig": dump.feature_config,
            "dim": dump.dim, "bits": bits, "lo": lo.tolist(), "step": step.tolist(), "parts": parts,
            "utterances": utts}
    with open(os.path.join(out, "pack.json"), "w") as f:
        json.dump(meta, f)
    return {"utterances": len(utts), "frames": sum(p["frames"] for p in parts), "bytes": sum(sizes),
            "parts": len(parts)}


def _read_part(args):
    path, dim, frames = args
    with open(path, "rb") as f:
        codes = decode_codes(f.read(), dim)
    if codes.shape[0] != frames:
        raise ValueError(f"{path}: {codes.shape[0]} frames, pack.json says {frames}")
    return codes


class PackedDump(FeatureSource):
    """A pack read fully into memory as uint8 codes; `features(i)` dequantises one utterance."""

    def __init__(self, path, name=None, jobs=1):
        self.path = path
        self.name = name or os.path.basename(os.path.normpath(path))
        with open(os.path.join(path, "pack.json")) as f:
            self.index = json.load(f)
        if self.index.get("format") != FORMAT:
            raise ValueError(f"{path}: not a {FORMAT} pack")
        self.dim = int(self.index["dim"])
        self.feature_config = self.index.get("featureConfig")
        self.utts = self.index["utterances"]
        self.lo = np.asarray(self.index["lo"], dtype=np.float32)
        self.step = np.asarray(self.index["step"], dtype=np.float32)
        work = [(os.path.join(path, p["file"]), self.dim, int(p["frames"])) for p in self.index["parts"]]
        if jobs > 1:
            # threads, not processes: lzma releases the GIL, and forking a process that already runs
            # threads (gloo, OpenMP) can deadlock the children, which hung a whole GPU call once
            from concurrent.futures import ThreadPoolExecutor
            with ThreadPoolExecutor(jobs) as pool:
                self.codes = list(pool.map(_read_part, work))
        else:
            self.codes = [_read_part(w) for w in work]

    def frames(self, u, n):
        off = int(u["offset"])
        return self.lo + self.codes[int(u["part"])][off:off + n].astype(np.float32) * self.step


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dump", help="hearken features dump folder")
    ap.add_argument("--out", required=True)
    ap.add_argument("--bits", type=int, default=5, choices=range(2, 9))
    ap.add_argument("--part-frames", type=int, default=600_000, help="10 ms frames per compressed part")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    r = pack_dump(args.dump, args.out, args.bits, args.part_frames, args.jobs)
    print(f"packed {args.dump} -> {args.out}: {r['utterances']} utterances, {r['frames'] * 0.01 / 3600:.2f} h, "
          f"{r['parts']} parts, {r['bytes'] / 1e6:.1f} MB ({8 * r['bytes'] / max(1, r['frames'] * 30):.2f} bits/value)")


if __name__ == "__main__":
    main()
