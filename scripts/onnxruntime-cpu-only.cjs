#!/usr/bin/env node
'use strict';
// Hearken runs ONNX Runtime on the CPU only, with the binaries that the onnxruntime-node package ships.
// On Linux x64, onnxruntime-node's own postinstall also fetches its CUDA execution provider (several hundred MB)
// from a host outside the npm registry, and fails the whole `npm install` where that host cannot be reached.
// Its script skips the download when the CUDA files are already in place, and npm runs every package's
// preinstall before any package's postinstall, so this preinstall puts empty stand-ins at those paths.
// It changes nothing when the files exist, when the user chose explicitly (ONNXRUNTIME_NODE_INSTALL or
// --onnxruntime-node-install[-cuda]=...: onnxruntime-node's script then does what was asked), or off Linux x64.
// To get real CUDA binaries later: `npm rebuild onnxruntime-node --onnxruntime-node-install=cuda12`.
// It never fails the install: any problem leaves onnxruntime-node's own script to behave as it would anyway.
const fs = require('node:fs');
const path = require('node:path');

function explicitChoice() {
  const env = process.env;
  return Boolean(
    env.ONNXRUNTIME_NODE_INSTALL || env.npm_config_onnxruntime_node_install ||
    env.ONNXRUNTIME_NODE_INSTALL_CUDA || env.npm_config_onnxruntime_node_install_cuda,
  );
}

function main() {
  if (explicitChoice()) return;
  const platform = `${process.platform}/${process.arch}`;
  let ortDir;
  try {
    ortDir = path.dirname(require.resolve('onnxruntime-node/package.json', { paths: [path.join(__dirname, '..')] }));
  } catch {
    return; // not installed yet or elsewhere: nothing to prepare
  }
  let metadata;
  try {
    metadata = require(path.join(ortDir, 'script', 'install-metadata.js'));
  } catch {
    return; // a release without the download step
  }
  const binDir = path.join(ortDir, 'bin', 'napi-v6', platform);
  if (!fs.existsSync(binDir)) return;
  for (const name of metadata.requirements?.[platform] ?? []) {
    for (const file of Object.keys(metadata.manifests?.[`${platform}:${name}`] ?? {})) {
      const target = path.join(binDir, file);
      if (!fs.existsSync(target)) fs.writeFileSync(target, '');
    }
  }
}

try {
  main();
} catch (error) {
  console.warn(`hearken: could not prepare onnxruntime-node for CPU-only use (${error.message})`);
}
