// Unit checks of the built-in crictl's argument parsing (urfave/cli rules:
// flags before arguments, combined short bools, env defaults, errors) and its
// output helpers (tabwriter layout, go-units durations and sizes, protojson).
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { ArgsError, list, parseArgs, parseDuration, parseLabels, type FlagSpec } from "./args.ts";
import { parseSince, previousLogPath, renderLines } from "./logs.ts";
import { criType } from "./proto.ts";
import { protoJson, rfc3339Nano, statusOutput } from "./output.ts";
import { formatG, humanDuration, humanSize, Table, truncateId } from "./table.ts";
import { statusExitCode } from "./remotecommand.ts";
import { commandHelp } from "./help.ts";
import { errorText } from "./context.ts";
import { CriError } from "../../../kubelet/cri/mod.ts";
import { imageColumn } from "./containers.ts";
import { parsePortPair } from "./portforward.ts";

const specs: FlagSpec[] = [
  { name: "quiet", aliases: ["q"], type: "bool", usage: "" },
  { name: "all", aliases: ["a"], type: "bool", usage: "" },
  { name: "output", aliases: ["o"], type: "string", default: "table", usage: "" },
  { name: "last", aliases: ["n"], type: "int", usage: "" },
  { name: "label", type: "list", usage: "" },
  { name: "endpoint", aliases: ["r"], type: "string", env: ["EP"], usage: "" },
  { name: "timeout", type: "duration", default: 2000, usage: "" },
];

test("flags: long, short, =value, combined bools, lists, env and defaults; the first argument ends the flags", () => {
  const p = parseArgs(["-qa", "--output=json", "-n", "3", "--label", "a=b", "--label=c=d", "--timeout", "1m30s", "id1", "-q", "x"], specs, { EP: "unix:///e" });
  assert.deepEqual(p.flags, { quiet: true, all: true, output: "json", last: 3, label: ["a=b", "c=d"], endpoint: "unix:///e", timeout: 90_000 });
  assert.deepEqual(p.args, ["id1", "-q", "x"]);
  assert.deepEqual([...p.set].sort(), ["all", "label", "last", "output", "quiet", "timeout"]);
  const d = parseArgs(["-r", "unix:///flag", "--", "-a"], specs, { EP: "unix:///e" });
  assert.deepEqual([d.flags.output, d.flags.endpoint, d.flags.quiet, d.args], ["table", "unix:///flag", false, ["-a"]]);
  assert.deepEqual(list(parseArgs([], specs), "label"), []);
});

test("flags: crictl's errors for unknown flags, missing values and bad numbers", () => {
  assert.throws(() => parseArgs(["--bogus"], specs), (e: unknown) => e instanceof ArgsError && e.message === "flag provided but not defined: -bogus");
  assert.throws(() => parseArgs(["-qz"], specs), /flag provided but not defined: -qz/);
  assert.throws(() => parseArgs(["--output"], specs), /flag needs an argument: -output/);
  assert.throws(() => parseArgs(["-n", "x"], specs), /invalid value "x" for flag -n/);
  assert.throws(() => parseLabels(["a=b=c"]), /incorrectly specified label: a=b=c/);
  assert.equal(parseDuration("500ms"), 500);
  assert.equal(parseDuration("2"), 2000);
  assert.throws(() => parseDuration("2x"), /invalid duration "2x"/);
});

test("table: columns are max(20, widest + 3) wide, the last is not padded", () => {
  const t = new Table();
  t.addRow(["CONTAINER", "IMAGE", "STATE"]);
  t.addRow(["0123456789abc", "a-very-long-image-name-here", "Running"]);
  const row = (a: string, b: string, c: string): string => `${a.padEnd(20)}${b.padEnd(27 + 3)}${c}\n`;
  assert.equal(t.render(), row("CONTAINER", "IMAGE", "STATE") + row("0123456789abc", "a-very-long-image-name-here", "Running"));
  assert.equal(truncateId("sha256:0123456789abcdef", "sha256:"), "0123456789abc");
  assert.equal(truncateId("short"), "short");
  assert.equal(imageColumn(`sha256:${"ab".repeat(32)}`, false), "abababababab" + "a");
  assert.equal(imageColumn(`sha256:${"ab".repeat(32)}`, true), `sha256:${"ab".repeat(32)}`);
  assert.equal(imageColumn("busybox:latest", false), "busybox:latest", "a name is not a digest");
});

test("help: subcommand pages list their flags with defaults as urfave/cli prints them", () => {
  const page = commandHelp({ name: "ps", usage: "List containers", flags: specs, run: async () => 0 });
  assert.match(page, /^NAME:\n   crictl ps - List containers\n\nUSAGE:\n   crictl ps \[command options\]\n\nOPTIONS:\n/);
  assert.match(page, /\n   --all, -a +\(default: false\)\n/);
  assert.match(page, /\n   --endpoint value, -r value +\[\$EP\]\n/);
  assert.match(page, /\n   --timeout value +\(default: 2s\)\n/);
  assert.match(page, /\n   --help, -h +show help\n$/);
});

