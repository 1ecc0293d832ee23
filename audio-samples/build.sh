#!/usr/bin/env bash
# Rebuilds the fixtures from ../../shared/train/real (held-out dev speakers 248 and 831, never trained on)
# and from the TTS engines. Needs opus-tools, sox, espeak-ng, flite. Output is committed; rerun only to change it.
set -euo pipefail
cd "$(dirname "$0")"
LL=../../shared/train/real/librilight-10h-part
FSDD=../../shared/train/real/fsdd
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
transcript() { grep -P "^opus/$1\.opus\t" "$LL/manifest.tsv" | cut -f2; }
decode() { opusdec --quiet --rate 16000 "$LL/opus/$1.opus" "$tmp/$1.raw.wav"; sox "$tmp/$1.raw.wav" -r 16000 -c 1 -b 16 "$2"; }

printf 'file\ttranscript\n' > manifest.tsv
for id in 248-130644-0000 831-130739-0004 831-130739-0011; do
  decode "$id" "librilight-$id.wav"
  printf '%s\t%s\n' "librilight-$id.wav" "$(transcript "$id")" >> manifest.tsv
done

# One long file (> 60 s): five consecutive utterances of speaker 248, joined.
long_ids=(248-130644-0001 248-130644-0002 248-130644-0003 248-130644-0004 248-130644-0005)
parts=(); text=()
for id in "${long_ids[@]}"; do decode "$id" "$tmp/$id.wav"; parts+=("$tmp/$id.wav"); text+=("$(transcript "$id")"); done
sox "${parts[@]}" long-librilight-248.wav
printf '%s\t%s\n' long-librilight-248.wav "${text[*]}" >> manifest.tsv

# 44.1 kHz stereo: exercises resampling and downmixing.
decode 831-130739-0012 "$tmp/s.wav"
sox "$tmp/s.wav" -r 44100 -c 2 -b 16 stereo-44k-librilight-831-130739-0012.wav rate -v
printf '%s\t%s\n' stereo-44k-librilight-831-130739-0012.wav "$(transcript 831-130739-0012)" >> manifest.tsv

# Spoken digit at its native 8 kHz (FSDD).
sox "$FSDD/flac/7_jackson_0.flac" -r 8000 -b 16 digit-8k-fsdd-7.wav
printf '%s\t%s\n' digit-8k-fsdd-7.wav seven >> manifest.tsv

# A spoken digit string (real speech, for grammar tests): FSDD speaker theo's 4 1 5 9, 0.3 s apart, 8 kHz.
parts=()
for d in 4 1 5 9; do sox "$FSDD/flac/${d}_theo_3.flac" -r 8000 -b 16 "$tmp/d$d.wav" pad 0 0.3; parts+=("$tmp/d$d.wav"); done
sox "${parts[@]}" digits-8k-fsdd-4159.wav
printf '%s\t%s\n' digits-8k-fsdd-4159.wav "four one five nine" >> manifest.tsv

# Synthetic speech.
espeak-ng -v en-us -s 150 -w "$tmp/e.wav" "the quick brown fox jumps over the lazy dog"
sox "$tmp/e.wav" -r 16000 -c 1 -b 16 tts-espeak-fox.wav
printf '%s\t%s\n' tts-espeak-fox.wav "the quick brown fox jumps over the lazy dog" >> manifest.tsv
flite -voice slt -t "please call stella and ask her to bring these things with her from the store" -o "$tmp/f.wav"
sox "$tmp/f.wav" -r 16000 -c 1 -b 16 tts-flite-stella.wav
printf '%s\t%s\n' tts-flite-stella.wav "please call stella and ask her to bring these things with her from the store" >> manifest.tsv

# One clip in every other container Hearken reads (decoder tests): the original Opus, then encodings of its WAV.
mkdir -p compressed
c=compressed/librilight-831-130739-0011
cp "$LL/opus/831-130739-0011.opus" "$c.opus"
chmod 644 "$c.opus"
sox librilight-831-130739-0011.wav "$c.flac"
sox librilight-831-130739-0011.wav -C 3 "$c.ogg"
sox librilight-831-130739-0011.wav -C 48 "$c.mp3"
du -ch ./*.wav compressed/* | tail -1
