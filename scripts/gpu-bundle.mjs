#!/usr/bin/env node
// Builds a self-contained benchmark bundle for a machine with no Node.js and no network (the GPU machine):
//   node scripts/gpu-bundle.mjs --out .gpu-bundle [--libvulkan PATH] [--no-libvulkan]
// Output: <out>/run.sh (the only thing to call), <out>/payload.tar.xz (node, the esbuild bundle of
// benchmarks/src/bundle-entry.ts, tfjs/parquet .wasm files, webgpu's index.js + linux-x64 dawn.node, package data,
// libvulkan.so.1), <out>/MANIFEST.txt. How to use it: docs/gpu.md.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    out: { type: 'string', default: '.gpu-bundle' },
    libvulkan: { type: 'string' },
    'no-libvulkan': { type: 'boolean', default: false },
  },
});
const out = resolve(root, values.out);
const stage = join(out, 'payload');
const LIMIT = 64 * 2 ** 20;
// The repo itself (tracked files) travels in the same 64 MiB as the bundle: keep the bundle well under it.
const BUDGET = 48 * 2 ** 20;

rmSync(out, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
const require = createRequire(join(root, 'benchmarks', 'package.json'));
const pkgDir = (name) => dirname(require.resolve(`${name}/package.json`));

// Sources that locate files next to themselves (new URL('../data/x', import.meta.url)) get an import.meta.url that
// points into app/<their repo path> beside the bundle; their data folders are copied there below.
const dataDirs = new Set();
const metaUrlPlugin = {
  name: 'workspace-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /[\\/](packages|benchmarks)[\\/].*\.ts$/ }, (args) => {
      let text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url') || args.path.includes('node_modules')) return undefined;
      const rel = relative(root, args.path).split('\\').join('/');
      if (rel.startsWith('packages/')) {
        // data/ (package data) and goldens/ (@panel-lab/testing's R references, read by the gpu-conformance suite)
        for (const dir of ['data', 'goldens']) {
          const data = join(root, rel.split('/').slice(0, 2).join('/'), dir);
          if (existsSync(data)) dataDirs.add(data);
        }
      }
      // bundle-entry.ts must keep the real URL: it spawns itself.
      if (rel === 'benchmarks/src/bundle-entry.ts') return undefined;
      text = text.replaceAll('import.meta.url', `new URL(${JSON.stringify(`./app/${rel}`)}, import.meta.url).href`);
      return { contents: text, loader: 'ts' };
    });
  },
};

const banner = [
  // CommonJS modules bundled into ESM (tfjs, parquet-wasm, gpu.js) use require/__dirname: give them the bundle's.
  "import { createRequire as __plCreateRequire } from 'node:module';",
  "import { dirname as __plDirname } from 'node:path';",
  "import { fileURLToPath as __plFileURLToPath } from 'node:url';",
  'const require = __plCreateRequire(import.meta.url);',
  'const __filename = __plFileURLToPath(import.meta.url);',
  'const __dirname = __plDirname(__filename);',
].join('\n');

const result = await build({
  entryPoints: [join(root, 'benchmarks', 'src', 'bundle-entry.ts')],
  outfile: join(stage, 'panel-lab-bench.mjs'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // the workspace packages from their TypeScript sources (no build needed), as in the tests
  conditions: ['@panel-lab/source'],
  banner: { js: banner },
  // webgpu: its index.js loads dist/<platform>/dawn.node relative to itself, so it stays a real package in
  // node_modules/ beside the bundle. gl (headless-gl) is gpu.js's optional dependency, not installed, require in try.
  // DuckDB (file reading) is native and loaded only on a read; the device runs read no files.
  external: ['webgpu', 'gl', '@duckdb/*'],
  plugins: [metaUrlPlugin],
  logLevel: 'warning',
  metafile: true,
  legalComments: 'none',
});

// webgpu: JS + the linux-x64 native binary only (the package holds five platforms, 132 MB).
const webgpu = pkgDir('webgpu');
const webgpuOut = join(stage, 'node_modules', 'webgpu');
mkdirSync(join(webgpuOut, 'dist', 'linux-x64'), { recursive: true });
for (const f of ['package.json', 'index.js', 'LICENSE.md']) copyFileSync(join(webgpu, f), join(webgpuOut, f));
copyFileSync(join(webgpu, 'dist', 'linux-x64', 'dawn.node'), join(webgpuOut, 'dist', 'linux-x64', 'dawn.node'));
const webgpuImports = readFileSync(join(webgpu, 'index.js'), 'utf8').match(/from '([^.][^']*)'/g) ?? [];
const nonBuiltin = webgpuImports.filter((s) => !/from '(node:|module'|path'|url')/.test(s));
if (nonBuiltin.length) throw new Error(`webgpu/index.js imports packages the bundle does not carry: ${nonBuiltin.join(', ')}`);

