"""More real speakers for the DATA stage: speechocean762's training half and Asterisk's English prompts.

speechocean762-train (/work/shared/train/real/speechocean762-train): 125 Mandarin-L1 speakers, adults and children,
20 short read prompts each.  Twenty whole speakers are held out as `so-dev`, drawn with a fixed seed (SO_DEV_SEED,
independent of prepare.py's --seed, so every run of the recipe measures the same voices) from each gender x age
group in proportion to its size, so the held-out voices mix children, teenagers and adults of both genders.

Asterisk's core sounds (Debian asterisk-core-sounds-en-wav, text in asterisk-core-sounds-en; CC BY-SA 3.0): 568
prompts by one professional speaker (Allison Smith) at 8 kHz: telephone-band speech of voice menus.  All of it
trains (`ast-train`); one speaker cannot make a dev set of unseen voices.
"""
import gzip
import os
import random

import textnorm

SO_DIR = "/work/shared/train/real/speechocean762-train"
SO_DEV_SEED = 762
# held-out speakers per (gender, age group): 20 of 125, in proportion to the groups' sizes (41/26/14/24/12/8)
SO_DEV_PER_GROUP = {("f", "adult"): 6, ("m", "adult"): 4, ("f", "child"): 2, ("m", "child"): 4,
                    ("f", "teen"): 2, ("m", "teen"): 2}
AST_WAV_DIR = "/usr/share/asterisk/sounds/en_US_f_Allison"
AST_TEXT = "/usr/share/doc/asterisk-core-sounds-en/core-sounds-en.txt.gz"


def _tsv(path):
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        return [dict(zip(header, line.rstrip("\n").split("\t"))) for line in f if line.strip()]


def age_group(age):
    age = int(age)
    return "child" if age <= 10 else "teen" if age <= 15 else "adult"


def so_dev_speakers():
    """The 20 held-out speaker ids, sorted; the same on every machine and for every --seed."""
    groups = {}
    for row in _tsv(os.path.join(SO_DIR, "speakers.tsv")):
        groups.setdefault((row["gender"], age_group(row["age"])), []).append(row["speaker"])
    rng = random.Random(SO_DEV_SEED)
    held = []
    for key in sorted(SO_DEV_PER_GROUP):
        held += rng.sample(sorted(groups[key]), SO_DEV_PER_GROUP[key])
    return sorted(held)


def speechocean_rows(out):
    """(train_rows, dev_rows, convert_jobs, dev_speakers); rows are (dst wav, transcript, source folder)."""
    if not os.path.isdir(SO_DIR):
        return [], [], [], []
    utt2spk = {r["utterance"]: r["speaker"] for r in _tsv(os.path.join(SO_DIR, "utt2spk.tsv"))}
    dev_spk = set(so_dev_speakers())
    train, dev, jobs = [], [], []
    for row in _tsv(os.path.join(SO_DIR, "manifest.tsv")):
        utt = os.path.splitext(os.path.basename(row["file"]))[0]
        spk = utt2spk[utt]
        setname = "so-dev" if spk in dev_spk else "so-train"
        dst = os.path.join(out, setname, "wav", spk, utt + ".wav")
        jobs.append({"kind": "convert", "src": os.path.join(SO_DIR, row["file"]), "dst": dst})
        (dev if spk in dev_spk else train).append((dst, row["transcript"], "speechocean762"))
    return train, dev, jobs, sorted(dev_spk)


def asterisk_rows(out):
    """(rows, convert_jobs) for the Asterisk prompts whose text normalises to the model alphabet; tones and
    other bracketed non-speech entries are left out."""
    if not (os.path.isfile(AST_TEXT) and os.path.isdir(AST_WAV_DIR)):
        return [], []
    rows, jobs = [], []
    with gzip.open(AST_TEXT, "rt", encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith(";") or ": " not in line:
                continue
            key, text = line.strip().split(": ", 1)
            src = os.path.join(AST_WAV_DIR, key + ".wav")
            if "[" in text or not os.path.isfile(src):
                continue
            norm = textnorm.normalise(text, min_words=1)
            if not norm:
                continue
            dst = os.path.join(out, "ast-train", "wav", key.replace("/", "_") + ".wav")
            jobs.append({"kind": "convert", "src": src, "dst": dst})
            rows.append((dst, norm, "asterisk"))
    return rows, jobs
