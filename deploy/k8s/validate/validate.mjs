// Validates every Kubernetes object in deploy/k8s/**/*.yaml (kustomization files, this validator and the examples'
// patches excepted) against the Kubernetes OpenAPI schemas compiled into the kubernetes-models package (types,
// required fields, enums, formats), with no cluster and no network. Given a file (e.g. `kubectl kustomize` output),
// validates the objects of that file instead.
//   cd deploy/k8s/validate && npm ci && node validate.mjs [dir | file]
// Prints one line per object and "N passed, N failed"; exits 1 when an object is invalid or of an unknown kind.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, resolve, dirname, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

const dir = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), ".."));
let passed = 0;
let failed = 0;

function modulePath(apiVersion, kind) {
  // "v1" is the core group; "apps/v1" → apps/v1; "networking.k8s.io/v1" keeps its dotted group name.
  return `kubernetes-models/${apiVersion}/${kind}`;
}

// The manifests under dir, as paths relative to it (sorted; not kustomizations, this validator, the examples).
function manifests(root, sub = "") {
  const found = [];
  for (const entry of readdirSync(join(root, sub), { withFileTypes: true })) {
    const path = sub ? `${sub}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!sub && (entry.name === "validate" || entry.name === "examples")) continue;
      if (entry.name === "node_modules") continue;
      found.push(...manifests(root, path));
    } else if (entry.name.endsWith(".yaml") && entry.name !== "kustomization.yaml") {
      found.push(path);
    }
  }
  return found.sort();
}

const single = statSync(dir).isFile();
const files = single ? [relative(dirname(dir), dir)] : manifests(dir);
const base = single ? dirname(dir) : dir;
for (const file of files) {
  const docs = parseAllDocuments(readFileSync(join(base, file), "utf8"));
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      console.log(`FAIL ${file}: YAML error ${doc.errors[0].message}`);
      failed++;
      continue;
    }
    const obj = doc.toJS();
    if (obj == null) continue;
    const where = `${file} ${obj.kind}/${obj.metadata?.name}`;
    let Model;
    try {
      const mod = await import(modulePath(obj.apiVersion, obj.kind));
      Model = mod[obj.kind];
    } catch (e) {
      console.log(`FAIL ${where}: no schema for ${obj.apiVersion} ${obj.kind}`);
      failed++;
      continue;
    }
    try {
      new Model(obj).validate();
      console.log(`ok   ${where}`);
      passed++;
    } catch (e) {
      console.log(`FAIL ${where}: ${e.message}`);
      failed++;
    }
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
