// Browser end-to-end test of the casework, as people use it: an exporter applies, the officer
// reviews screening and risk and asks for advice, the adviser answers, the officer refuses with
// reasons, the exporter sees the refusal, and anyone finds and checks it in the public
// register. JavaScript is switched off in the browser: every
// page must work without it. Screenshots go to $CANDOR_ARTIFACTS (default test-artifacts/e2e).
//
//   CANDOR_BINARY=build/src/cli/candor node web/e2e/casework.test.mjs
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const SKIP = 77;  // ctest's SKIP_RETURN_CODE
const chromiumPath = process.env.CANDOR_CHROMIUM || '/usr/bin/chromium';
const binary = process.env.CANDOR_BINARY;
if (!binary || !existsSync(binary)) {
  console.error('CANDOR_BINARY must name the built candor binary');
  process.exit(2);
}
if (!existsSync(chromiumPath)) {
  console.error(`SKIPPED: no Chromium at ${chromiumPath}; scripts/install-deps installs it`);
  process.exit(SKIP);
}
const artifacts = resolve(process.env.CANDOR_ARTIFACTS || 'test-artifacts/e2e');
mkdirSync(artifacts, { recursive: true });

const work = mkdtempSync(join(tmpdir(), 'candor-e2e-'));
// A sanctions list of one: the consignee the exporter names is on it.
writeFileSync(join(work, 'list.csv'),
  'id,name,type,country\nE2E-1,Gulf Secure Integration FZE,organization,AE\n');

function startServer() {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(binary, ['serve', '--demo', '--db', join(work, 'candor.db'),
      '--listen', '127.0.0.1:0', '--list', join(work, 'list.csv'), '--log-level', 'warn'],
      { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) resolvePromise({ child, base: m[1] });
    });
    child.on('exit', (code) => reject(new Error(`candor serve exited with ${code}: ${out}`)));
    setTimeout(() => reject(new Error('candor serve did not start in 60 s')), 60000);
  });
}

let failures = 0;
function check(condition, what) {
  if (condition) {
    console.log(`ok   ${what}`);
  } else {
    failures += 1;
    console.log(`FAIL ${what}`);
  }
}

// Accessibility basics on every page: one h1, a lang, a label for every field, the skip link
// first in the tab order.
async function checkPage(page, name) {
  const problems = await page.evaluate(() => {
    const out = [];
    if (document.documentElement.lang !== 'en') out.push('no lang="en"');
    if (document.querySelectorAll('h1').length !== 1) out.push('not exactly one h1');
    for (const field of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
      const labelled = (field.id && document.querySelector(`label[for="${field.id}"]`)) ||
        field.getAttribute('aria-label') || field.closest('label');
      if (!labelled) out.push(`field ${field.name} has no label`);
    }
    const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
    const dup = ids.filter((id, i) => ids.indexOf(id) !== i);
    if (dup.length) out.push(`duplicate ids: ${[...new Set(dup)].join(', ')}`);
    return out;
  });
  check(problems.length === 0, `${name}: accessible basics ${problems.join('; ')}`);
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => document.activeElement && document.activeElement.className);
  check(String(first).includes('govuk-skip-link'), `${name}: the skip link is first in tab order`);
  // The focused skip link is shown over the header; move focus away before clicking on.
  await page.evaluate(() => document.activeElement && document.activeElement.blur());
}

// Clicks something that loads a new page (a link, a form's button) and waits for that page.
async function go(page, selector) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
}

