import { createRequire } from "node:module";
import path from "node:path";
import type { Frame, Page } from "playwright-core";
import { expect } from "vitest";

const axeSource = (createRequire(import.meta.url)("axe-core") as { source: string }).source;

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * Runs axe-core (injected as axe.source) on the page; returns the serious and critical violations,
 * each as "rule: help (selectors)", so a failing test names what to fix.
 */
export async function seriousAxeViolations(page: Page | Frame): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (ctx: Document) => Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    return (await axe.run(document)).violations;
  });
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
}

/**
 * The page as the README shows it (docs/screenshots/<name>.png, full page), then the same state
 * checked with axe: every admin page the README links is one a screen-reader user can use.
 */
export async function screenshotAndCheckA11y(page: Page, name: string): Promise<void> {
  // Finite CSS transitions first (a progress bar growing to 100 % takes 500 ms): a screenshot
  // mid-way shows a finished import as three-quarters done. Spinners loop forever and are skipped.
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((animation) => animation.effect?.getTiming().iterations !== Infinity)
        .map((animation) => animation.finished),
    ),
  );
  await page.screenshot({ path: path.resolve(`docs/screenshots/${name}.png`), fullPage: true });
  expect(await seriousAxeViolations(page)).toEqual([]);
}
