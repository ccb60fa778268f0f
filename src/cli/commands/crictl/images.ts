/** crictl images, inspecti, rmi and pull. */
import type { AuthConfig, FilesystemUsage, Image } from "../../../kubelet/cri/mod.ts";
import { bool, list, str, type ParsedArgs } from "./args.ts";
import { doing, goMap, outputFlag, printStatuses, settleAll, ShowHelp, type CrictlCommand, type CrictlContext } from "./context.ts";
import { listOutput, protoJson, statusOutput } from "./output.ts";
import { criType } from "./proto.ts";
import { humanSize, Table, truncateId } from "./table.ts";

function firstKey(i: Image): string {
  return i.repo_tags[0] ?? i.repo_digests[0] ?? i.id;
}

/** Images sorted as crictl sorts them, optionally only those matching a reference. */
async function listImages(ctx: CrictlContext, ref: string): Promise<Image[]> {
  let images = await ctx.images.listImages();
  if (ref) {
    // the CRI filter matches a full reference; containerd also normalises short names
    const wanted = await ctx.images.imageStatus(ref);
    images = images.filter((i) => i.id === wanted?.id);
  }
  return images.sort((a, b) => (firstKey(a) < firstKey(b) ? -1 : firstKey(a) > firstKey(b) ? 1 : 0));
}

/** Splits repo tags into [repository, tag] rows as crictl prints them ("<none>" for untagged). */
export function repoTagPairs(i: Image): [string, string][] {
  const first = i.repo_digests[0];
  const name = first ? (first.split("@").length === 2 ? first.split("@")[0]! : "errorName") : "<none>";
  if (!i.repo_tags.length) return [[name, "<none>"]];
  return i.repo_tags.map((t) => {
    const idx = t.lastIndexOf(":");
    if (idx < 0) return ["errorRepoTag", "errorRepoTag"];
    const repo = t.slice(0, idx);
    return [repo === "<none>" ? name : repo, t.slice(idx + 1)];
  });
}

function verboseImage(i: Image): string {
  let s = `ID: ${i.id}\n${i.repo_tags.map((t) => `RepoTags: ${t}\n`).join("")}${i.repo_digests.map((d) => `RepoDigests: ${d}\n`).join("")}`;
  if (i.size !== "0") s += `Size: ${i.size}\n`;
  if (i.uid) s += `Uid: value:${i.uid.value}\n`;
  if (i.username) s += `Username: ${i.username}\n`;
  if (i.pinned) s += "Pinned: true\n";
  return `${s}\n`;
}

function imageRows(i: Image, p: ParsedArgs): string[][] {
  const noTrunc = bool(p, "no-trunc");
  const digest = i.repo_digests[0]?.split("@")[1] ?? "<none>";
  const id = noTrunc ? i.id : truncateId(i.id, "sha256:");
  return repoTagPairs(i).map(([repo, tag]) => [
    repo,
    tag,
    ...(bool(p, "digests") ? [noTrunc ? digest : truncateId(digest, "sha256:")] : []),
    id,
    humanSize(Number(i.size), 3),
    ...(bool(p, "pinned") ? [String(i.pinned)] : []),
  ]);
}

async function runImages(ctx: CrictlContext, p: ParsedArgs): Promise<number> {
  if (p.args.length > 1) throw new ShowHelp();
  const images = await listImages(ctx, p.args[0] ?? "");
  const output = str(p, "output");
  if (output === "json" || output === "yaml") {
    ctx.io.out(listOutput({ images }, output, "ListImagesResponse"));
    return 0;
  }
  const quiet = bool(p, "quiet");
  const verbose = bool(p, "verbose");
  const t = new Table();
  if (!verbose && !quiet) t.addRow(["IMAGE", "TAG", ...(bool(p, "digests") ? ["DIGEST"] : []), "IMAGE ID", "SIZE", ...(bool(p, "pinned") ? ["PINNED"] : [])]);
  for (const i of images) {
    if (quiet) ctx.io.out(`${i.id}\n`);
    else if (verbose) ctx.io.out(verboseImage(i));
    else for (const row of imageRows(i, p)) t.addRow(row);
  }
  ctx.io.out(t.render());
  return 0;
}

function imageTable(i: Image, info: Record<string, string>, verbose: boolean): string {
  const lines = `ID: ${i.id}\n${i.repo_tags.map((t) => `Tag: ${t}\n`).join("")}${i.repo_digests.map((d) => `Digest: ${d}\n`).join("")}Size: ${humanSize(Number(i.size), 3)}\n`;
  return verbose ? `${lines}Info: ${goMap(info)}\n` : lines;
}

async function fetchImage(ctx: CrictlContext, id: string, verbose: boolean): Promise<{ status: Image; info: Record<string, string> }> {
  const r = await doing(`image status for "${id}" request`, ctx.imagesVerbose.imageStatus(id, verbose, ctx.timeoutMs));
  if (!r.status) throw new Error(`no such image "${id}" present`);
  return { status: r.status, info: r.info };
}

async function runInspecti(ctx: CrictlContext, p: ParsedArgs): Promise<number> {
  const ids = p.args.length ? p.args : (await listImages(ctx, str(p, "name"))).map((i) => i.id);
  return printStatuses(ctx, p, ids, { fetch: (id, verbose) => fetchImage(ctx, id, verbose), doc: protoJson, table: imageTable });
}