async function shot(page, name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

async function signIn(browser, base, email) {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.fill('#email', email);
  await page.fill('#password', 'demo-password');
  await go(page, 'button:has-text("Sign in")');
  return { context, page };
}

const { child, base } = await startServer();
const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  // 1. The exporter applies.
  const exporter = await signIn(browser, base, 'exporter.nordlicht@demo.candor.example');
  let page = exporter.page;
  check(page.url().endsWith('/cases'), 'exporter lands on their applications');
  await checkPage(page, 'exporter applications');
  await go(page, 'text=Apply for a licence >> nth=0');
  await checkPage(page, 'new application form');
  await page.fill('#title', 'Remote access platform for a signals directorate');
  await page.fill('#end_use', 'Interception of communications of persons under investigation.');
  await page.fill('#parties-0-name', 'Signals Intelligence Directorate');
  await page.selectOption('#parties-0-country', 'AE');
  await page.selectOption('#end_user_type', 'intelligence');
  await page.fill('#parties-1-name', 'Gulf Secure Integration FZE');
  await page.selectOption('#parties-1-country', 'AE');
  await page.fill('#items-0-name', 'Remote access suite');
  await page.fill('#items-0-description', 'Delivers and controls implants on phones.');
  await page.selectOption('#items-0-kind', 'software');
  await page.check('#items-0-fact-intrusion_software_generation_c2_delivery');
  await page.fill('#items-0-quantity', '1');
  await page.fill('#items-0-value', '3500000.00');
  await shot(page, '01-exporter-application-form');
  await go(page, 'button:has-text("Save as draft")');
  const reference = (await page.textContent('.govuk-caption-l')).trim();
  check(/^C-\d{4}-\d{4}$/.test(reference), `draft saved as ${reference}`);
  await checkPage(page, 'draft case');
  await go(page, '#submit-application');
  check((await page.textContent('#case-status')).trim() === 'Submitted', 'application submitted');
  await shot(page, '02-exporter-submitted');

  // 2. The officer reviews screening and risk, and asks for advice.
  const officer = await signIn(browser, base, 'officer@demo.candor.example');
  page = officer.page;
  await page.goto(`${base}/cases?state=open`);
  await checkPage(page, 'officer queue');
  await shot(page, '03-officer-queue');
  await go(page, `a:has-text("${reference}")`);
  await checkPage(page, 'officer case page');
  const screening = await page.textContent('#screening ~ .govuk-summary-card');
  check(screening.includes('Gulf Secure Integration FZE') && screening.includes('Open'),
    'the screening hit is shown, open');
  const explanation = await page.textContent('#screening ~ .govuk-summary-card .candor-explanation');
  check(/gulf = gulf/.test(explanation), `the hit comes with its explanation (${explanation.trim().slice(0, 50)})`);
  const risk = await page.textContent('#risk + p');
  check(/Clear risk|High|Elevated|Low/.test(risk), `the risk level is shown (${risk.trim().slice(0, 40)})`);
  check(await page.isVisible('text=Sources'), 'risk reasons come with sources');
  await go(page, '#do-start_review');
  await page.click('summary:has-text("Ask a human-rights adviser")');
  await page.fill('#question', 'Is there a clear risk of internal repression (criterion 2)?');
  await go(page, 'button:has-text("Request advice")');
  check((await page.textContent('#case-status')).trim() === 'Advice requested', 'advice requested');
  check((await page.textContent('.govuk-summary-list')).includes('Olga Berger'),
    'the officer who started the review holds the case');
  await shot(page, '04-officer-case-review');

  // 3. The adviser answers.
  const adviser = await signIn(browser, base, 'adviser@demo.candor.example');
  page = adviser.page;
  check(page.url().endsWith('/advice'), 'adviser lands on the inbox');
  await checkPage(page, 'adviser inbox');
  await shot(page, '05-adviser-inbox');
  await go(page, `a:has-text("${reference}")`);
  await page.fill('textarea[name=answer]', 'Yes: documented use of spyware against activists in the UAE. Refuse under criterion 2.');
  await go(page, 'button:has-text("Send advice")');
  check(page.url().includes('/advice'), 'back in the inbox after answering');
  check((await page.textContent('body')).includes('Answered'), 'the request shows as answered');

  // 4. The officer refuses with reasons.
  page = officer.page;
  await page.goto(`${base}/cases/${reference}`);
  check((await page.textContent('#advice ~ .govuk-summary-card')).includes('documented use of spyware'),
    "the adviser's answer is on the case");
  await page.fill('#reason-recommend', 'Refuse: clear risk, advice concurs.');
  await go(page, '#do-recommend');
  await page.click('#decision-form ~ form >> text=Refuse');
  await page.fill('#decision-reason', 'There is a clear risk that the platform would be used against journalists and activists.');
  await page.check('#criterion-criterion_2');
  await go(page, '#record-decision');
  check((await page.textContent('.govuk-error-summary')).includes('screening hit'),
    'the open screening hit blocks the decision, with an error summary');
  await shot(page, '06-officer-decision-blocked');
  await page.check('input[name=outcome][value=confirmed_match]');
  await page.fill('textarea[name=reason][id^=clear-reason]', 'Same company as the listed entry.');
  await go(page, 'button:has-text("Clear this hit")');
  await page.click('#decision-form ~ form >> text=Refuse');
  await page.fill('#decision-reason', 'There is a clear risk that the platform would be used against journalists and activists.');
  await page.check('#criterion-criterion_2');
  await go(page, '#record-decision');
  check((await page.textContent('#case-status')).trim() === 'Refused', 'the officer refused');
  await shot(page, '07-officer-refused');

  // 5. The exporter sees the refusal.
  page = exporter.page;
  await page.goto(`${base}/cases/${reference}`);
  const decision = await page.textContent('#decision');
  check(decision.includes('refused') && decision.includes('journalists') && decision.includes('Criterion 2'),
    'the exporter sees the refusal, its reasons and the criterion');
  check(!(await page.isVisible('#screening')), 'the exporter does not see the internal checks');
  await checkPage(page, 'exporter refused case');
  await shot(page, '08-exporter-sees-refusal');

  // 6. Anyone, without an account, finds the refusal in the public register and checks it.
  const visitor = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1100, height: 900 } });
  page = await visitor.newPage();
  await page.goto(`${base}/`);
  await go(page, 'a:has-text("Search the public register")');
  await checkPage(page, 'register search');
  await page.selectOption('#decision', 'refused');
  await go(page, 'button:has-text("Search")');
  const entryLink = page.locator(`a[href*="${reference}"]`).first();
  check(await entryLink.count() === 1, 'the refusal is in the public register');
  await shot(page, '09-register-refusals');
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), entryLink.click()]);
  const entryText = await page.textContent('main');
  check(entryText.includes('Refused') && entryText.includes('Proof that it is in the register'),
    'the entry page shows the decision and its inclusion proof');
  check(!entryText.includes('Gulf Secure Integration FZE'), 'no party name is published');
  await checkPage(page, 'register entry');
  await shot(page, '10-register-entry');
  await page.goto(`${base}/register/statistics`);
  check(await page.locator('svg.candor-map path').count() > 150, 'the statistics draw the world map');
  await checkPage(page, 'register statistics');
  await shot(page, '11-register-statistics');
  const feed = await page.request.get(`${base}/register/feed.atom?decision=refused`);
  check(feed.ok() && (await feed.text()).includes(reference), 'the Atom feed of refusals has the case');
  await page.goto(`${base}/register/report`);
  check((await page.textContent('main')).includes('Annual report'), 'the annual report opens');
  await checkPage(page, 'register report');
  await shot(page, '12-register-report');
} catch (error) {
  failures += 1;
  console.log(`FAIL ${error.stack}`);
} finally {
  await browser.close();
  child.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
}
console.log(failures === 0 ? 'all checks passed' : `${failures} check(s) failed`);
console.log(`screenshots: ${artifacts}`);
process.exit(failures === 0 ? 0 : 1);
