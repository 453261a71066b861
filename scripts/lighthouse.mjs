// Lighthouse (installed by scripts/bootstrap.sh test from package-lock.json) on the pages
// given, with its default mobile profile, in one headless Chromium. Prints one JSON line
// per page: its scores (0-100), the bytes transferred on first load by kind (Document,
// Stylesheet, Script, ...), and the audits that did not pass.
//
//   node scripts/lighthouse.mjs performance,accessibility,best-practices URL...
//
// Used by sharaka/tests/test_lighthouse.py and bench/bench_lighthouse.py.
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

const [categories, ...urls] = process.argv.slice(2);
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || "/usr/bin/chromium",
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu"],
});
try {
  for (const url of urls) {
    const { lhr } = await lighthouse(url, {
      port: chrome.port,
      output: "json",
      logLevel: "error",
      onlyCategories: categories.split(","),
    });
    const scores = {};
    const failed = [];
    for (const [id, category] of Object.entries(lhr.categories)) {
      scores[id] = Math.round((category.score ?? 0) * 100);
      for (const ref of category.auditRefs) {
        const audit = lhr.audits[ref.id];
        if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
          failed.push(`${id}/${ref.id}`);
        }
      }
    }
    const weights = {};
    for (const item of lhr.audits["network-requests"]?.details?.items ?? []) {
      weights[item.resourceType] = (weights[item.resourceType] ?? 0) + (item.transferSize ?? 0);
    }
    const errors = lhr.runtimeError ? [lhr.runtimeError.message] : [];
    console.log(JSON.stringify({ url, scores, weights, failed, errors }));
  }
} finally {
  await chrome.kill();
}
