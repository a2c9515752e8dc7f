/* Loyalty widget: no framework, deferred. Fetches nothing until the panel opens; talks only to
   the App Proxy (/apps/loyalty/*). This is the source: `npm run build:widget` minifies it into
   extensions/loyalty-theme/assets/, whose size Theme Check holds to 10,000 bytes (ADR 0052). */
(() => {
  const doc = document;
  const root = doc.getElementById("lw-root");
  if (!root || root.dataset.ready) return;
  root.dataset.ready = "1";
  const cfg = JSON.parse(doc.getElementById("lw-data").textContent);
  const T = cfg.t;
  const lang = doc.documentElement.lang || undefined;
  const launcher = root.querySelector(".lw-launcher");
  const panel = root.querySelector(".lw-panel");
  const body = root.querySelector(".lw-body");
  let program = cfg.program || {};
  let loaded = false;
  let opener = launcher;

  const t = (key, vars = {}) => (T[key] || "").replace(/%\{(\w+)\}/g, (_, k) => vars[k] ?? "");
  const h = (tag, attrs = {}, kids = []) => {
    const el = doc.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === "text") el.textContent = v;
      else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
      else if (v != null && v !== false) el.setAttribute(k, v);
    }
    for (const c of kids) if (c) el.append(c);
    return el;
  };
  const put = (el, ...kids) => el.replaceChildren(...kids);
  const p = (cls, text, role) => h("p", { class: cls, text, role });
  const muted = (text, tag = "p") => h(tag, { class: "lw-muted", text });
  const error = (message) => p("lw-msg lw-msg--error", message, "alert");
  // A button that is not a form's submit; `ghost` for the secondary look.
  const btn = (attrs, ghost) =>
    h("button", { type: "button", class: ghost ? "lw-btn lw-btn--ghost" : "lw-btn", ...attrs });
  const section = (title, ...kids) => h("div", {}, [h("h3", { text: title }), ...kids]);
  const num = (n) => new Intl.NumberFormat(lang).format(n);
  // Money as the shop shows it: its money format (ADR 0057), the format of the theme's own prices,
  // so a page never mixes "$1,000.00" with "837,00 $US". Tags dropped, entities decoded.
  const moneyFormat = (() => {
    const el = doc.createElement("textarea");
    el.innerHTML = (cfg.money || "").replace(/<[^>]*>/g, "");
    return el.value;
  })();
  const money = (minor) => {
    const value = minor / (program.minorPerUnit || 100);
    const slot = /\{\{\s*(\w+)\s*\}\}/.exec(moneyFormat) || ["", "amount"];
    const kind = slot[1];
    // Shopify's amount, amount_no_decimals, amount_with_comma_separator, … placeholders.
    const [group, point] = /apostrophe/.test(kind)
      ? "'."
      : /period_and_space/.test(kind)
        ? " ."
        : /space/.test(kind)
          ? " ,"
          : /comma/.test(kind)
            ? ".,"
            : ",.";
    const [whole, cents] = value.toFixed(/no_decimals/.test(kind) ? 0 : 2).split(".");
    const grouped = whole.replace(/\B(?=(\d{3})+$)/g, group) + (cents ? point + cents : "");
    // A shop without a format (never on Shopify) reads "5.00 USD".
    return slot[0] ? moneyFormat.replace(slot[0], grouped) : `${grouped} ${program.currency}`;
  };
  const plural = new Intl.PluralRules(lang);
  // A count in the shopper's language: the key's form for n (cost_one, cost_few, …), else _other.
  const tn = (key, n, vars) => {
    const form = `${key}_${plural.select(n)}`;
    return t(form in T ? form : `${key}_other`, { ...vars, points: num(n) });
  };
  const points = (n) => tn("cost", n);

  async function api(path, payload) {
    const init = { credentials: "same-origin", headers: { Accept: "application/json" } };
    if (payload) {
      init.method = "POST";
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(payload);
    }
    const response = await fetch(cfg.proxy + path, init);
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw Object.assign(new Error(data.error?.message || T.error), data.error);
    return data;
  }

  // The launcher says whether the panel is open (aria-expanded "true" / "false").
  const expand = (on) => launcher.setAttribute("aria-expanded", !(panel.hidden = !on));
  function open(from) {
    opener = from || launcher;
    expand(true);
    panel.focus();
    if (!loaded) load();
  }
  function close() {
    expand(false);
    opener.focus();
  }
  launcher.addEventListener("click", () => (panel.hidden ? open(launcher) : close()));
  root.querySelector(".lw-close").addEventListener("click", close);
  // While open the panel is a dialog: Tab and Shift+Tab cycle inside it, Escape closes it.
  doc.addEventListener("keydown", (e) => {
    if (panel.hidden) return;
    if (e.key === "Escape") {
      e.preventDefault();
      return close();
    }
    if (e.key !== "Tab") return;
    const all = [...panel.querySelectorAll("a[href],button:not([disabled]),input,select")];
    const first = all[0];
    const last = all[all.length - 1];
    const at = doc.activeElement;
    if (!panel.contains(at) || (e.shiftKey ? at === first || at === panel : at === last)) {
      e.preventDefault();
      (e.shiftKey ? last : first)?.focus();
    }
  });
  doc.addEventListener("click", (e) => {
    const button = e.target.closest?.("[data-lw-open]");
    if (button) open(button);
  });

  // A friend's referral link (?ref=CODE): remembered in this browser and on the cart (an
  // attribute the order carries to the app), and the panel opens with the advocate's welcome.
  const KEY = "lw-ref";
  const store = (v) => {
    try {
      if (v) localStorage.setItem(KEY, v);
      else localStorage.removeItem(KEY);
    } catch {
      // Storage blocked (private mode, cookie settings): the cart attribute still carries it.
    }
  };
  let ref = new URLSearchParams(location.search).get("ref");
  // Any ref is remembered and asked about: the app answers a tampered one in plain words.
  const landed = !!ref;
  // "~" marks a welcome a signed-in shopper has seen: it waits in the panel, never pops up again.
  let seen = false;
  if (landed) ref = ref.slice(0, 60);
  else {
    try {
      ref = localStorage.getItem(KEY);
    } catch {
      ref = null;
    }
    seen = ref?.[0] === "~";
    if (seen) ref = ref.slice(1);
  }

  const refusal = (e) => error(T[`ref_${e.reason}`] || e.message);

  const show = (nodes) => put(body, ...nodes.filter(Boolean));
  function load() {
    loaded = true;
    show([muted(T.loading)]);
    const welcome = ref && api(`/referral?code=${encodeURIComponent(ref)}`).catch((e) => e);
    const main = api(cfg.signedIn ? "/member" : "/program");
    Promise.all([main, welcome]).then(
      ([data, w]) => {
        (cfg.signedIn ? member : guest)(data);
        const welcome = w && gift(w);
        if (welcome) body.prepend(welcome);
      },
      (e) => {
        loaded = false;
        show([error(e.message)]);
      },
    );
  }

  // The friend's welcome: who invited them and what they get; signed in, the claim itself.
  function gift(w) {
    const done = (node) => (store(null), (ref = null), node);
    if (w instanceof Error) return done(refusal(w));
    if (w.own || w.claimed) return done(null);
    const reward = w.friendReward && offer(w.friendReward);
    const out = h("div", { "aria-live": "polite" });
    const kids = [
      h("h3", {
        text: w.advocateFirstName ? t("gift_from", { name: w.advocateFirstName }) : T.gift,
      }),
      reward && p("", t("gift_text", { reward })),
      out,
    ];
    // Signed in, one click; signed out, their email (the shop's customer with it gets the code).
    const button = h("button", { class: "lw-btn", text: T.claim });
    const mail =
      !cfg.signedIn && h("input", { type: "email", required: "", autocomplete: "email" });
    const form = h(
      "form",
      {
        class: "lw-form",
        onsubmit: (e) => {
          e.preventDefault();
          button.disabled = true;
          api("/referral", { code: w.code, email: mail ? mail.value : undefined }).then(
            (res) => {
              form.remove();
              const r = res.reward;
              put(
                out,
                ...(r ? codeBox(r.code, r.rewardName, r.instructions) : [p("lw-msg", T.claimed)]),
              );
              done();
              if (cfg.signedIn) refreshRewards();
            },
            (e) => {
              button.disabled = false;
              put(out, e.reason ? done(refusal(e)) : error(e.message));
            },
          );
        },
      },
      [mail && h("label", {}, [T.your_email, mail]), button],
    );
    kids.push(form, !cfg.signedIn && muted(T.gift_join));
    return h("div", { class: "lw-gift" }, kids);
  }

  // A reward's value in the shopper's locale and the shop's currency.
  const offer = (r) =>
    r.percentage
      ? t("percent_off", { n: num(r.percentage) })
      : r.valueMinor
        ? t("amount_off", { amount: money(r.valueMinor) })
        : r.name;

  // One id per click: a retried request takes effect once (the app keys the effect on it).
  const rid = () => `w${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;

  function ways(list) {
    if (!list?.length) return null;
    // One copy per kind: `unit` for purchase ("per $1.00"), `amount` for a spend goal.
    const text = (w) =>
      tn(`way_${w.kind}`, w.pointsPerUnit ?? w.points, {
        ...w,
        unit: money(program.minorPerUnit),
        amount: w.minor && money(w.minor),
      });
    const items = list.map((w) => {
      if (!w.url) return h("li", { text: text(w) });
      // A follow (honour-based): the profile opens in a new tab; a member is credited once.
      const out = h("span", { "aria-live": "polite" });
      const follow = () =>
        cfg.signedIn &&
        api("/follow", { network: w.network, request_id: rid() }).then(
          () => (put(out, p("lw-msg", T.followed)), refreshRewards()),
          (e) => put(out, error(e.code == "limit_reached" ? T.follow_done : e.message)),
        );
      return h("li", {}, [
        h("a", { href: w.url, target: "_blank", rel: "noopener", text: text(w), onclick: follow }),
        out,
      ]);
    });
    return section(T.ways, h("ul", { class: "lw-list lw-ways" }, items));
  }

  function guest(data) {
    program = data.program || program;
    const rewards = (data.rewards || []).map((r) =>
      h("li", {}, [
        h("span", { text: r.name }),
        // Pay-with-points: the least it takes, as the signed-in list says it.
        muted(points(r.pointsCost ?? r.points?.min), "span"),
      ]),
    );
    show([
      h("h3", { text: T.join_title }),
      p("", cfg.intro || T.join_text),
      h("div", { class: "lw-actions" }, [
        h("a", { class: "lw-btn", href: cfg.register, text: T.join }),
        h("a", { class: "lw-btn lw-btn--ghost", href: cfg.login, text: T.sign_in }),
      ]),
      ways(program.waysToEarn),
      rewards.length && section(T.rewards, h("ul", { class: "lw-list" }, rewards)),
    ]);
  }

  function progress(m) {
    const next = m.next;
    if (!next) return m.tier && muted(T.top_tier);
    const amount = next.unit === "money" ? money(next.remaining) : points(next.remaining);
    const label = t("to_next", { amount, tier: next.name });
    const bar = h(
      "div",
      {
        class: "lw-bar",
        role: "progressbar",
        "aria-label": label,
        "aria-valuemin": "0",
        "aria-valuemax": "100",
        "aria-valuenow": String(next.percent),
      },
      [h("span", { style: `width:${next.percent}%` })],
    );
    return h("div", {}, [bar, muted(label)]);
  }

  function member(data) {
    program = data.program || program;
    const m = data.member;
    if (!m) return show([p("", T.not_member), ways(program.waysToEarn)]);
    show([
      cfg.name && p("", t("hello", { name: cfg.name })),
      muted(T.points),
      h("p", { class: "lw-balance", "data-lw-balance": "", text: num(m.availablePoints) }),
      m.pendingPoints > 0 && muted(tn("pending", m.pendingPoints)),
      m.tier && p("", t("tier", { tier: m.tier.name })),
      progress(m),
      h("div", { class: "lw-result", "aria-live": "polite" }),
      (rewardsNode = rewardList(data.rewards || [])),
      (mineNode = mine(m.codes)),
      ways(program.waysToEarn),
      m.referral && referral(m.referral),
      birthday(m.birthday),
    ]);
  }

  let rewardsNode = null;
  let mineNode = null;
  // After a redemption: the balance and which rewards are in reach, as the app now sees them. The
  // code shown above the list stays, and so does the focus on its copy button.
  function refreshRewards() {
    api("/member").then(
      (data) => {
        if (!data.member || !rewardsNode?.isConnected) return;
        const fresh = rewardList(data.rewards || []);
        rewardsNode.replaceWith(fresh);
        rewardsNode = fresh;
        const codes = mine(data.member.codes);
        if (codes && mineNode) mineNode.replaceWith(codes);
        else if (codes) fresh.after(codes);
        mineNode = codes;
        body.querySelector("[data-lw-balance]").textContent = num(data.member.availablePoints);
      },
      () => {},
    );
  }

  function rewardList(rewards) {
    if (!rewards.length) return section(T.rewards, muted(T.no_rewards));
    const items = rewards.map((r) => {
      const cost = r.pointsCost ?? r.points?.min;
      const button = btn({
        disabled: !r.available,
        "aria-label": `${T.redeem}: ${r.name}`,
        text: T.redeem,
        onclick: () => confirm(r, cost, button),
      });
      const why = r.why === "more_points" ? tn("why_more_points", r.short) : t(`why_${r.why}`);
      const note = r.available ? "" : ` · ${why}`;
      const about = h("span", {}, [
        h("strong", { text: r.name }),
        h("br"),
        muted(points(cost) + note, "span"),
      ]);
      return h("li", {}, [about, button]);
    });
    return section(T.rewards, h("ul", { class: "lw-list" }, items));
  }

  // Points are spent only after a second, explicit step: "Spend 50 points?" Yes / Cancel.
  function confirm(r, cost, button) {
    const back = () => (ask.replaceWith(button), button.focus());
    const yes = btn({ text: T.yes, onclick: () => (back(), redeem(r, cost, button)) });
    const ask = h("span", { class: "lw-confirm", role: "group", "aria-label": r.name }, [
      h("span", { text: t("spend", { cost: points(cost) }) }),
      yes,
      btn({ text: T.cancel, onclick: back }, 1),
    ]);
    button.replaceWith(ask);
    yes.focus();
  }

  async function redeem(r, cost, button) {
    const out = body.querySelector(".lw-result");
    button.disabled = true;
    try {
      const res = await api("/redeem", {
        reward: r.handle,
        request_id: rid(),
        points: r.points ? cost : undefined,
      });
      const [label, box] = codeBox(res.code, res.rewardName, res.instructions);
      put(out, label, box);
      const copy = box.lastChild;
      const balance = body.querySelector("[data-lw-balance]");
      const before = Number(balance.textContent.replace(/\D/g, ""));
      balance.textContent = num(Math.max(0, before - res.pointsSpent));
      copy.focus();
      refreshRewards();
    } catch (e) {
      button.disabled = false;
      put(out, error(e.message));
    }
  }

  // A custom reward's instructions (the merchant fulfils it) say what to do with the code.
  function codeBox(code, name, how) {
    return [
      h("p", {}, [`${T.your_code} · ${name}`, how && h("br"), how]),
      h("div", { class: "lw-code" }, [
        h("output", { text: code, "aria-label": T.your_code }),
        copyButton(() => code),
      ]),
    ];
  }

  // "My rewards": every code the shopper owns, ready ones first, used and expired ones marked.
  function mine(codes) {
    if (!codes?.length) return null;
    const date = (iso) => new Date(iso).toLocaleDateString(lang, { dateStyle: "medium" });
    const items = codes.map((c) => {
      const ready = c.status === "ready";
      const notes = [
        offer(c) !== c.name && offer(c),
        c.minimumSubtotalMinor && t("min_order", { amount: money(c.minimumSubtotalMinor) }),
        ready && c.instructions,
        ready ? c.expiresAt && t("use_by", { date: date(c.expiresAt) }) : T[`code_${c.status}`],
      ];
      return h("li", { class: ready ? "" : "lw-off" }, [
        h("span", {}, [
          h("strong", { text: c.name }),
          h("br"),
          h("code", { text: c.code }),
          h("br"),
          muted(notes.filter(Boolean).join(" · "), "span"),
        ]),
        ready && copyButton(() => c.code, c.name),
      ]);
    });
    return section(T.mine, h("ul", { class: "lw-list" }, items));
  }

  function copyButton(value, name) {
    const button = btn(
      {
        "aria-label": name && `${T.copy}: ${name}`,
        text: T.copy,
        onclick: () => {
          const done = () => (button.textContent = T.copied);
          if (navigator.clipboard) navigator.clipboard.writeText(value()).then(done, done);
          else done();
        },
      },
      1,
    );
    return button;
  }

  function referral(ref) {
    // The whole link, wrapped over lines if need be: a cut-off link cannot be checked by eye.
    const link = h("output", { class: "lw-link", text: ref.url, "aria-label": T.referral });
    const box = h("div", { class: "lw-code" }, [link, copyButton(() => ref.url)]);
    const mail = h("input", { type: "email", required: "", autocomplete: "off" });
    const msg = h("div", { role: "status" });
    const send = sender(msg, () => api("/referral", { friendEmail: mail.value }), T.invited);
    const form = h("form", { class: "lw-form", onsubmit: send }, [
      h("label", {}, [T.invite, mail]),
      h("button", { class: "lw-btn", text: T.send }),
    ]);
    // What happens to the friend's address is said where it is typed (ADR 0056).
    return section(T.referral, muted(T.referral_text), box, form, muted(T.invite_note), msg);
  }

  const sender = (out, run, ok) => async (e) => {
    e.preventDefault();
    const said = run().then(() => p("lw-msg", ok));
    put(out, await said.catch((x) => error(x.message)));
  };

  function birthday(current) {
    const monthName = (i) => new Date(2000, i, 1).toLocaleString(lang, { month: "long" });
    const options = Array.from({ length: 12 }, (_, i) =>
      h("option", { value: i + 1, selected: current?.month === i + 1 && "", text: monthName(i) }),
    );
    const month = h("select", { name: "month" }, options);
    const day = h("input", {
      name: "day",
      type: "number",
      min: "1",
      max: "31",
      required: "",
      value: current?.day,
    });
    const msg = h("div", { role: "status" });
    const date = () => ({ month: +month.value, day: +day.value });
    const submit = sender(msg, () => api("/birthday", date()), T.saved);
    const form = h("form", { class: "lw-form", onsubmit: submit }, [
      h("label", {}, [T.month, month]),
      h("label", {}, [T.day, day]),
      h("button", { class: "lw-btn", text: T.save }),
    ]);
    return section(T.birthday, form, msg);
  }

  // Opened at once for a friend who just followed a link, or who signed in with one remembered.
  if (landed) {
    store(ref);
    fetch("/cart/update.js", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ attributes: { _loyalty_referral: ref } }),
    }).catch(() => {});
  }
  if (landed || (ref && cfg.signedIn && !seen)) open();
  if (ref && cfg.signedIn) store(`~${ref}`);
})();
