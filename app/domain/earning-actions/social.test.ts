import { describe, expect, it } from "vitest";
import { isProfileUrl, profileLinkExample, SOCIAL_NETWORKS } from "./social";

describe("isProfileUrl", () => {
  it("takes https links on the network's own domain", () => {
    expect(isProfileUrl("instagram", "https://www.instagram.com/shop")).toBe(true);
    expect(isProfileUrl("tiktok", "https://tiktok.com/@shop")).toBe(true);
    expect(isProfileUrl("facebook", "https://m.facebook.com/shop")).toBe(true);
    expect(isProfileUrl("x", "https://twitter.com/shop")).toBe(true);
  });

  it("refuses http, other domains, look-alikes and credentials", () => {
    expect(isProfileUrl("instagram", "http://instagram.com/shop")).toBe(false);
    expect(isProfileUrl("instagram", "https://tiktok.com/@shop")).toBe(false);
    expect(isProfileUrl("x", "https://evilx.com/shop")).toBe(false);
    expect(isProfileUrl("x", "https://x.com.evil.example/shop")).toBe(false);
    expect(isProfileUrl("facebook", "https://user:pw@facebook.com/shop")).toBe(false);
    expect(isProfileUrl("facebook", "javascript:alert(1)")).toBe(false);
    expect(isProfileUrl("facebook", "not a url")).toBe(false);
  });
});

describe("profileLinkExample", () => {
  it("shows each network's own profile link, which the setting accepts", () => {
    const examples = SOCIAL_NETWORKS.map((network) => profileLinkExample(network, "yourshop"));
    expect(examples).toEqual([
      "https://www.instagram.com/yourshop",
      "https://www.tiktok.com/@yourshop",
      "https://www.facebook.com/yourshop",
      "https://x.com/yourshop",
    ]);
    SOCIAL_NETWORKS.forEach((network, i) => expect(isProfileUrl(network, examples[i]!)).toBe(true));
  });
});
