import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext } from 'playwright-core';
import type { HearkenServer } from '../../src/server/index.js';
import { normalizeWords } from '../../src/text/normalize.js';
import { SAMPLES } from '../helpers.js';
import { REAL_MODEL, batchRecognizer, metricValue, startServer, wavPcm } from './helpers.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const FILE = join(SAMPLES, 'tts-espeak-fox.wav');

/**
 * A TCP proxy on loopback in front of the server whose WebSocket upgrade requests pass, wait until `release()`,
 * or are refused (the connection closed at once): a slow or unreachable server, as the page sees it.
 */
class UpgradeGate {
  mode: 'pass' | 'hold' | 'refuse' = 'pass';
  private held: (() => void)[] = [];
  private onHeld: (() => void)[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly tcp: TcpServer, readonly http: string) {}

  static async start(targetPort: number): Promise<UpgradeGate> {
    const tcp = createTcpServer();
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    const gate = new UpgradeGate(tcp, `http://127.0.0.1:${(tcp.address() as { port: number }).port}`);
    tcp.on('connection', (client) => gate.accept(client, targetPort));
    return gate;
  }

  /** Resolves once an upgrade request is being held. */
  upgradeHeld(): Promise<void> {
    return this.held.length > 0 ? Promise.resolve() : new Promise((resolve) => this.onHeld.push(resolve));
  }

  release(): void {
    this.mode = 'pass';
    for (const go of this.held.splice(0)) go();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.tcp.close(() => resolve()));
  }

  private accept(client: Socket, targetPort: number): void {
    this.sockets.add(client);
    client.on('close', () => this.sockets.delete(client));
    client.on('error', () => client.destroy());
    client.once('data', (first) => {
      client.pause();
      const upgrade = /\r\nupgrade:\s*websocket/i.test(first.toString('latin1'));
      const go = (): void => {
        const upstream = connect(targetPort, '127.0.0.1', () => {
          upstream.write(first);
          client.pipe(upstream);
          upstream.pipe(client);
        });
        this.sockets.add(upstream);
        upstream.on('close', () => client.destroy());
        upstream.on('error', () => client.destroy());
        client.on('close', () => upstream.destroy());
      };
      if (!upgrade || this.mode === 'pass') go();
      else if (this.mode === 'refuse') client.destroy();
      else {
        this.held.push(go);
        for (const notify of this.onHeld.splice(0)) notify();
      }
    });
  }
}

if (!CHROMIUM) console.warn('browser test skipped: chromium not found at /usr/bin/chromium (apt-get install -y chromium)');

