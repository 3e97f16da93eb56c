// Build the ballot bundle: ONE self-contained script, no eval, no network, no CDN.
//
//   node build.mjs             write src/tinnhiem/evote/static/evote/ballot.js
//   node build.mjs --check     exit 1 unless the committed bundle equals a fresh build
//   node build.mjs --out FILE  write the bundle to FILE instead
//
// The header names every bundled package with its version and licence, read from
// node_modules (installed from package-lock.json with `npm ci`).

import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "../..");
const DEFAULT_OUT = join(ROOT, "src/tinnhiem/evote/static/evote/ballot.js");

function parseArgs(argv) {
  const args = { check: false, out: DEFAULT_OUT };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--check") args.check = true;
    else if (argv[i] === "--out") args.out = resolve(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return args;
}

/** The packages of node_modules whose files went into the bundle. */
function bundledPackages(metafile) {
  const names = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    const m = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
    if (m) names.add(m[1]);
  }
  return [...names].sort().map((name) => {
    const dir = join(HERE, "node_modules", name);
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf-8"));
    const licence = readFileSync(join(dir, "LICENSE"), "utf-8").replace(/\r\n/g, "\n").trim();
    return { name, version: pkg.version, license: pkg.license, licence };
  });
}

function header(packages, esbuildVersion) {
  const own = JSON.parse(readFileSync(join(HERE, "package.json"), "utf-8"));
  const lines = [
    `Tín Nhiệm — encryption of an electronic ballot in the voter's browser (protocol tinnhiem/v1).`,
    `${own.name} ${own.version}, licence ${own.license}. Source: web/evote-ballot/ of the`,
    "Tín Nhiệm repository; specification: docs/crypto-spec.md. GENERATED FILE, do not edit:",
    "rebuild with `npm ci && npm run build` in web/evote-ballot (see its README).",
    `Built with esbuild ${esbuildVersion}.`,
    "",
    "Bundled third-party code:",
    ...packages.map((p) => `  ${p.name} ${p.version} (${p.license})`),
  ];
  const texts = new Map();
  for (const p of packages) {
    if (!texts.has(p.licence)) texts.set(p.licence, []);
    texts.get(p.licence).push(`${p.name} ${p.version}`);
  }
  for (const [text, who] of texts) {
    lines.push("", `Licence of ${who.join(", ")}:`, "", ...text.split("\n"));
  }
  return `/*!\n${lines.map((l) => (l ? ` * ${l}` : " *")).join("\n")}\n */`;
}

async function build() {
  const result = await esbuild.build({
    absWorkingDir: HERE,
    entryPoints: ["src/index.js"],
    bundle: true,
    write: false,
    format: "iife",
    platform: "browser",
    target: ["es2022"],
    charset: "utf8",
    legalComments: "none",
    minify: false,
    metafile: true,
    preserveSymlinks: true,
    logLevel: "silent",
  });
  const packages = bundledPackages(result.metafile);
  const code = new TextDecoder().decode(result.outputFiles[0].contents);
  // The project's CSP forbids eval: refuse a bundle that could need it.
  for (const needle of ["eval(", "new Function", "Function("]) {
    if (code.includes(needle)) throw new Error(`the bundle contains ${needle}`);
  }
  return `${header(packages, esbuild.version)}\n${code}`;
}

const args = parseArgs(process.argv.slice(2));
const bundle = await build();
if (args.check) {
  let committed = "";
  try {
    committed = readFileSync(args.out, "utf-8");
  } catch {
    // missing: differs
  }
  if (committed !== bundle) {
    console.error(`${relative(process.cwd(), args.out)} differs from a fresh build: run npm run build`);
    process.exit(1);
  }
  console.log(`${relative(process.cwd(), args.out)} equals a fresh build`);
} else {
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(args.out, bundle);
  console.log(`wrote ${relative(process.cwd(), args.out)} (${bundle.length} characters)`);
}
