// What the browser tests stand on: the test database (psql), staff tokens made with
// scripts/token, the real usynys binary on a free loopback port, and Debian's Chromium driven by
// playwright-core.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

function required(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (tests/browser/run sets it; scripts/test exports the database)`);
  return v;
}

export const databaseUrl = () => required("USYNYS_DATABASE_URL");

// Runs one SQL statement on the test database; its rows as text, one per line.
export function sql(statement) {
  return execFileSync("psql", [databaseUrl(), "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-c", statement], {
    encoding: "utf8",
  }).trim();
}

export function emptyTables() {
  sql("TRUNCATE proposals, proposal_articles RESTART IDENTITY CASCADE");
}

// A new token for `role`, under a name never used before; its secret.
export function makeToken(role) {
  const name = `console-${role}-${process.pid}-${Date.now()}`;
  const out = execFileSync(join(REPO, "scripts/token"), ["--database-url", databaseUrl(), "create", name, role], {
    encoding: "utf8",
  });
  const lines = out.trim().split("\n");
  return { name, role, secret: lines[lines.length - 1].trim() };
}

// The usynys binary with the shipped configuration, on port 0; resolves once it listens.
export class Server {
  static async start() {
    const dir = mkdtempSync(join(tmpdir(), "usynys-console-"));
    const cfg = JSON.parse(readFileSync(join(REPO, "config/usynys.json"), "utf8"));
    cfg.documents.dir = join(REPO, "config/documents");
    cfg.identifier_key_file = join(dir, "identifier.key");
    const config = join(dir, "usynys.json");
    writeFileSync(config, JSON.stringify(cfg));
    const proc = spawn(required("USYNYS_SERVER"), ["--config", config], {
      env: { ...process.env, USYNYS_PORT: "0", USYNYS_IDENTIFIER_KEY: "console-test-key-123456" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const server = new Server(dir, proc);
    await server.listening;
    return server;
  }

  constructor(dir, proc) {
    this.dir = dir;
    this.proc = proc;
    this.output = "";
    this.listening = new Promise((ok, fail) => {
      const onData = (chunk) => {
        this.output += chunk.toString("utf8");
        const m = this.output.match(/usynys: listening on [0-9.]+:([0-9]+)\n/);
        if (m && !this.port) {
          this.port = Number(m[1]);
          ok();
        }
      };
      proc.stdout.on("data", onData);
      proc.stderr.on("data", onData);
      proc.on("exit", (code) => fail(new Error(`usynys exited (${code}): ${this.output.slice(-2000)}`)));
    });
  }

  url(path) {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  // A call to the API as a client other than the browser; the parsed body and the status.
  async api(method, path, { token, body } = {}) {
    const headers = {};
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const res = await fetch(this.url(path), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let data = null;
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
    return { status: res.status, headers: res.headers, body: data };
  }

  async stop() {
    if (this.proc.exitCode === null) {
      const exited = new Promise((ok) => this.proc.once("exit", ok));
      this.proc.kill("SIGTERM");
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

// Polls `probe` (an async function answering a value, or undefined while not there yet) until
// it answers or `seconds` pass.
export async function until(what, probe, seconds = 60) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

export async function launchChromium() {
  const require = createRequire(join(required("USYNYS_NODE_MODULES"), "/"));
  const { chromium } = require("playwright-core");
  const executablePath = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => {
    try {
      execFileSync(p, ["--version"], { stdio: "ignore" });
      return true;
    } catch {
      return false;
    }
  });
  if (!executablePath) throw new Error("chromium is not installed (scripts/deps.sh test)");
  return chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
}

// A new page of its own browser context (its own sessionStorage), collecting the browser's
// errors: a Content-Security-Policy violation or an uncaught exception fails a test.
export async function newPage(browser, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport, locale: "en-GB" });
  const page = await context.newPage();
  page.problems = [];
  page.on("pageerror", (e) => page.problems.push(`uncaught: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && !/Failed to load resource/.test(m.text())) page.problems.push(m.text());
  });
  return page;
}

export function screenshotDir() {
  return process.env.USYNYS_CONSOLE_SCREENSHOTS || null;
}
