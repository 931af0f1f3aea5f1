/**
 * Relative links in markdown, checked the way GitHub renders them: markdown-it parses the page (so
 * links in code blocks and mermaid diagrams are not links), github-slugger gives each heading the
 * anchor GitHub gives it (lowercase, punctuation dropped, spaces to '-', duplicates '-1', '-2'…).
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import GithubSlugger from "github-slugger";
import MarkdownIt from "markdown-it";

type Token = ReturnType<MarkdownIt["parse"]>[number];

const md = new MarkdownIt({ html: true, linkify: false });

export interface MarkdownPage {
  /** Every link and image target, in order. */
  readonly links: readonly string[];
  /** The anchors of the page's headings. */
  readonly anchors: ReadonlySet<string>;
  /** Heading text by level (for "every alarm has a runbook heading"). */
  readonly headings: readonly { readonly level: number; readonly text: string; readonly anchor: string }[];
}

export function parseMarkdown(text: string): MarkdownPage {
  const tokens = md.parse(text, {});
  const slugger = new GithubSlugger();
  const links: string[] = [];
  const headings: { level: number; text: string; anchor: string }[] = [];
  // Explicit HTML anchors (`<a id="…"></a>`) are link targets on GitHub too.
  const htmlAnchors: string[] = [];
  const walk = (list: readonly Token[]) => {
    for (const t of list) {
      if (t.type === "link_open") links.push(t.attrGet("href") ?? "");
      if (t.type === "image") links.push(t.attrGet("src") ?? "");
      if (t.type === "html_block" || t.type === "html_inline") {
        for (const m of t.content.matchAll(/<a\s[^>]*?\b(?:id|name)="([^"]+)"/g)) htmlAnchors.push(m[1]!);
      }
      if (t.children) walk(t.children);
    }
  };
  walk(tokens);
  tokens.forEach((t, i) => {
    if (t.type !== "heading_open") return;
    const inline = tokens[i + 1];
    // GitHub slugs the heading's rendered text: code spans keep their content, markup is dropped.
    const headingText = (inline?.children ?? [])
      .filter((c) => c.type === "text" || c.type === "code_inline")
      .map((c) => c.content)
      .join("");
    headings.push({ level: Number(t.tag.slice(1)), text: headingText, anchor: slugger.slug(headingText) });
  });
  return { links, anchors: new Set([...headings.map((h) => h.anchor), ...htmlAnchors]), headings };
}

const isExternal = (href: string) => /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("//");

/**
 * The broken relative links of `file` (text given, or read from disk): a target that does not exist,
 * lies outside `root`, or an `#anchor` that is no heading of the markdown page it points into.
 */
export function brokenLinks(file: string, root: string, text = readFileSync(file, "utf8")): string[] {
  const page = parseMarkdown(text);
  const problems: string[] = [];
  for (const href of page.links) {
    if (href === "") {
      problems.push(`${path.relative(root, file)}: empty link target`);
      continue;
    }
    if (isExternal(href)) continue;
    const [rawPath = "", rawAnchor] = href.split("#", 2);
    const target = rawPath === "" ? file : path.resolve(path.dirname(file), decodeURIComponent(rawPath));
    const where = `${path.relative(root, file)}: [${href}]`;
    if (path.relative(root, target).startsWith("..")) {
      problems.push(`${where} points outside the repository`);
      continue;
    }
    if (target !== file && !existsSync(target)) {
      problems.push(`${where}: no such file ${path.relative(root, target)}`);
      continue;
    }
    if (rawAnchor === undefined) continue;
    if (!target.endsWith(".md") || (target !== file && statSync(target).isDirectory())) {
      problems.push(`${where}: an anchor into a file that is not markdown`);
      continue;
    }
    const anchors = target === file ? page.anchors : parseMarkdown(readFileSync(target, "utf8")).anchors;
    const anchor = decodeURIComponent(rawAnchor);
    if (!anchors.has(anchor)) problems.push(`${where}: no heading #${anchor} in ${path.relative(root, target)}`);
  }
  return problems;
}
