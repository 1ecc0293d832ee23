"""Write a small learnable fake `hearken features` dump (for testing the trainer without real features).

  /usr/bin/python3 training/lcblstm/toy_dump.py --out /tmp/toy/train --utts 400 [--seed 1]

Each character has a fixed random 30-dim prototype (same for every --seed-proto); an utterance is its
transcript's characters, each held for 5-12 10 ms frames, plus noise and a random global offset.
"""
import argparse
import json
import os

import numpy as np

WORDS = ("the quick brown fox jumps over a lazy dog it's time to go home and see what we can do "
         "hello world speech recognition is fun when it works").split()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--utts", type=int, default=400)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--seed-proto", type=int, default=1234)
    ap.add_argument("--max-words", type=int, default=8)
    ap.add_argument("--shard-frames", type=int, default=200000)
    args = ap.parse_args()
    dim = 30
    proto = np.random.RandomState(args.seed_proto).randn(29, dim).astype(np.float32) * 2 + 5
    chars = " abcdefghijklmnopqrstuvwxyz'"
    rng = np.random.RandomState(args.seed)
    os.makedirs(args.out, exist_ok=True)
    shards, utts, cur, cur_frames = [], [], [], 0

    def flush():
        nonlocal cur, cur_frames
        if not cur:
            return
        fn = f"shard-{len(shards):03d}.f32"
        np.concatenate(cur).astype("<f4").tofile(os.path.join(args.out, fn))
        shards.append({"file": fn, "frames": cur_frames})
        cur, cur_frames = [], 0

    for i in range(args.utts):
        n = rng.randint(1, args.max_words + 1)
        text = " ".join(WORDS[j] for j in rng.randint(0, len(WORDS), n))
        frames = [np.tile(proto[0], (rng.randint(5, 15), 1))]
        for c in text:
            frames.append(np.tile(proto[1 + chars.index(c)], (rng.randint(5, 13), 1)))
        frames.append(np.tile(proto[0], (rng.randint(5, 15), 1)))
        f = np.concatenate(frames) + rng.randn(1, dim) * 0.5 + rng.randn(sum(len(x) for x in frames), dim) * 0.7
        if cur_frames + len(f) > args.shard_frames:
            flush()
        utts.append({"id": f"toy-{args.seed}-{i:05d}", "file": f"toy/{i}.wav", "transcript": text,
                     "shard": len(shards), "offset": cur_frames, "frames": len(f),
                     "seconds": round(len(f) * 0.01, 3)})
        cur.append(f.astype(np.float32))
        cur_frames += len(f)
    flush()
    fc = {"sampleRate": 16000, "frameLength": 512, "hopLength": 160, "window": "hanning", "melBands": 40,
          "mfccCoefficients": 30, "inputScale": 32768}
    with open(os.path.join(args.out, "index.json"), "w") as fh:
        json.dump({"featureConfig": fc, "dim": dim, "shards": shards, "utterances": utts, "failures": []}, fh)
    print(f"{args.out}: {len(utts)} utterances, {sum(s['frames'] for s in shards) / 360000:.2f} h")


if __name__ == "__main__":
    main()
