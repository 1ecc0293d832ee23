#!/usr/bin/python3
"""Hearken training DATA stage.

Builds 16 kHz mono 16-bit WAV sets + manifests (file<TAB>transcript, header, paths relative to the
manifest's folder):
  OUT/real-train   real speech (Libri-light part minus 2 held-out speakers, FSDD, dctts reader)
  OUT/real-dev     the 2 held-out Libri-light speakers
  OUT/real-aug     --aug-copies sox/numpy augmented copies of every real-train utterance
  OUT/so-train, OUT/so-dev, OUT/so-aug   speechocean762-train (125 Mandarin-L1 adults and children): 105 speakers
                   train, 20 whole speakers held out as so-dev (new_speakers.py), so-aug augmented like real-aug
  OUT/ast-train    Asterisk's English prompts (one speaker, 8 kHz telephone prompts), when Debian's
                   asterisk-core-sounds-en(-wav) are installed
  OUT/synth-train  TTS (espeak-ng, flite, festival) of normalised corpus sentences, --synth-hours
  OUT/synth-dev    ~300 TTS utterances, held-out voices and held-out sentences
  OUT/real-vtp, OUT/synth-vtp   --vtp-copies / --synth-vtp-copies speaker-perturbed copies of real-train /
                   synth-train (optional, default 0): pitch and formants moved together by 100-350 cents either way
                   (sox pitch: a shorter or longer vocal tract) and the speaking rate changed independently (sox
                   tempo 0.85-1.15), then the mild channel augmentation; new "speakers" for a model that knows its
                   training voices far better than new ones
  OUT/real-dev-aug, OUT/synth-dev-aug   --dev-aug-copies augmented copies of the dev sets (same augmentation as
                   real-aug): degraded held-out audio, so decoder tuning and confidence calibration also see speech
                   the model hears badly (never trained on)
  OUT/real-dev-onset, OUT/synth-dev-onset   the dev sets with their leading silence cut (sox silence 1 0.005 -45d):
                   speech from the first sample, as clips cut by other tools (LJ Speech's, a VAD's) arrive
  OUT/real-dev-offset, OUT/synth-dev-offset   the dev sets with their trailing silence cut (the same sox effect on the
                   reversed audio): speech to the last sample, as a clip cut off mid-sentence or a VAD segment ends
  OUT/summary.json
Deterministic given --seed (every utterance gets its own RNG derived from seed + its name), resumable
(existing outputs are skipped; files are written to a temp name and renamed), parallel (--jobs, default 2).
Usage: /usr/bin/python3 training/local/prepare.py --out training/work/data [--seed 1] [--synth-hours 8] [--aug-copies 2]
"""
import argparse
import hashlib
import json
import logging
import multiprocessing as mp
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import new_speakers  # noqa: E402
# audio_io.py: WAV and sox helpers; augment.py: noise, channel augmentation, speaker perturbation; tts.py: voices,
# synthesis and the sentence pool.  write_wav and shift_voice are not used here: they stay importable as
# prepare.write_wav / prepare.shift_voice (training/lcblstm/selftest.py).
from audio_io import SR, read_wav, run, wav_seconds, write_wav  # noqa: E402,F401
from augment import augment, perturb_speaker, shift_voice  # noqa: E402,F401
from tts import check_voices, est_seconds, load_sentences, pick_voice, tts  # noqa: E402

SHARED = "/work/shared"
REAL = os.path.join(SHARED, "train/real")
log = logging.getLogger("prepare")


def rng_for(seed, *tag):
    h = hashlib.sha256(("%d|" % seed + "|".join(map(str, tag))).encode()).digest()
    return np.random.default_rng(int.from_bytes(h[:8], "little"))


# ---------------------------------------------------------------- jobs (run in worker processes)
G = {}


def init_worker(babble_pool):
    G["babble"] = babble_pool
    os.environ.setdefault("OMP_NUM_THREADS", "1")


