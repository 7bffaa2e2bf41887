/** Renders a TreeNode list as indented text lines (CLI output; the TUI draws its own). */
import type { TreeNode } from '../records/describe.ts';

export function treeLines(nodes: readonly TreeNode[], indent = ''): string[] {
  const out: string[] = [];
  for (const n of nodes) {
    out.push(`${indent}${n.label}`);
    if (n.children) out.push(...treeLines(n.children, `${indent}  `));
  }
  return out;
}