test("durations and sizes read as go-units prints them", () => {
  const s = 1000;
  const h = 3600 * s;
  const cases: [number, string][] = [[450, "Less than a second"], [1 * s, "1 second"], [59 * s, "59 seconds"], [60 * s, "About a minute"], [35 * 60 * s + 40 * s, "35 minutes"], [h + 29 * 60 * s, "About an hour"], [h + 31 * 60 * s, "2 hours"], [36 * h, "36 hours"], [13 * 24 * h + 5 * h, "13 days"], [30 * 24 * h, "4 weeks"], [60 * 24 * h, "2 months"], [(3 * 365 + 60) * 24 * h, "3 years"]];
  for (const [ms, text] of cases) assert.equal(humanDuration(ms), text, `${ms} ms`);
  assert.equal(humanSize(4_400_000, 3), "4.4MB");
  assert.equal(humanSize(123_456, 3), "123kB");
  assert.equal(humanSize(999_900, 3), "1e+03kB");
  assert.equal(humanSize(0), "0B");
  assert.equal(formatG(1.23456, 4), "1.235");
});

test("protojson names, Go timestamps and sorted inspect documents", () => {
  assert.deepEqual(protoJson({ pod_sandbox_id: "p", image: null, labels: { "a_b.c": "x" }, metadata: { name: "n", attempt: 0 }, stdout: Buffer.from("hi") }), { podSandboxId: "p", labels: { "a_b.c": "x" }, metadata: { name: "n", attempt: 0 }, stdout: "aGk=" });
  const typed = protoJson({ labels: { b: "2", a: "1" }, state: "SANDBOX_READY", id: "x", metadata: { uid: "u", name: "n" }, created_at: "5" }, criType("PodSandbox"));
  assert.deepEqual(JSON.stringify(typed), '{"id":"x","metadata":{"name":"n","uid":"u"},"state":"SANDBOX_READY","createdAt":"5","labels":{"a":"1","b":"2"}}', "field-number order, sorted map keys");
  assert.equal(rfc3339Nano("1700000000123400000"), "2023-11-14T22:13:20.1234Z");
  assert.equal(rfc3339Nano("0"), "0001-01-01T00:00:00Z");
  assert.equal(statusOutput([{ status: { z: 1, a: 2 }, info: { pid: "{\"x\":1}", sandboxID: "\"abc\"" } }], "json"), '{\n  "pid": {\n    "x": 1\n  },\n  "sandboxID": "abc",\n  "status": {\n    "a": 2,\n    "z": 1\n  }\n}\n');
});

test("logs: CRI lines split by stream, partial lines joined, --since forms, previous attempt path", () => {
  const lines = ["2024-01-02T03:04:05.1Z stdout P par", "2024-01-02T03:04:05.2Z stdout F tial", "2024-01-02T03:04:06Z stderr F err"];
  const all = renderLines(lines, { follow: false, timestamps: false, tail: -1, limitBytes: -1, stream: "" });
  assert.deepEqual(all, [{ stream: "stdout", text: "par" }, { stream: "stdout", text: "tial\n" }, { stream: "stderr", text: "err\n" }]);
  const late = renderLines(lines, { follow: false, timestamps: true, tail: -1, limitBytes: -1, stream: "", sinceMs: Date.UTC(2024, 0, 2, 3, 4, 6) });
  assert.deepEqual(late, [{ stream: "stderr", text: "2024-01-02T03:04:06Z err\n" }]);
  assert.equal(parseSince("42m", 3_000_000), 3_000_000 - 42 * 60_000);
  assert.equal(parseSince("2013-01-02T13:23:37"), Date.UTC(2013, 0, 2, 13, 23, 37));
  assert.equal(parseSince("1700000000"), 1_700_000_000_000);
  assert.throws(() => parseSince("yesterday"), /failed to parse value as time or duration: "yesterday"/);
  assert.equal(previousLogPath("/var/log/pods/x/app/2.log", 2, "app"), "/var/log/pods/x/app/1.log");
  assert.throws(() => previousLogPath("/p/0.log", 0, "app"), /previous terminated container app not found/);
});

test("port-forward specs: REMOTE, LOCAL:REMOTE and :REMOTE", () => {
  assert.deepEqual(parsePortPair("8080"), { local: 8080, remote: 8080 });
  assert.deepEqual(parsePortPair("9000:80"), { local: 9000, remote: 80 });
  assert.deepEqual(parsePortPair(":80"), { local: 0, remote: 80 });
  assert.throws(() => parsePortPair("x:80"), /invalid port specification "x:80"/);
  assert.throws(() => parsePortPair("80:0"), /invalid port specification/);
});

test("CRI failures read as Go's gRPC errors", () => {
  assert.equal(errorText(new CriError("ContainerStatus", 5, "not found")), "rpc error: code = NotFound desc = not found");
  assert.equal(errorText(new CriError("Version", 4, "slow")), "rpc error: code = DeadlineExceeded desc = slow");
  assert.equal(errorText(new Error("plain")), "plain");
});

test("exec: a remotecommand Status gives the exit code", () => {
  assert.equal(statusExitCode({ status: "Success" }), 0);
  assert.equal(statusExitCode({ status: "Failure", reason: "NonZeroExitCode", details: { causes: [{ reason: "ExitCode", message: "3" }] } }), 3);
  assert.throws(() => statusExitCode({ status: "Failure", message: "container not running" }), /container not running/);
});
