import prisma from "~/db.server";
import { formatIsoDate, localDate } from "~/domain/calendar";
import { shopTimeZone } from "~/domain/calendar";

export interface ShopDay {
  readonly shopId: string;
  /** The shop's calendar date at the given instant, e.g. "2027-03-01". */
  readonly localDate: string;
}

/** Each installed shop with its local date at `now`: the unit the daily job runs once for. */
export async function installedShopDays(now: Date): Promise<ShopDay[]> {
  const shops = await prisma.shop.findMany({
    where: { uninstalledAt: null },
    select: { id: true, timeZone: true },
    orderBy: { id: "asc" },
  });
  return shops.map((shop) => ({
    shopId: shop.id,
    localDate: formatIsoDate(localDate(now, shopTimeZone(shop.timeZone))),
  }));
}