def do_job(job):
    kind, dst = job["kind"], job["dst"]
    try:
        if os.path.exists(dst):
            return ("skip", job, None)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        tmp = dst + ".part.wav"
        if kind == "convert":
            src = job["src"]
            if src.endswith(".opus"):
                run(["opusdec", "--quiet", "--rate", str(SR), src, tmp])
                run(["sox", "-D", "-R", "-V1", tmp, "-r", str(SR), "-c", "1", "-b", "16", tmp + ".2.wav"])
                os.replace(tmp + ".2.wav", dst)
                os.unlink(tmp)
            else:
                run(["sox", "-D", "-R", "-V1", src, "-r", str(SR), "-c", "1", "-b", "16", tmp])
                os.replace(tmp, dst)
            return ("ok", job, None)
        if kind == "onset":
            run(["sox", "-D", "-R", "-V1", job["src"], tmp, "silence", "1", "0.005", "-45d"])
            os.replace(tmp, dst)
            return ("ok", job, None)
        if kind == "offset":
            run(["sox", "-D", "-R", "-V1", job["src"], tmp, "reverse", "silence", "1", "0.005", "-45d", "reverse"])
            os.replace(tmp, dst)
            return ("ok", job, None)
        if kind == "aug":
            rng = rng_for(job["seed"], "aug", job["key"])
            d = augment(job["src"], dst, rng, babble_pool=G.get("babble"))
            return ("ok", job, d)
        if kind == "vtp":
            rng = rng_for(job["seed"], "vtp", job["key"])
            d = perturb_speaker(job["src"], dst, rng, babble_pool=G.get("babble") if job["babble"] else None)
            return ("ok", job, d)
        if kind == "synth":
            rng = rng_for(job["seed"], "synth", job["key"])
            raw = tmp + ".raw.wav"
            try:
                info = tts(job["engine"], job["voice"], job["text"], rng, raw)
                lvl = float(rng.uniform(1, 8))
                run(["sox", "-D", "-R", "-V1", raw, "-r", str(SR), "-c", "1", "-b", "16", tmp,
                     "rate", "-h", str(SR), "norm", "-%.1f" % lvl])
                x = read_wav(tmp)
                if len(x) < 0.3 * SR or np.max(np.abs(x)) < 1e-3:
                    raise RuntimeError("TTS output empty/too short")
                if job.get("aug") and rng.random() < 0.5:
                    info += " " + augment(tmp, dst, rng, babble_pool=None, mild=True)
                    os.unlink(tmp)
                else:
                    os.replace(tmp, dst)
            finally:
                for p in (raw, tmp):
                    if os.path.exists(p):
                        os.unlink(p)
            return ("ok", job, info)
        raise ValueError(kind)
    except Exception as e:  # logged and skipped, never fatal
        for p in (dst + ".part", dst + ".part.wav", dst + ".part.wav.2.wav"):
            if os.path.exists(p):
                try:
                    os.unlink(p)
                except OSError:
                    pass
        return ("fail", job, "%s: %s" % (type(e).__name__, str(e)[:300]))


def run_jobs(name, jobs, pool):
    todo = [j for j in jobs if not os.path.exists(j["dst"])]
    log.info("[%s] %d jobs, %d already done, %d to do", name, len(jobs), len(jobs) - len(todo), len(todo))
    t0 = time.time()
    last = t0
    done = fails = 0
    for status, job, info in pool.imap_unordered(do_job, todo, chunksize=4):
        done += 1
        if status == "fail":
            fails += 1
            log.warning("[%s] FAILED %s: %s", name, job["dst"], info)
        now = time.time()
        if now - last > 30 or done == len(todo):
            rate = done / max(now - t0, 1e-6)
            log.info("[%s] %d/%d done (%d failed), %.1f/s, ETA %.0f s", name, done, len(todo), fails, rate,
                     (len(todo) - done) / max(rate, 1e-6))
            last = now
    return fails


