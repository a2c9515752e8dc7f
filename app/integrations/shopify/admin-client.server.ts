/** The slice of the Admin API client (from authenticate.admin / unauthenticated.admin) the app uses. */
export interface AdminGraphql {
  graphql(query: string, options?: { variables?: Record<string, unknown> }): Promise<Response>;
}

/** Shopify answered, but not with data: a GraphQL error list (invalid document, throttled, access denied). */
export class ShopifyGraphqlError extends Error {
  constructor(
    readonly operation: string,
    readonly codes: string[],
    message: string,
  ) {
    super(`${operation}: ${message}`);
    this.name = "ShopifyGraphqlError";
  }

  get throttled() {
    return this.codes.includes("THROTTLED");
  }
}

/**
 * Shopify answered with an HTTP error (5xx, 502 from a proxy, ...). Whether a mutation in the
 * request was applied is unknown: callers that create things must find out before retrying.
 */
export class ShopifyHttpError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number,
  ) {
    super(`${operation}: Shopify answered HTTP ${status}`);
    this.name = "ShopifyHttpError";
  }
}

interface GraphqlBody<Data> {
  data?: Data;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** Runs one document and returns its data, or throws ShopifyGraphqlError with Shopify's codes. */
export async function runAdminQuery<Data>(
  admin: AdminGraphql,
  operation: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<Data> {
  let body: GraphqlBody<Data>;
  try {
    const response = await admin.graphql(query, variables ? { variables } : undefined);
    if (!response.ok) throw new ShopifyHttpError(operation, response.status);
    body = (await response.json()) as GraphqlBody<Data>;
  } catch (error) {
    // shopify-api throws GraphqlQueryError for a 200 carrying `errors`; keep Shopify's codes.
    const graphQLErrors = (
      error as { body?: { errors?: { graphQLErrors?: GraphqlBody<Data>["errors"] } } }
    ).body?.errors?.graphQLErrors;
    if (!graphQLErrors) throw error;
    body = { errors: graphQLErrors };
  }
  if (body.errors?.length || !body.data) {
    const errors = body.errors ?? [{ message: "no data in response" }];
    throw new ShopifyGraphqlError(
      operation,
      errors.map((e) => e.extensions?.code ?? "UNKNOWN"),
      errors.map((e) => e.message).join("; "),
    );
  }
  return body.data;
}