async function removeImage(ctx: CrictlContext, id: string, prune: boolean): Promise<void> {
  const status = await doing(`image status request for "${id}" failed`, ctx.images.imageStatus(id));
  if (!status) throw new Error(`no such image ${id}`);
  try {
    await ctx.images.removeImage(id);
  } catch (e) {
    if (prune) return;
    throw new Error(`error of removing image "${id}": ${(e as Error).message}`);
  }
  for (const name of status.repo_tags.length ? status.repo_tags : status.repo_digests) ctx.io.out(`Deleted: ${name}\n`);
}

async function runRmi(ctx: CrictlContext, p: ParsedArgs): Promise<number> {
  const ids = new Map<string, boolean>(p.args.map((a) => [a, true]));
  const prune = bool(p, "prune");
  if (bool(p, "all") || prune) for (const i of await ctx.images.listImages()) if (!(prune && i.pinned)) ids.set(i.id, true);
  if (prune) {
    for (const c of await ctx.runtime.listContainers()) {
      const used = await ctx.images.imageStatus(c.image?.image ?? "").catch(() => null);
      if (used) ids.set(used.id, false);
    }
  }
  const chosen = [...ids].filter(([, remove]) => remove).map(([id]) => id);
  if (!ids.size) {
    if (bool(p, "all") || prune) return 0;
    throw new ShowHelp();
  }
  await settleAll(chosen.map((id) => removeImage(ctx, id, prune)));
  return 0;
}

function pullAuth(p: ParsedArgs): AuthConfig | undefined {
  const creds = str(p, "creds");
  const auth = str(p, "auth");
  if (creds && auth) throw new Error("both `--creds` and `--auth` are specified");
  if (creds) {
    const idx = creds.indexOf(":");
    const username = idx < 0 ? creds : creds.slice(0, idx);
    if (!username) throw new Error("username can't be empty");
    return { username, password: idx < 0 ? "" : creds.slice(idx + 1) };
  }
  return auth ? { auth } : undefined;
}

async function runPull(ctx: CrictlContext, p: ParsedArgs): Promise<number> {
  const image = p.args[0];
  if (!image) throw new Error("image name cannot be empty");
  if (p.args.length > 1) throw new ShowHelp();
  const ref = await doing("pulling image", ctx.images.pullImage(image, { auth: pullAuth(p) }));
  ctx.io.out(`Image is up to date for ${ref}\n`);
  return 0;
}

function fsTable(label: string, list: FilesystemUsage[]): string {
  const rows = list.map((f, i) => `TimeStamp[${i}]: ${f.timestamp}\nDisk[${i}]: ${humanSize(Number(f.used_bytes?.value ?? 0))}\nInodes[${i}]: ${f.inodes_used?.value ?? 0}\nMountpoint[${i}]: ${f.fs_id?.mountpoint ?? ""}\n`);
  return `${label} Filesystem \n${rows.join("")}`;
}

async function runImagefsinfo(ctx: CrictlContext, p: ParsedArgs): Promise<number> {
  const r = await doing("image filesystem info request", ctx.imagesVerbose.imageFsInfo(ctx.timeoutMs));
  const output = str(p, "output") || "json";
  if (output === "table") ctx.io.out(fsTable("Container", r.container_filesystems) + fsTable("Image", r.image_filesystems));
  else ctx.io.out(statusOutput([{ status: protoJson(r, criType("ImageFsInfoResponse")), info: {} }], output));
  return 0;
}

/** The image subcommands. */
export const IMAGE_COMMANDS: CrictlCommand[] = [
  {
    name: "images",
    aliases: ["image", "img"],
    usage: "List images",
    argsUsage: "[REPOSITORY[:TAG]]",
    flags: [
      { name: "verbose", aliases: ["v"], type: "bool", usage: "Show verbose info for images" },
      { name: "quiet", aliases: ["q"], type: "bool", usage: "Only show image IDs" },
      outputFlag("json|yaml|table"),
      { name: "digests", type: "bool", usage: "Show digests" },
      { name: "no-trunc", type: "bool", usage: "Show output without truncating the ID" },
      { name: "pinned", type: "bool", usage: "Show whether the image is pinned or not" },
    ],
    run: runImages,
  },
  {
    name: "inspecti",
    usage: "Return the status of one or more images",
    argsUsage: "IMAGE-ID [IMAGE-ID...]",
    flags: [outputFlag("json|yaml|go-template|table"), { name: "quiet", aliases: ["q"], type: "bool", usage: "Do not show verbose information" }, { name: "name", type: "string", usage: "Filter by image name" }],
    run: runInspecti,
  },
  {
    name: "rmi",
    usage: "Remove one or more images",
    argsUsage: "IMAGE-ID [IMAGE-ID...]",
    flags: [
      { name: "all", aliases: ["a"], type: "bool", usage: "Remove all images" },
      { name: "prune", aliases: ["q"], type: "bool", usage: "Remove all unused images" },
    ],
    run: runRmi,
  },
  { name: "imagefsinfo", usage: "Return image filesystem info", flags: [outputFlag("json|yaml|go-template|table")], run: runImagefsinfo },
  {
    name: "pull",
    usage: "Pull an image from a registry",
    argsUsage: "NAME[:TAG|@DIGEST]",
    flags: [
      { name: "creds", type: "string", usage: "Use `USERNAME[:PASSWORD]` for accessing the registry", env: ["CRICTL_CREDS"] },
      { name: "auth", type: "string", usage: "Use `AUTH_STRING` for accessing the registry. AUTH_STRING is a base64 encoded 'USERNAME[:PASSWORD]'", env: ["CRICTL_AUTH"] },
    ],
    run: runPull,
  },
];
