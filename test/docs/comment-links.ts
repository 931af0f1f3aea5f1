/**
 * Paths in code comments, checked like the links of the docs (markdown-links.ts): a comment that
 * says "see docs/runtime.md#request-logs" or "(service/src/server.ts)" must name a file that
 * exists and, for `#anchor`, a heading of that page. TypeScript comments come from the compiler's
 * own scanner (so paths inside strings are not comments); YAML, shell and Dockerfile comments are
 * the lines starting with `#`.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { parseMarkdown } from "./markdown-links";

/** The repository's top-level parts: a comment path starting with one is relative to the root. */
const TOP_LEVEL = new Set(["contract", "infra", "service", "local", "client", "test", "bench", "policy", "bootstrap", "docs", ".ci"]);

/**
 * A path with a file extension, optionally with `#anchor`, not glued to a longer word, URL or package
 * name: `docs/api.md#account-export-and-deletion`, `./markdown-links.ts`, `service/src/server.ts`.
 */
const PATH = /(?<![\w@/.-])((?:\.{1,2}\/)*(?:[\w.-]+\/)+[\w.-]+\.(?:md|ts|mts|cjs|js|json|ya?ml))(#[\w-]+)?(?![\w/])/g;

/** The comments of a TypeScript (or JavaScript) file, from the compiler's scanner. */
function typescriptComments(text: string, fileName = "file.ts"): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false);
  const seen = new Set<number>();
  const comments: string[] = [];
  const collect = (ranges: readonly ts.CommentRange[] | undefined) => {
    for (const r of ranges ?? []) {
      if (seen.has(r.pos)) continue;
      seen.add(r.pos);
      comments.push(text.slice(r.pos, r.end));
    }
  };
  const visit = (node: ts.Node) => {
    collect(ts.getLeadingCommentRanges(text, node.getFullStart()));
    collect(ts.getTrailingCommentRanges(text, node.getEnd()));
    node.forEachChild(visit);
  };
  visit(source);
  collect(ts.getLeadingCommentRanges(text, source.endOfFileToken.getFullStart()));
  return comments;
}

/** `#` comment lines (YAML, shell, Dockerfile). */
function hashComments(text: string): string[] {
  return text.split("\n").filter((line) => line.trimStart().startsWith("#"));
}

function commentsOf(file: string, text: string): string[] {
  return /\.(c|m)?[jt]s$/.test(file) ? typescriptComments(text, file) : hashComments(text);
}

/**
 * Where a comment's path points, or undefined when it is not one of ours (a package's or another
 * repository's path): `./x`, `../x` from the file's directory; `docs/…`, `service/…` and the other
 * top-level parts from the root; `account/timing.ts` from the file's directory when that directory
 * has such a folder.
 */
function targetOf(file: string, root: string, ref: string): string | undefined {
  if (ref.startsWith("./") || ref.startsWith("../")) return path.resolve(path.dirname(file), ref);
  const first = ref.split("/")[0]!;
  if (TOP_LEVEL.has(first)) return path.join(root, ref);
  const local = path.join(path.dirname(file), first);
  return existsSync(local) && statSync(local).isDirectory() ? path.join(path.dirname(file), ref) : undefined;
}

/** The broken paths in `file`'s comments: no such file, or an anchor that is no heading of the page. */
export function brokenCommentPaths(file: string, root: string, text = readFileSync(file, "utf8")): string[] {
  const problems: string[] = [];
  for (const comment of commentsOf(file, text)) {
    const withoutUrls = comment.replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, " ");
    for (const m of withoutUrls.matchAll(PATH)) {
      const [, ref = "", anchor] = m;
      const target = targetOf(file, root, ref);
      if (target === undefined) continue;
      const where = `${path.relative(root, file)}: "${ref}${anchor ?? ""}"`;
      if (!existsSync(target)) {
        problems.push(`${where}: no such file ${path.relative(root, target)}`);
        continue;
      }
      if (anchor === undefined || !target.endsWith(".md")) continue;
      if (!parseMarkdown(readFileSync(target, "utf8")).anchors.has(anchor.slice(1))) {
        problems.push(`${where}: no heading ${anchor} in ${path.relative(root, target)}`);
      }
    }
  }
  return problems;
}
