// Builds static/css/site.css, the one stylesheet every page loads: the rules of the
// vendored Bootstrap (static/vendor/bootstrap/bootstrap.min.css) that some template,
// script or Python module of the portal can use, followed by static/css/portal.css.
// Run it through bin/build_css.sh after adding a Bootstrap class anywhere; the result is
// committed, so `make run` needs no Node. tests/static_build checks it is up to date.
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { PurgeCSS } from "purgecss";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BOOTSTRAP = join(ROOT, "static/vendor/bootstrap/bootstrap.min.css");
const PORTAL = join(ROOT, "static/css/portal.css");
const OUTPUT = join(ROOT, "static/css/site.css");

// Folders whose files never reach a page of ours: environments, vendored bundles (whose
// every word would keep the whole of Bootstrap), generated data and the tests.
const SKIP_DIRS = new Set([
  ".git", ".venv", "node_modules", "var", "tests", "bench", "migrations", "vendor",
  "locale", "__pycache__", ".ruff_cache", ".mypy_cache", ".pytest_cache", "tools",
]);

// Every template (of every app, new ones included), every script of ours and every
// Python module (forms give widgets their classes: form-control, is-invalid…).
function sources(dir, found = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) sources(join(dir, entry.name), found);
      continue;
    }
    const path = join(dir, entry.name);
    const inTemplates = relative(ROOT, path).split("/").includes("templates");
    if ((inTemplates && /\.(html|txt)$/.test(entry.name)) || /\.(js|py)$/.test(entry.name)) {
      found.push(path);
    }
  }
  return found;
}

const content = sources(ROOT);
const [purged] = await new PurgeCSS().purge({
  content,
  css: [BOOTSTRAP],
  // Custom properties, keyframes and font faces no kept rule refers to go too.
  variables: true,
  keyframes: true,
  fontFace: true,
  safelist: {
    // Classes that Bootstrap's own script adds (collapse, dropdown, fade), attributes
    // Popper sets, and the alert colours a message's level names (`alert-{{ tags }}`).
    standard: [
      "show", "showing", "hiding", "collapsing", "collapsed", "fade", "active", "disabled",
      /^alert-(primary|secondary|success|danger|warning|info|light|dark)$/,
      // `col-lg-{{ list_width }}` in recommendations/_list_and_form.html
      /^col-lg-\d+$/,
    ],
    greedy: [/data-bs-popper/],
  },
});

// Bootstrap's own banner (its copyright and licence) stays at the top of its rules.
const banner =
  "/* Built by bin/build_css.sh from static/vendor/bootstrap/bootstrap.min.css and\n" +
  " * static/css/portal.css: only the rules the portal's templates and scripts use.\n" +
  " * Do not edit: change portal.css or a template, then run bin/build_css.sh. */\n";
const rules = purged.css.trim().replace(/^@charset "UTF-8";/, "");
const css = '@charset "UTF-8";\n' + banner + rules + "\n" + readFileSync(PORTAL, "utf8");
writeFileSync(OUTPUT, css);
console.log(
  `static/css/site.css: ${css.length} bytes from ${content.length} files ` +
    `(Bootstrap alone: ${readFileSync(BOOTSTRAP).length} bytes)`,
);
