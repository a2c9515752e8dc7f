/** Full size locally; RELIABILITY_SIZE=ci for the reduced run in .ci/run. */
export const FULL_SIZE = process.env.RELIABILITY_SIZE !== "ci";

export function sized(full: number, ci: number) {
  return FULL_SIZE ? full : ci;
}