// A browser, a server and real-time audio on a possibly loaded machine: generous limits.
describe.skipIf(!CHROMIUM)('captions page in headless Chromium (fake microphone playing a fixture WAV)', { timeout: 300_000 }, () => {
  let server: HearkenServer;
  let http: string;
  let browser: BrowserContext;
  let profile: string;
  beforeAll(async () => {
    ({ server, http } = await startServer({ workers: 1 }));
    profile = mkdtempSync(join(tmpdir(), 'hearken-chromium-'));
    // A fresh profile folder (playwright passes it as --user-data-dir).
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        `--use-file-for-fake-audio-capture=${FILE}%noloop`,
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('microphone → worklet → WebSocket → live partial and final captions; stop closes cleanly', async () => {
    const page = await browser.newPage();
    const partials: string[] = [];
    await page.exposeFunction('notePartial', (t: string) => partials.push(t));
    await page.goto(`${http}/`);
    await page.evaluate(() => {
      const el = document.getElementById('partial')!;
      new MutationObserver(() => (window as unknown as { notePartial(t: string): void }).notePartial(el.textContent ?? '')).observe(el, { childList: true, characterData: true, subtree: true });
    });
    await page.click('#toggle');
    await page.waitForSelector('body[data-state="live"]', { timeout: 15_000 });
    const seconds = wavPcm(FILE).bytes.length / 32000;
    await page.waitForTimeout(seconds * 1000 + 1500);
    await page.click('#toggle');
    await page.waitForSelector('body[data-state="closed"]', { timeout: 20_000 });
    expect(await page.getAttribute('body', 'data-close-code')).toBe('1000');
    expect(await page.getAttribute('body', 'data-error')).toBeNull();
    expect(await page.isHidden('#error')).toBe(true);
    const shown = ((await page.textContent('#final')) ?? '').trim();
    expect(partials.some((p) => p.trim() !== '')).toBe(true);
    expect(shown).not.toBe('');
    // The fixture's audio really went through: at least its length was decoded.
    expect(await metricValue(server, 'hearken_audio_seconds_total')).toBeGreaterThanOrEqual(seconds * 0.9);
    if (REAL_MODEL) {
      // Chromium's fake microphone loops the file from the moment the device opens, so the page hears the
      // fixture at some phase, resampled by the browser: not the same samples as the file. So ask that real
      // words of this audio (as batch transcription hears them) come through, not an identical transcript.
      const recognizer = await batchRecognizer();
      const batch = (await recognizer.transcribeFile(FILE)).text;
      await recognizer.close();
      // the page asks for punctuation and capitals: each final caption is a cased sentence
      expect(shown, shown).toMatch(/^[A-Z0-9].*[.?]$/);
      const shownWords = new Set(normalizeWords(shown));
      const heard = [...new Set(batch.split(' ').filter((w) => w.length >= 3))].filter((w) => shownWords.has(w));
      expect(heard.length, `browser "${shown}" vs batch "${batch}"`).toBeGreaterThanOrEqual(3);
    }
    await page.close();
  });

  it('a phrase list from the page (?phrases=) restricts the captions to its words', async () => {
    const digits = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
    const page = await browser.newPage();
    await page.goto(`${http}/?phrases=${encodeURIComponent([...digits, '[unk]'].join('|'))}`);
    expect((await page.inputValue('#phrases')).split('\n')).toEqual([...digits, '[unk]']);
    await page.click('#toggle');
    await page.waitForSelector('body[data-state="live"]', { timeout: 15_000 });
    await page.waitForTimeout((wavPcm(FILE).bytes.length / 32000) * 1000 + 1500);
    await page.click('#toggle');
    await page.waitForSelector('body[data-state="closed"]', { timeout: 20_000 });
    expect(await page.getAttribute('body', 'data-close-code')).toBe('1000');
    expect(await page.getAttribute('body', 'data-error')).toBeNull();
    const shown = ((await page.textContent('#final')) ?? '').trim().split(' ').filter(Boolean);
    if (REAL_MODEL) expect(shown.length).toBeGreaterThan(0);
    // the fox sentence has none of these words; the page asks for numerals, so digits may come as figures, and
    // for punctuation and capitals, so a word may be cased and carry a mark
    for (const w of shown.map((x) => x.replace(/[,.?]$/, '').toLowerCase())) expect(/^\d+$/.test(w) || [...digits, '[unk]'].includes(w)).toBe(true);
    await page.close();
  });
  it('keeps the audio captured while the socket opens: a server slow to answer still hears the first words', async () => {
    const gate = await UpgradeGate.start(Number(new URL(http).port));
    const page = await browser.newPage();
    const sent: (string | Buffer)[] = [];
    page.on('websocket', (ws) => ws.on('framesent', (frame) => sent.push(frame.payload)));
    try {
      await page.goto(`${gate.http}/`);
      expect(await page.textContent('#status')).toBe('ready');
      const before = await metricValue(server, 'hearken_audio_seconds_total');
      gate.mode = 'hold';
      await page.click('#toggle');
      await gate.upgradeHeld();
      expect(await page.textContent('#status')).toBe('connecting…');
      // the whole fixture plays into the microphone while the server has not yet answered
      const seconds = wavPcm(FILE).bytes.length / 32000;
      await page.waitForTimeout(seconds * 1000 + 500);
      expect(await page.getAttribute('body', 'data-state')).toBe('connecting');
      gate.release();
      await page.waitForSelector('body[data-state="live"]', { timeout: 60_000 });
      expect(await page.textContent('#status')).toBe('connected');
      // stop once the server has received at least the fixture's length of audio
      const deadline = Date.now() + 60_000;
      while ((await metricValue(server, 'hearken_audio_seconds_total')) - before < seconds && Date.now() < deadline) await page.waitForTimeout(100);
      await page.click('#toggle');
      await page.waitForSelector('body[data-state="closed"]', { timeout: 60_000 });
      expect(await page.textContent('#status')).toBe('stopped');
      expect(await page.getAttribute('body', 'data-error')).toBeNull();
      // the config went first, with masking on by default, then the audio, none of it before the config
      expect(typeof sent[0]).toBe('string');
      const config = (JSON.parse(sent[0] as string) as { config: Record<string, unknown> }).config;
      expect(config.mask_words).toBe(true);
      const audioBytes = sent.filter((f): f is Buffer => typeof f !== 'string').reduce((n, f) => n + f.length, 0);
      expect(audioBytes / 32000).toBeGreaterThanOrEqual(seconds);
      if (REAL_MODEL) {
        const recognizer = await batchRecognizer();
        const batch = (await recognizer.transcribeFile(FILE)).text.split(' ');
        await recognizer.close();
        const shownWords = new Set(normalizeWords(((await page.textContent('#final')) ?? '').trim()));
        const heard = [...new Set(batch.filter((w) => w.length >= 3))].filter((w) => shownWords.has(w));
        // all of it was said before the socket opened: without the kept audio, none of it would show
        expect(heard.length, `browser ${[...shownWords].join(' ')} vs batch ${batch.join(' ')}`).toBeGreaterThanOrEqual(3);
      }
    } finally {
      await page.close();
      await gate.close();
    }
  });

  it('says "server unreachable" when the socket cannot open, and can start again', async () => {
    const gate = await UpgradeGate.start(Number(new URL(http).port));
    const page = await browser.newPage();
    try {
      await page.goto(`${gate.http}/`);
      gate.mode = 'refuse';
      await page.click('#toggle');
      await page.waitForSelector('body[data-state="unreachable"]', { timeout: 60_000 });
      expect(await page.textContent('#status')).toBe('server unreachable');
      expect(await page.textContent('#error')).toMatch(/did not answer/);
      expect(await page.textContent('#toggle')).toBe('Start');
      expect(await page.isEnabled('#toggle')).toBe(true);
      gate.mode = 'pass';
      await page.click('#toggle');
      await page.waitForSelector('body[data-state="live"]', { timeout: 60_000 });
      await page.click('#toggle');
      await page.waitForSelector('body[data-state="closed"]', { timeout: 60_000 });
    } finally {
      await page.close();
      await gate.close();
    }
  });

  it('has a favicon, a note on HTTPS for microphones on other machines, and masking that can be turned off', async () => {
    const page = await browser.newPage();
    const sent: string[] = [];
    page.on('websocket', (ws) => ws.on('framesent', (frame) => typeof frame.payload === 'string' && sent.push(frame.payload)));
    await page.goto(`${http}/?mask=0`);
    const icon = await page.evaluate(() => (document.querySelector('link[rel="icon"]') as HTMLLinkElement | null)?.href ?? '');
    const response = await fetch(icon);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(await response.text()).toMatch(/^<svg/);
    expect(await page.textContent('#secure-note')).toMatch(/HTTPS/);
    expect(await page.isChecked('#mask')).toBe(false);
    await page.click('#toggle');
    await page.waitForSelector('body[data-state="live"]', { timeout: 60_000 });
    await page.click('#toggle');
    await page.waitForSelector('body[data-state="closed"]', { timeout: 60_000 });
    expect((JSON.parse(sent[0]!) as { config: Record<string, unknown> }).config.mask_words).toBe(false);
    await page.close();
  });
});
