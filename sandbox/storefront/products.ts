/** The sandbox storefront's catalog: prices in minor units, as Liquid's `variant.price` gives them. */
export interface StorefrontProduct {
  id: number;
  handle: string;
  title: string;
  description: string;
  price: number;
}

export const PRODUCTS: StorefrontProduct[] = [
  {
    id: 8101,
    handle: "trail-jacket",
    title: "Trail jacket",
    description: "A light, packable shell for wet ridges and windy summits.",
    price: 12_950,
  },
  {
    id: 8102,
    handle: "wool-socks",
    title: "Wool socks",
    description: "Merino hiking socks, cushioned where it counts.",
    price: 1_999,
  },
  {
    id: 8103,
    handle: "camp-mug",
    title: "Camp mug",
    description: "Enamel mug that has seen a few campfires.",
    price: 1_450,
  },
];
