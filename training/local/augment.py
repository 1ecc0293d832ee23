"""Augmentation for the DATA stage (prepare.py): noise (white, pink, brown, babble of other training speech), the
random channel chain of real-aug / so-aug / the *-dev-aug sets (speed, reverb, noise, telephone band, gain; `mild` for
TTS and perturbed voices) and the speaker perturbation of real-vtp / synth-vtp (sox pitch + tempo, then the mild
chain).  Every random choice is drawn from the RNG the caller passes; the babble pool is passed in too (prepare.py's
worker processes hold it)."""
import os

import numpy as np

from audio_io import SR, active_rms, read_wav, run, sox_float, sox_float_pipe, write_wav


def colored_noise(rng, n, kind):
    if kind == "white":
        return rng.standard_normal(n).astype(np.float32)
    w = rng.standard_normal(n)
    f = np.fft.rfftfreq(n, 1.0 / SR)
    f[0] = f[1] if n > 1 else 1.0
    spec = np.fft.rfft(w) / (np.sqrt(f) if kind == "pink" else f)
    spec[f < 20] = 0
    y = np.fft.irfft(spec, n)
    return (y / (np.std(y) + 1e-9)).astype(np.float32)


def babble(rng, n, pool, exclude):
    k = int(rng.integers(3, 7))
    out = np.zeros(n, np.float32)
    got = 0
    for _ in range(k * 3):
        if got >= k:
            break
        p = pool[int(rng.integers(len(pool)))]
        if p == exclude:
            continue
        try:
            y = read_wav(p)
        except Exception:
            continue
        if len(y) < 1600:
            continue
        y = y / (active_rms(y) + 1e-9)
        reps = int(np.ceil((n + len(y)) / len(y)))
        y = np.tile(y, reps)
        off = int(rng.integers(len(y) - n + 1))
        out += y[off:off + n]
        got += 1
    return out / (np.std(out) + 1e-9)


def augment(src, dst, rng, babble_pool=None, mild=False):
    """Random combo of speed / reverb / noise (white, pink, brown, babble) / telephone band / gain."""
    desc = []
    eff = []
    if rng.random() < (0.3 if mild else 0.6):
        lo, hi = (0.95, 1.05) if mild else (0.9, 1.1)
        sp = float(rng.uniform(lo, hi))
        eff += ["speed", "%.3f" % sp, "rate", "-h", str(SR)]
        desc.append("speed%.2f" % sp)
    if rng.random() < (0.15 if mild else 0.3):
        rev = (float(rng.uniform(10, 50 if mild else 90)), float(rng.uniform(10, 90)),
               float(rng.uniform(10, 100)), float(rng.uniform(0, 30)))
        eff += ["reverb", "%.0f" % rev[0], "%.0f" % rev[1], "%.0f" % rev[2], "100", "%.0f" % rev[3]]
        desc.append("reverb%.0f" % rev[0])
    x = sox_float([src], eff)
    use_noise = rng.random() < (0.5 if mild else 0.7)
    use_tel = rng.random() < (0.1 if mild else 0.2)
    if not desc and not use_noise and not use_tel and not mild:
        use_noise = True
    if use_noise:
        kinds = ["white", "pink", "brown"] + (["babble", "babble"] if babble_pool else [])
        kind = kinds[int(rng.integers(len(kinds)))]
        snr = float(rng.uniform(15, 30) if mild else rng.uniform(5, 30))
        nz = babble(rng, len(x), babble_pool, src) if kind == "babble" else colored_noise(rng, len(x), kind)
        x = x + nz * (active_rms(x) / (10 ** (snr / 20)))
        desc.append("%s%.0fdB" % (kind, snr))
    if use_tel:
        teff = ["sinc", "300-3400"]
        if rng.random() < 0.5:
            teff += ["rate", "8000", "rate", str(SR)]
            desc.append("tel8k")
        else:
            desc.append("tel")
        x = sox_float_pipe(x, teff)
    g = float(rng.uniform(-3, 3) if mild else rng.uniform(-6, 6))
    x = x * (10 ** (g / 20))
    desc.append("gain%+.1f" % g)
    if len(x) < 1600 or not np.isfinite(x).all():
        raise RuntimeError("augment produced bad audio")
    write_wav(dst, x)
    return "+".join(desc)


def shift_voice(src, dst, cents, tempo):
    """Pitch and formants up or down by `cents` at the same duration, then the duration divided by `tempo` at the
    same pitch (both WSOLA in sox)."""
    run(["sox", "-D", "-R", "-V1", src, "-b", "16", dst, "pitch", "%.0f" % cents, "tempo", "-s", "%.3f" % tempo,
         "rate", "-h", str(SR)])


def perturb_speaker(src, dst, rng, babble_pool=None):
    """A new voice from an old one: pitch + formants (vocal tract length) and speaking rate, each changed on its
    own, then the mild channel augmentation.  Shifts under 100 cents are left to real-aug's speed perturbation."""
    cents = float(rng.uniform(100, 350)) * (1 if rng.random() < 0.5 else -1)
    tempo = float(rng.uniform(0.85, 1.15))
    tmp = dst + ".vtp.wav"
    try:
        shift_voice(src, tmp, cents, tempo)
        desc = augment(tmp, dst, rng, babble_pool=babble_pool, mild=True)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return "pitch%+.0f+tempo%.2f+%s" % (cents, tempo, desc)
