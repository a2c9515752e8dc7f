import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData, useNavigate, useSearchParams } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
  Badge,
  Card,
  EmptyState,
  IndexTable,
  InlineStack,
  Link,
  Page,
  Text,
  TextField,
  Button,
  type IndexTableProps,
} from "@shopify/polaris";
import { useState } from "react";
import { MemberStatusBadge } from "~/components/member-status-badge";
import prisma from "~/db.server";
import { t, type MessageKey } from "~/lib/i18n";
import { MEMBER_SORTS, parseMemberListQuery, type MemberSort } from "~/lib/member-list-query";
import { listMembers } from "~/services/members/directory.server";
import { ensureShop } from "~/services/shops/ensure.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await ensureShop(prisma, session.shop);
  const query = parseMemberListQuery(new URL(request.url));
  return { query, page: await listMembers(shop.id, query) };
};

/** IndexTable columns; the sortable ones map to a list sort (the others cannot be sorted). */
const COLUMNS: { title: MessageKey; sort?: MemberSort; numeric?: boolean }[] = [
  { title: "members.column.member" },
  { title: "members.column.status" },
  { title: "members.column.tier" },
  { title: "members.column.points", sort: "points", numeric: true },
  { title: "members.column.lifetime", sort: "lifetime", numeric: true },
  { title: "members.column.joined", sort: "joined" },
  { title: "members.column.activity", sort: "activity" },
];

export default function MembersPage() {
  const { query, page } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [search, setSearch] = useState(query.search ?? "");

  const go = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    // A new search or sort starts from its first page.
    for (const key of ["after", "before"]) next.delete(key);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) next.delete(key);
      else next.set(key, value);
    }
    navigate(`?${next.toString()}`);
  };

  const sortIndex = COLUMNS.findIndex((column) => column.sort === query.sort);
  const empty = page.members.length === 0;
  return (
    <Page title={t("members.title")} backAction={{ content: t("members.back"), url: "/app" }}>
      <TitleBar title={t("members.title")} />
      <Card padding="0">
        <div style={{ padding: "12px" }}>
          <Form method="get" role="search">
            <input type="hidden" name="sort" value={query.sort} />
            <input type="hidden" name="direction" value={query.direction} />
            <InlineStack gap="200" blockAlign="end" wrap={false}>
              <div style={{ flexGrow: 1 }}>
                <TextField
                  label={t("members.search.label")}
                  labelHidden
                  name="q"
                  value={search}
                  onChange={setSearch}
                  placeholder={t("members.search.placeholder")}
                  autoComplete="off"
                  clearButton
                  onClearButtonClick={() => {
                    setSearch("");
                    go({ q: null });
                  }}
                />
              </div>
              <Button submit>{t("members.search.submit")}</Button>
            </InlineStack>
          </Form>
        </div>
        {empty && !query.search && !query.after && !query.before ? (
          <EmptyState heading={t("members.empty.heading")} image="">
            <p>{t("members.empty.body")}</p>
          </EmptyState>
        ) : (
          <IndexTable
            resourceName={{
              singular: t("members.resourceName.singular"),
              plural: t("members.resourceName.plural"),
            }}
            itemCount={page.members.length}
            selectable={false}
            headings={
              COLUMNS.map((column) => ({
                title: t(column.title),
                // Numbers line up on the right, under a right-aligned heading.
                alignment: column.numeric ? "end" : "start",
              })) as IndexTableProps["headings"]
            }
            sortable={COLUMNS.map((column) => column.sort !== undefined)}
            sortColumnIndex={sortIndex}
            sortDirection={query.direction === "asc" ? "ascending" : "descending"}
            defaultSortDirection="descending"
            onSort={(index, direction) => {
              const sort = COLUMNS[index]?.sort;
              if (!sort || !MEMBER_SORTS.includes(sort)) return;
              go({ sort, direction: direction === "ascending" ? "asc" : "desc" });
            }}
            emptyState={
              <EmptyState
                heading={t("members.noResults.heading", { search: query.search ?? "" })}
                image=""
              >
                <p>{t("members.noResults.body")}</p>
              </EmptyState>
            }
            pagination={{
              hasPrevious: page.previousCursor !== null,
              hasNext: page.nextCursor !== null,
              onPrevious: () => go({ before: page.previousCursor }),
              onNext: () => go({ after: page.nextCursor }),
            }}
          >
            {page.members.map((member, index) => (
              <IndexTable.Row id={member.id} key={member.id} position={index}>
                <IndexTable.Cell>
                  <Link url={`/app/members/${member.id}`} dataPrimaryLink removeUnderline>
                    <Text as="span" fontWeight="semibold">
                      {member.name ?? t("members.unnamed", { id: member.customerId })}
                    </Text>
                  </Link>
                  <Text as="p" tone="subdued" variant="bodySm">
                    {member.email ?? member.customerId}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <MemberStatusBadge status={member.status} />
                </IndexTable.Cell>
                <IndexTable.Cell>
                  {member.tier ? (
                    <Badge tone="info">{member.tier}</Badge>
                  ) : (
                    <Text as="span" tone="subdued">
                      {t("members.noTier")}
                    </Text>
                  )}
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {member.pointsBalance.toLocaleString("en")}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {member.lifetimeEarned.toLocaleString("en")}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>{member.joinedAt.slice(0, 10)}</IndexTable.Cell>
                <IndexTable.Cell>
                  {member.lastActivityAt?.slice(0, 10) ?? t("members.never")}
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        )}
      </Card>
    </Page>
  );
}
