"""Audio primitives of the DATA stage (prepare.py): the subprocess runner, 16 kHz mono 16-bit WAV I/O, sox to and
from float32 samples, and the active-speech RMS that noise levels are set against."""
import os
import subprocess
import wave

import numpy as np

SR = 16000


def run(cmd, inp=None, timeout=300):
    p = subprocess.run(cmd, input=inp, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    if p.returncode != 0:
        raise RuntimeError("%s failed (%d): %s" % (cmd[0], p.returncode, p.stderr.decode(errors="replace")[-300:]))
    return p.stdout


def read_wav(path):
    with wave.open(path, "rb") as w:
        assert w.getsampwidth() == 2 and w.getnchannels() == 1 and w.getframerate() == SR, path
        x = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    return x.astype(np.float32) / 32768.0


def write_wav(path, x):
    """Write float [-1,1] as 16-bit mono WAV atomically (no dither: deterministic)."""
    peak = float(np.max(np.abs(x))) if len(x) else 0.0
    if peak > 0.99:
        x = x * (0.99 / peak)
    y = np.clip(np.round(x * 32767.0), -32768, 32767).astype("<i2")
    tmp = path + ".part"
    with wave.open(tmp, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SR)
        w.writeframes(y.tobytes())
    os.replace(tmp, path)


def wav_seconds(path):
    with wave.open(path, "rb") as w:
        return w.getnframes() / float(w.getframerate())


def sox_float(src_args, effects):
    """Run sox on an input (list of args) and return float32 mono 16k samples."""
    out = run(["sox", "-D", "-R", "-V1"] + src_args +
              ["-t", "raw", "-e", "floating-point", "-b", "32", "-c", "1", "-r", str(SR), "-"] + effects)
    return np.frombuffer(out, dtype=np.float32).copy()


def sox_float_pipe(x, effects):
    """Run sox effects on float32 samples via pipes."""
    return np.frombuffer(run(
            ["sox", "-D", "-R", "-V1", "-t", "raw", "-e", "floating-point", "-b", "32", "-c", "1", "-r", str(SR),
             "-", "-t", "raw", "-e", "floating-point", "-b", "32", "-c", "1", "-r", str(SR), "-"] + effects,
            inp=x.astype(np.float32).tobytes()), dtype=np.float32).copy()


def active_rms(x):
    if len(x) < 320:
        return float(np.sqrt(np.mean(x ** 2) + 1e-12))
    n = len(x) // 320
    e = np.mean(x[:n * 320].reshape(n, 320) ** 2, axis=1)
    thr = e.max() * 10 ** (-40 / 10)
    act = e[e > thr]
    return float(np.sqrt(np.mean(act) + 1e-12)) if len(act) else float(np.sqrt(np.mean(e) + 1e-12))
