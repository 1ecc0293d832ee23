#!/bin/sh
# Debian packages for Hearken training (data stage + trainer). Run as root.
set -e
apt-get update
apt-get install -y python3-torch python3-numpy python3-onnx libopenblas0-openmp \
  espeak-ng flite festival festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts \
  sox libsox-fmt-all opus-tools asterisk-core-sounds-en-wav asterisk-core-sounds-en