# ---------------------------------------------------------------- manifests
def read_manifest(folder):
    rows = []
    with open(os.path.join(folder, "manifest.tsv"), encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        assert header == ["file", "transcript"], header
        for line in f:
            line = line.rstrip("\n")
            if line:
                a, b = line.split("\t")
                rows.append((a, b))
    return rows


def write_manifest(setdir, rows):
    """rows: (abs wav path, transcript); only existing files are written. Returns (n, seconds)."""
    os.makedirs(setdir, exist_ok=True)
    n, secs = 0, 0.0
    tmp = os.path.join(setdir, "manifest.tsv.part")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("file\ttranscript\n")
        for path, text in rows:
            if not os.path.exists(path):
                continue
            try:
                d = wav_seconds(path)
            except Exception as e:
                log.warning("unreadable %s: %s", path, e)
                continue
            f.write("%s\t%s\n" % (os.path.relpath(path, setdir), text))
            n += 1
            secs += d
    os.replace(tmp, os.path.join(setdir, "manifest.tsv"))
    return n, secs


# ---------------------------------------------------------------- synthesis jobs
def synth_job(out, setname, idx, text, seed, dev):
    rng = rng_for(seed, "voice", setname, idx)
    eng, voice = pick_voice(rng, dev)
    vtag = voice.replace("+", "_").replace(" ", "")
    dst = os.path.join(out, setname, "wav", "%06d-%s-%s.wav" % (idx, eng, vtag))
    return {"kind": "synth", "dst": dst, "key": "%s/%d" % (setname, idx), "seed": seed, "engine": eng,
            "voice": voice, "text": text, "aug": not dev, "setname": setname}


# ---------------------------------------------------------------- main
def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--synth-hours", type=float, default=8.0)
    ap.add_argument("--synth-dev-utts", type=int, default=300)
    ap.add_argument("--aug-copies", type=int, default=2)
    ap.add_argument("--dev-aug-copies", type=int, default=1)
    ap.add_argument("--vtp-copies", type=int, default=0, help="speaker-perturbed copies of real-train (real-vtp)")
    ap.add_argument("--synth-vtp-copies", type=int, default=0,
                    help="speaker-perturbed copies of synth-train (synth-vtp)")
    ap.add_argument("--dev-speakers", default="",
                    help="comma-separated Libri-light speaker ids for real-dev (default: first two by numeric id)")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()

    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(message)s")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr)
    fh = logging.FileHandler(os.path.join(out, "prepare.log"))
    fh.setFormatter(fmt)
    log.addHandler(fh)
    t_start = time.time()
    log.info("start: %s", " ".join(sys.argv))
    check_voices()

    # ---- real data
    train_rows, dev_rows, convert = [], [], []
    libri = read_manifest(os.path.join(REAL, "librilight-10h-part"))
    spk = sorted({os.path.basename(f).split("-")[0] for f, _ in libri}, key=int)
    dev_spk = args.dev_speakers.split(",") if args.dev_speakers else spk[:2]
    log.info("Libri-light speakers: %d; held out for real-dev: %s", len(spk), dev_spk)
    for src_name in ("librilight-10h-part", "fsdd", "dctts-philippmatthes"):
        for f, text in read_manifest(os.path.join(REAL, src_name)):
            base = os.path.splitext(os.path.basename(f))[0]
            is_dev = src_name.startswith("librilight") and base.split("-")[0] in dev_spk
            setname = "real-dev" if is_dev else "real-train"
            dst = os.path.join(out, setname, "wav", src_name, base + ".wav")
            convert.append({"kind": "convert", "src": os.path.join(REAL, src_name, f), "dst": dst})
            (dev_rows if is_dev else train_rows).append((dst, text, src_name))

    summary = {"seed": args.seed, "args": vars(args), "sets": {}}
    # real-train wavs are babble sources, known up-front (only existing ones are used)
    babble_pool = [d for d, _, s in train_rows]
    with mp.Pool(args.jobs, initializer=init_worker, initargs=(babble_pool,)) as pool:
        t = time.time()
        run_jobs("real", convert, pool)
        timings = {"real": time.time() - t}
        n, s = write_manifest(os.path.join(out, "real-train"), [(d, x) for d, x, _ in train_rows])
        summary["sets"]["real-train"] = {"utterances": n, "hours": round(s / 3600, 3),
                                         "sources": sorted({x for _, _, x in train_rows})}
        n, s = write_manifest(os.path.join(out, "real-dev"), [(d, x) for d, x, _ in dev_rows])
        summary["sets"]["real-dev"] = {"utterances": n, "hours": round(s / 3600, 3),
                                       "speakers": dev_spk, "sources": ["librilight-10h-part"]}

        # ---- more real speakers (new_speakers.py): speechocean762-train -> so-train + held-out so-dev,
        # Asterisk's prompts -> ast-train
        t = time.time()
        so_train, so_dev, so_jobs, so_dev_spk = new_speakers.speechocean_rows(out)
        ast_rows, ast_jobs = new_speakers.asterisk_rows(out)
        run_jobs("new-speakers", so_jobs + ast_jobs, pool)
        timings["new-speakers"] = time.time() - t
        for name, rows, extra in (("so-train", so_train, {"speakers": 125 - len(so_dev_spk)}),
                                  ("so-dev", so_dev, {"speakers": so_dev_spk}),
                                  ("ast-train", ast_rows, {"speakers": 1})):
            if rows:
                n, s = write_manifest(os.path.join(out, name), [(d, x) for d, x, _ in rows])
                summary["sets"][name] = {"utterances": n, "hours": round(s / 3600, 3), **extra}

        # ---- augmentation of the real training speech (speed, reverb, noise, telephone band, gain)
        for aug_set, rows in (("real-aug", train_rows), ("so-aug", so_train)):
            t = time.time()
            aug_jobs, aug_rows = [], []
            for d, text, src_name in rows:
                if not os.path.exists(d):
                    continue
                base = os.path.splitext(os.path.basename(d))[0]
                for k in range(args.aug_copies):
                    dst = os.path.join(out, aug_set, "wav", src_name, "%s-a%d.wav" % (base, k))
                    aug_jobs.append({"kind": "aug", "src": d, "dst": dst, "seed": args.seed,
                                     "key": "%s/%s/%d" % (src_name, base, k)})
                    aug_rows.append((dst, text))
            if not aug_jobs:
                continue
            run_jobs(aug_set, aug_jobs, pool)
            timings[aug_set] = time.time() - t
            n, s = write_manifest(os.path.join(out, aug_set), aug_rows)
            summary["sets"][aug_set] = {"utterances": n, "hours": round(s / 3600, 3), "copies": args.aug_copies}

        # ---- synthetic
        t = time.time()
        sentences, cstats = load_sentences(args.seed)
        log.info("normalised sentence pool: %d %s", len(sentences), cstats)
        ndev = args.synth_dev_utts
        dev_sent, train_sent = sentences[:ndev], sentences[ndev:]
        dev_jobs = [synth_job(out, "synth-dev", i, txt, args.seed, True) for i, (_, txt) in enumerate(dev_sent)]
        run_jobs("synth-dev", dev_jobs, pool)
        n, s = write_manifest(os.path.join(out, "synth-dev"), [(j["dst"], j["text"]) for j in dev_jobs])
        summary["sets"]["synth-dev"] = {"utterances": n, "hours": round(s / 3600, 3),
                                        "voices": sorted({"%s:%s" % (j["engine"], j["voice"]) for j in dev_jobs
                                                          if os.path.exists(j["dst"])})}

        # ---- derived copies of the dev sets: augmented, and with their leading silence cut
        dev_sets = (("real-dev", [(d, x) for d, x, _ in dev_rows]),
                    ("synth-dev", [(j["dst"], j["text"]) for j in dev_jobs]))

        def aug_jobs_for(setname, src):
            base = os.path.splitext(os.path.basename(src))[0]
            return [{"kind": "aug", "src": src, "seed": args.seed, "key": "%s/%s/%d" % (setname, base, k),
                     "dst": os.path.join(out, setname + "-aug", "wav", "%s-a%d.wav" % (base, k))}
                    for k in range(args.dev_aug_copies)]

        def onset_jobs_for(setname, src):
            return [{"kind": "onset", "src": src,
                     "dst": os.path.join(out, setname + "-onset", "wav", os.path.basename(src))}]

        def offset_jobs_for(setname, src):
            return [{"kind": "offset", "src": src,
                     "dst": os.path.join(out, setname + "-offset", "wav", os.path.basename(src))}]

        for suffix, jobs_for, extra in (("aug", aug_jobs_for, {"copies": args.dev_aug_copies}),
                                        ("onset", onset_jobs_for, {}), ("offset", offset_jobs_for, {})):
            t = time.time()
            for setname, rows in dev_sets:
                jobs, derived = [], []
                for src, text in rows:
                    if os.path.exists(src):
                        for j in jobs_for(setname, src):
                            jobs.append(j)
                            derived.append((j["dst"], text))
                name = "%s-%s" % (setname, suffix)
                run_jobs(name, jobs, pool)
                n, s = write_manifest(os.path.join(out, name), derived)
                summary["sets"][name] = {"utterances": n, "hours": round(s / 3600, 3), **extra}
            timings["dev-" + suffix] = time.time() - t

        target = args.synth_hours * 3600
        train_jobs = []
        nxt = 0
        for rnd in range(4):   # plan by estimate, generate, measure, top up (deterministic)
            have = sum(wav_seconds(j["dst"]) for j in train_jobs if os.path.exists(j["dst"]))
            short = target - have
            if short <= 0.02 * target or nxt >= len(train_sent):
                break
            est, new = 0.0, []
            while est < short and nxt < len(train_sent):
                j = synth_job(out, "synth-train", nxt, train_sent[nxt][1], args.seed, False)
                est += est_seconds(j["text"], j["engine"])
                new.append(j)
                nxt += 1
            log.info("[synth-train] round %d: have %.2f h, planning %d more utterances (~%.2f h)",
                     rnd, have / 3600, len(new), est / 3600)
            train_jobs += new
            run_jobs("synth-train", new, pool)
        timings["synth"] = time.time() - t
        n, s = write_manifest(os.path.join(out, "synth-train"), [(j["dst"], j["text"]) for j in train_jobs])
        used = [j for j in train_jobs if os.path.exists(j["dst"])]
        by_engine = {}
        for j in used:
            by_engine.setdefault(j["engine"], set()).add(j["voice"])
        summary["sets"]["synth-train"] = {"utterances": n, "hours": round(s / 3600, 3),
                                          "voices": {k: sorted(v) for k, v in by_engine.items()},
                                          "n_voices": sum(len(v) for v in by_engine.values()),
                                          "sentence_pool": cstats}

        # ---- speaker-perturbed copies (new voices from the training voices; dev sets are never perturbed)
        for setname, rows, copies, with_babble in (
                ("real-vtp", train_rows, args.vtp_copies, True),
                ("synth-vtp", [(j["dst"], j["text"], "") for j in used], args.synth_vtp_copies, False)):
            if copies <= 0:
                continue
            t = time.time()
            jobs, rows_out = [], []
            for src, text, sub in rows:   # sub: the real source's folder, as in real-train
                if not os.path.exists(src):
                    continue
                base = os.path.splitext(os.path.basename(src))[0]
                for k in range(copies):
                    dst = os.path.join(out, setname, "wav", sub, "%s-v%d.wav" % (base, k))
                    jobs.append({"kind": "vtp", "src": src, "dst": dst, "seed": args.seed, "babble": with_babble,
                                 "key": "%s/%s/%s/%d" % (setname, sub, base, k)})
                    rows_out.append((dst, text))
            run_jobs(setname, jobs, pool)
            timings[setname] = time.time() - t
            n, s = write_manifest(os.path.join(out, setname), rows_out)
            summary["sets"][setname] = {"utterances": n, "hours": round(s / 3600, 3), "copies": copies}
    dev_text = {t for _, t in dev_sent}
    overlap = sum(1 for j in used if j["text"] in dev_text)
    assert overlap == 0, "synth-dev sentences leaked into synth-train"
    summary["timings_s"] = {k: round(v, 1) for k, v in timings.items()}
    summary["total_s"] = round(time.time() - t_start, 1)
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
    for k, v in summary["sets"].items():
        log.info("%-12s %6d utts %7.2f h", k, v["utterances"], v["hours"])
    log.info("done in %.1f s", time.time() - t_start)


if __name__ == "__main__":
    main()
