// The storefront claim page (issue #23): the App Proxy answers with Liquid (application/liquid),
// which Shopify renders inside the shop's theme. The page carries English and French and shows
// the shopper's language through the storefront's own `request.locale`, as the widget's texts do.

export type ClaimPageState =
  | "sign_in"
  | "ready"
  | "claimed"
  | "malformed"
  | "unknown"
  | "used"
  | "expired"
  | "rate_limited"
  | "error";

export type ShopperLanguage = "en" | "fr";

const TEXTS: Record<
  ShopperLanguage,
  Record<ClaimPageState | "heading" | "signInButton" | "claimButton", string>
> = {
  en: {
    heading: "Collect your points",
    sign_in: "Sign in to your account to add the points of code {code} to it.",
    signInButton: "Sign in",
    ready: "Your code: {code}",
    claimButton: "Add the points to my account",
    claimed: "{points} points were added to your account. Your balance is now {balance} points.",
    malformed:
      "This is not a claim code. Codes have 12 letters and digits, like K7QF-M2XR-9PDA: check the code on your card.",
    unknown: "We do not know this code. Check that it is typed exactly as printed on your card.",
    used: "This code has already been used. Each code gives its points once.",
    expired: "This code has expired and can no longer be used.",
    rate_limited: "Too many codes were tried. Please wait {minutes} minutes and try again.",
    error: "Something went wrong. Please try again in a moment.",
  },
  fr: {
    heading: "Récupérez vos points",
    sign_in: "Connectez-vous à votre compte pour y ajouter les points du code {code}.",
    signInButton: "Se connecter",
    ready: "Votre code : {code}",
    claimButton: "Ajouter les points à mon compte",
    claimed:
      "{points} points ont été ajoutés à votre compte. Votre solde est maintenant de {balance} points.",
    malformed:
      "Ce n’est pas un code valide. Les codes ont 12 lettres et chiffres, comme K7QF-M2XR-9PDA : vérifiez le code sur votre carte.",
    unknown: "Ce code nous est inconnu. Vérifiez qu’il est saisi exactement comme sur votre carte.",
    used: "Ce code a déjà été utilisé. Chaque code ne donne ses points qu’une fois.",
    expired: "Ce code a expiré et ne peut plus être utilisé.",
    rate_limited: "Trop de codes ont été essayés. Patientez {minutes} minutes puis réessayez.",
    error: "Un problème est survenu. Réessayez dans un instant.",
  },
};

/** A text of the page, values filled in (used by the JSON answers and the tests). */
export function shopperText(
  language: ShopperLanguage,
  key: keyof (typeof TEXTS)["en"],
  values: Record<string, string | number> = {},
): string {
  return TEXTS[language][key].replace(/\{(\w+)\}/g, (m, name: string) =>
    name in values ? String(values[name]) : m,
  );
}

/** HTML-escaped, and never Liquid: braces and percent signs become entities too. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"'{}%]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface ClaimPageInput {
  state: ClaimPageState;
  /** As printed (K7QF-M2XR-9PDA) or as typed, shown back to the shopper. */
  code: string;
  points?: number;
  balance?: number;
  retryAfterSeconds?: number;
  /** Where "Sign in" returns to: this page, e.g. /apps/loyalty/claim?code=… */
  returnTo: string;
}

function body(language: ShopperLanguage, page: ClaimPageInput): string {
  const values = {
    code: page.code,
    points: page.points ?? 0,
    balance: page.balance ?? 0,
    minutes: Math.max(1, Math.ceil((page.retryAfterSeconds ?? 60) / 60)),
  };
  const say = (key: keyof (typeof TEXTS)["en"]) => escapeHtml(shopperText(language, key, values));
  const tone =
    page.state === "claimed"
      ? "success"
      : page.state === "ready" || page.state === "sign_in"
        ? "info"
        : "problem";
  const lines = [
    `<h1>${say("heading")}</h1>`,
    `<p class="loyalty-claim__message loyalty-claim__message--${tone}" role="${tone === "problem" ? "alert" : "status"}" data-state="${page.state}">${say(page.state)}</p>`,
  ];
  if (page.state === "sign_in") {
    lines.push(
      `<p><a class="button loyalty-claim__button" href="{{ routes.account_login_url }}?return_url=${encodeURIComponent(page.returnTo)}">${say("signInButton")}</a></p>`,
    );
  }
  if (page.state === "ready") {
    lines.push(
      `<form method="post" action="">`,
      `<input type="hidden" name="code" value="${escapeHtml(page.code)}">`,
      `<button type="submit" class="button loyalty-claim__button">${say("claimButton")}</button>`,
      `</form>`,
    );
  }
  return lines.join("\n");
}

/**
 * The page's own look, scoped to it: a theme may style `.button` (Dawn does) but nothing else of
 * the page, and without this a granted claim and a refusal read alike and the button is the
 * browser's bare default. Text keeps the theme's colour and font.
 */
const STYLE = [
  ".loyalty-claim{max-width:40rem;margin:2rem auto;padding:0 1rem}",
  ".loyalty-claim__message{margin:1rem 0;padding:.75rem 1rem;border-left:4px solid #5c6ac4;border-radius:4px;background:#f1f2fb}",
  ".loyalty-claim__message--success{border-color:#1f7a45;background:#e8f5ed}",
  ".loyalty-claim__message--problem{border-color:#b42318;background:#fdecea}",
  ".loyalty-claim .loyalty-claim__button{display:inline-block;margin:0;padding:.75rem 1.5rem;border:0;border-radius:6px;background:#1c1c1c;color:#fff;font:inherit;text-decoration:none;cursor:pointer}",
  ".loyalty-claim .loyalty-claim__button:focus-visible{outline:3px solid #5c6ac4;outline-offset:2px}",
].join("");

/**
 * The page as Liquid for the App Proxy: both languages, chosen by the storefront's locale. Every
 * value in it is escaped so that nothing a shopper typed can become HTML or Liquid.
 */
export function claimPageLiquid(page: ClaimPageInput): string {
  return [
    `<style>${STYLE}</style>`,
    `<section class="loyalty-claim">`,
    `{% if request.locale.iso_code == "fr" %}`,
    body("fr", page),
    `{% else %}`,
    body("en", page),
    `{% endif %}`,
    `</section>`,
  ].join("\n");
}
