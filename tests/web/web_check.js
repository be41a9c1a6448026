// Drives Debian's chromium (headless, through puppeteer-core from npm) over an exported web page
// served by `python3 -m http.server` on 127.0.0.1, and opened from disk (file://), as users open it:
//   node web_check.js NODE_MODULES FOLDER CHROMIUM RESULT.json [SCREENSHOT.png] [CLICKS]
// Writes what tst_webexport judges: the decoded point's latent and pixels, every request the page
// made, the page's load time, decode times over CLICKS clicks, and how the page fits a phone.
// Ends the server and the browser it started, by PID.
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const [modules, folder, chromium, resultPath, screenshotPath, clickArg] = process.argv.slice(2);
const puppeteer = require(`${modules}/puppeteer-core`);
const clicks = Number(clickArg || 100);

function serve() {
  const server = spawn('/usr/bin/python3', ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', folder],
                       { stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((resolve, reject) => {
    let text = '';
    server.stdout.on('data', (chunk) => {
      text += chunk;
      const found = /port (\d+)/.exec(text);
      if (found) resolve({ server, port: Number(found[1]) });
    });
    server.on('exit', () => reject(new Error('python3 -m http.server ended before serving')));
  });
}

const median = (values) => { const s = [...values].sort((x, y) => x - y); return s[Math.floor((s.length - 1) / 2)]; };

async function clickMap(page, fx, fy) {
  const box = await (await page.$('#map')).boundingBox();
  await page.mouse.click(box.x + fx * box.width, box.y + fy * box.height);
  await page.waitForFunction(() => window.vaeExplorer.idle(), { timeout: 60000 });
}

async function main() {
  const { server, port } = await serve();
  const origin = `http://127.0.0.1:${port}/`;
  const browser = await puppeteer.launch({
    executablePath: chromium, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--disable-default-apps'],
  });
  const result = { origin, requests: [] };
  try {
    const page = await browser.newPage();
    page.on('request', (request) => result.requests.push(request.url().slice(0, 200)));  // a data URL is megabytes
    page.on('pageerror', (error) => { result.pageError = String(error); });
    await page.setViewport({ width: 1280, height: 900 });
    const started = Date.now();
    await page.goto(origin, { waitUntil: 'load', timeout: 120000 });
    await page.evaluate(() => window.vaeExplorer.ready);
    result.loadMs = Date.now() - started;
    await clickMap(page, 0.7, 0.3);
    result.point = await page.evaluate(() => window.vaeExplorer.point());
    result.pixels = await page.evaluate(() => window.vaeExplorer.decodedPixels());
    // An interpolation strip between two clicked points.
    await page.click('#set-a');
    await clickMap(page, 0.2, 0.8);
    await page.click('#set-b');
    result.ends = await page.evaluate(() => document.getElementById('ends').textContent);
    if (screenshotPath) await page.screenshot({ path: screenshotPath });
    const before = (await page.evaluate(() => window.vaeExplorer.decodeMilliseconds())).length;
    for (let i = 0; i < clicks; ++i) await clickMap(page, 0.1 + 0.8 * ((i * 37) % 100) / 100, 0.1 + 0.8 * ((i * 61) % 100) / 100);
    const times = (await page.evaluate(() => window.vaeExplorer.decodeMilliseconds())).slice(before);
    result.decodeMedianMs = median(times);
    result.decodeBestMs = Math.min(...times);
    result.decodeCount = times.length;
    // A phone: the map fits without scrolling sideways.
    await page.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 1 });
    await page.reload({ waitUntil: 'load' });
    await page.evaluate(() => window.vaeExplorer.ready);
    result.phone = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      mapRight: document.getElementById('map').getBoundingClientRect().right,
    }));
    // Opened from disk, as a double-click opens it: the browser fetches nothing from file://.
    const fromDisk = await browser.newPage();
    fromDisk.on('pageerror', (error) => { result.fileError = String(error); });
    await fromDisk.setViewport({ width: 1280, height: 900 });
    await fromDisk.goto(`file://${fs.realpathSync(folder)}/index.html`, { waitUntil: 'load', timeout: 120000 });
    await fromDisk.evaluate(() => window.vaeExplorer.ready);
    await clickMap(fromDisk, 0.7, 0.3);
    result.filePoint = await fromDisk.evaluate(() => window.vaeExplorer.point());
    result.filePixels = await fromDisk.evaluate(() => window.vaeExplorer.decodedPixels());
  } finally {
    await browser.close();
    server.kill();
  }
  fs.writeFileSync(resultPath, JSON.stringify(result));
}

main().catch((error) => {
  console.error(String(error).split('\n')[0]);
  process.exit(1);
});