// .wasm files read at run time from __dirname (= the bundle's folder).
const wasmDir = join(pkgDir('@tensorflow/tfjs-backend-wasm'), 'dist');
for (const f of readdirSync(wasmDir).filter((f) => f.endsWith('.wasm'))) copyFileSync(join(wasmDir, f), join(stage, f));
// parquet-wasm: whichever copy esbuild bundled (its node build reads parquet_wasm_bg.wasm beside itself).
for (const input of Object.keys(result.metafile.inputs).filter((p) => /parquet-wasm[\\/]node[\\/]parquet_wasm\.js$/.test(p))) {
  copyFileSync(join(root, dirname(input), 'parquet_wasm_bg.wasm'), join(stage, 'parquet_wasm_bg.wasm'));
}

// Package data found by the plugin, at the same relative place under app/.
for (const dir of dataDirs) cpSync(dir, join(stage, 'app', relative(root, dir)), { recursive: true });

// libvulkan.so.1 for a machine without the Vulkan loader: run.sh uses it only when ldconfig finds none.
if (!values['no-libvulkan']) {
  const lib = values.libvulkan ?? findLibvulkan();
  if (!lib) throw new Error("no libvulkan.so.1 found: get one with `apt-get download libvulkan1 && dpkg -x libvulkan1_*.deb /tmp/vk` and pass --libvulkan /tmp/vk/usr/lib/x86_64-linux-gnu/libvulkan.so.1, or pass --no-libvulkan");
  mkdirSync(join(stage, 'lib'), { recursive: true });
  copyFileSync(lib, join(stage, 'lib', 'libvulkan.so.1'));
}

copyFileSync(process.execPath, join(stage, 'node'));
chmodSync(join(stage, 'node'), 0o755);
copyFileSync(join(root, 'benchmarks', 'scripts', 'gpu-run.sh'), join(out, 'run.sh'));
chmodSync(join(out, 'run.sh'), 0o755);

const files = listFiles(stage);
const manifest = [
  `panel-lab GPU bundle, built ${new Date().toISOString()} from ${gitHead()} with node ${process.version} (${process.platform}-${process.arch})`,
  'payload.tar.xz holds (bytes, uncompressed):',
  ...files.map((f) => `  ${statSync(join(stage, f)).size}\t${f}`),
].join('\n');
writeFileSync(join(stage, 'MANIFEST.txt'), `${manifest}\n`);
writeFileSync(join(out, 'MANIFEST.txt'), `${manifest}\n`);

console.log(`compressing ${files.length} files with xz -9 ...`);
execFileSync('tar', ['-C', stage, '-cJf', join(out, 'payload.tar.xz'), '.'], { stdio: 'inherit', env: { ...process.env, XZ_OPT: '-9 -T0' } });
rmSync(stage, { recursive: true, force: true });

const total = listFiles(out).reduce((s, f) => s + statSync(join(out, f)).size, 0);
const mib = (b) => `${(b / 2 ** 20).toFixed(1)} MiB`;
console.log(`${relative(root, out) || out}: ${mib(total)} in all (payload ${mib(statSync(join(out, 'payload.tar.xz')).size)}); transfer limit ${mib(LIMIT)}, bundle budget ${mib(BUDGET)}`);
if (total > BUDGET) {
  console.error(`bundle is ${mib(total)}, over its ${mib(BUDGET)} budget`);
  process.exit(1);
}

function listFiles(dir, prefix = '') {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(dir, join(prefix, e.name)) : [join(prefix, e.name)],
  ).sort();
}

function findLibvulkan() {
  try {
    const line = execFileSync('ldconfig', ['-p'], { encoding: 'utf8' }).split('\n').find((l) => /libvulkan\.so\.1 .*x86-64/.test(l));
    return line?.split('=>')[1]?.trim();
  } catch {
    return undefined;
  }
}

function gitHead() {
  try {
    return execFileSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown commit';
  }
}
