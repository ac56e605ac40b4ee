// Copies the favicon and the images the compiled CSS and templates
// reference into static/uswds/, so the site runs without node_modules.
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

const dist = "node_modules/@uswds/uswds/dist";
const out = "static/uswds";

const copy = (from, to) => {
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
};

copy(join(dist, "img/favicons/favicon.ico"), join(out, "img/favicons/favicon.ico"));

// Every url(...) in our stylesheet must exist next to it.
const css = readFileSync(join(out, "css/site.min.css"), "utf8");
const urls = [...css.matchAll(/url\(["']?([^"')]+)["']?\)/g)].map((m) => m[1]).filter((u) => !u.startsWith("data:"));
for (const url of new Set(urls)) {
  const relative = url.replace(/^\.\.\//, "");
  copy(join(dist, relative), join(out, relative));
}
console.log(`Copied the favicon and ${new Set(urls).size} images referenced by the CSS.`);
