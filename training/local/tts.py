"""Speech synthesis for the DATA stage (prepare.py): the TTS voices (training voices and the held-out dev voices),
which of them are installed (check_voices), one engine call (tts), the normalised corpus sentence pool
(load_sentences), a duration estimate for planning (est_seconds) and the seeded voice choice (pick_voice)."""
import logging
import os
import random
import tempfile

import textnorm
from audio_io import run

CORPUS = "/work/shared/corpus"
log = logging.getLogger("prepare")   # prepare.py's logger: its log file gets these lines too

# ---------------------------------------------------------------- voices
ESPEAK_TRAIN_BASES = ["en-us", "en-gb", "en-gb-scotland", "en-gb-x-rp", "en-gb-x-gbclan", "en-gb-x-gbcwmd",
                      "en-us-nyc"]
ESPEAK_TRAIN_VARIANTS = ["m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "f1", "f2", "f3", "f5",
                         "klatt", "klatt2", "klatt3", "klatt4", "Alex", "Alicia", "Andrea", "Andy", "Annie",
                         "adam", "anika", "aunty", "belinda", "benjamin", "caleb", "david", "ed", "edward",
                         "iven", "john", "linda", "max", "michel", "paul", "rob", "robert", "steph", "steph2",
                         "quincy", "zac", "shelby", "travis", "victor", "norbert", "Denis", "Gene", "Lee",
                         "Michael", "Mike", "grandpa", "grandma"]
ESPEAK_DEV_BASES = ["en-029"]                      # never used in synth-train
ESPEAK_DEV_VARIANTS = ["f4", "steph3", "edward2"]  # never used in synth-train
FLITE_TRAIN = ["kal16", "awb", "slt", "kal"]
FLITE_DEV = ["rms"]                                # never used in synth-train
FESTIVAL_TRAIN = ["kal_diphone", "ked_diphone", "cmu_us_slt_arctic_hts"]  # only installed ones are used
ENGINE_WEIGHTS = [("espeak", 0.55), ("flite", 0.30), ("festival", 0.15)]


def check_voices():
    """Drop TTS voices that are not installed here (logged); a missing dev voice is fatal."""
    import glob
    global FLITE_TRAIN, FESTIVAL_TRAIN
    fl = run(["flite", "-lv"]).decode().split(":", 1)[-1].split()
    fest = {os.path.basename(p) for p in glob.glob("/usr/share/festival/voices/*/*")}
    for name, have, lst in (("flite", fl, FLITE_TRAIN), ("festival", fest, FESTIVAL_TRAIN)):
        missing = [v for v in lst if v not in have]
        if missing:
            log.warning("%s voices not installed, not used: %s", name, missing)
    FLITE_TRAIN = [v for v in FLITE_TRAIN if v in fl]
    FESTIVAL_TRAIN = [v for v in FESTIVAL_TRAIN if v in fest]
    assert all(v in fl for v in FLITE_DEV), "flite dev voice missing"
    log.info("voices: flite %s, festival %s", FLITE_TRAIN, FESTIVAL_TRAIN)


def tts(engine, voice, text, rng, raw_path):
    if engine == "espeak":
        base, var = voice.split("+", 1)
        rate = int(rng.integers(130, 201))
        pitch = int(rng.integers(30, 71))
        run(["espeak-ng", "-v", voice, "-s", str(rate), "-p", str(pitch), "-w", raw_path, text])
        return "s%d p%d" % (rate, pitch)
    if engine == "flite":
        st = float(rng.uniform(0.85, 1.2))
        run(["flite", "-voice", voice, "--setf", "duration_stretch=%.2f" % st, "-t", text, "-o", raw_path])
        return "stretch%.2f" % st
    if engine == "festival":
        st = float(rng.uniform(0.85, 1.2))
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
            f.write(text + "\n")
            tpath = f.name
        try:
            run(["text2wave", "-eval", "(voice_%s)" % voice, "-eval",
                 "(Parameter.set 'Duration_Stretch %.2f)" % st, tpath, "-o", raw_path])
        finally:
            os.unlink(tpath)
        return "stretch%.2f" % st
    raise ValueError(engine)


def load_sentences(seed):
    pool, seen = [], set()
    stats = {}
    for name in ("ljspeech.txt", "gutenberg.txt", "wikitext2-valid-test.txt"):
        kept = 0
        with open(os.path.join(CORPUS, name), encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if not line:
                    continue
                if name.startswith("wikitext"):
                    line = textnorm.wikitext_fix(line)
                for s in textnorm.split_sentences(line):
                    n = textnorm.normalise(s)
                    if n and n not in seen:
                        seen.add(n)
                        pool.append((name, n))
                        kept += 1
        stats[name] = kept
    random.Random(seed).shuffle(pool)
    return pool, stats


def est_seconds(text, engine):
    # ~165 wpm average speaking rate + leading/trailing silence; calibrated roughly on these engines
    return (len(text.split()) * 60.0 / 165.0 * 1.05 + 0.4) * 0.85


def pick_voice(rng, dev):
    if dev:
        if rng.random() < 0.5:
            return "espeak", "%s+%s" % (ESPEAK_DEV_BASES[int(rng.integers(len(ESPEAK_DEV_BASES)))],
                                        ESPEAK_DEV_VARIANTS[int(rng.integers(len(ESPEAK_DEV_VARIANTS)))])
        return "flite", FLITE_DEV[0]
    r = rng.random()
    acc = 0.0
    for eng, w in ENGINE_WEIGHTS:
        acc += w
        if r < acc:
            break
    if eng == "espeak":
        return eng, "%s+%s" % (ESPEAK_TRAIN_BASES[int(rng.integers(len(ESPEAK_TRAIN_BASES)))],
                               ESPEAK_TRAIN_VARIANTS[int(rng.integers(len(ESPEAK_TRAIN_VARIANTS)))])
    if eng == "flite":
        return eng, FLITE_TRAIN[int(rng.integers(len(FLITE_TRAIN)))]
    return eng, FESTIVAL_TRAIN[int(rng.integers(len(FESTIVAL_TRAIN)))]
