import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { buildWidget, WIDGET_ASSET } from "../../scripts/build-widget";

describe("the storefront widget's asset", () => {
  it("is the build of the committed source (run npm run build:widget after editing it)", async () => {
    expect(fs.readFileSync(WIDGET_ASSET, "utf8")).toBe(await buildWidget());
  });
});
