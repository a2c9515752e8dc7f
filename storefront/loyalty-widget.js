/* Loyalty widget: no framework, deferred. Fetches nothing until the panel opens; talks only to
   the App Proxy (/apps/loyalty/*). This is the source: `npm run build:widget` minifies it into
   extensions/loyalty-theme/assets/, whose size Theme Check holds to 10,000 bytes (ADR 0052). */
(() => {
  const root = document.getElementById("lw-root");
  if (!root || root.dataset.ready) return;
  root.dataset.ready = "1";
  const cfg = JSON.parse(document.getElementById("lw-data").textContent);
  const T = cfg.t;
  const lang = document.documentElement.lang || undefined;
  const launcher = root.querySelector(".lw-launcher");
  const panel = root.querySelector(".lw-panel");
  const body = root.querySelector(".lw-body");
  let program = cfg.program || {};
  let loaded = false;
  let opener = launcher;

  const t = (key, vars = {}) => (T[key] || "").replace(/%\{(\w+)\}/g, (_, k) => vars[k] ?? "");
  const h = (tag, attrs = {}, kids = []) => {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === "text") el.textContent = v;
      else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
      else if (v != null && v !== false) el.setAttribute(k, v);
    }
    for (const c of kids) if (c) el.append(c);
    return el;
  };
  const p = (cls, text, role) => h("p", { class: cls, text, role });
  const error = (message) => p("lw-msg lw-msg--error", message, "alert");
  const section = (title, ...kids) => h("div", {}, [h("h3", { text: title }), ...kids]);
  const num = (n) => new Intl.NumberFormat(lang).format(n);
  const money = (minor) => {
    const unit = program.minorPerUnit || 100;
    try {
      const options = { style: "currency", currency: program.currency || "USD" };
      return new Intl.NumberFormat(lang, options).format(minor / unit);
    } catch {
      return (minor / unit).toFixed(2);
    }
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
    if (!response.ok) throw new Error(data.error?.message || T.error);
    return data;
  }

  function open(from) {
    opener = from || launcher;
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    panel.focus();
    if (!loaded) load();
  }
  function close() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    opener.focus();
  }
  launcher.addEventListener("click", () => (panel.hidden ? open(launcher) : close()));
  root.querySelector(".lw-close").addEventListener("click", close);
  root.addEventListener("keydown", (e) => {
    if (e.key !== "Escape" || panel.hidden) return;
    e.preventDefault();
    close();
  });
  document.addEventListener("click", (e) => {
    const button = e.target.closest?.("[data-lw-open]");
    if (button) open(button);
  });

  const show = (nodes) => body.replaceChildren(...nodes.filter(Boolean));
  function load() {
    loaded = true;
    show([p("lw-muted", T.loading)]);
    api(cfg.signedIn ? "/member" : "/program").then(cfg.signedIn ? member : guest, (e) => {
      loaded = false;
      show([error(e.message)]);
    });
  }

  function ways(list) {
    if (!list?.length) return null;
    const text = (w) =>
      w.kind === "purchase"
        ? tn("way_purchase", w.pointsPerUnit, { unit: money(program.minorPerUnit) })
        : tn(`way_${w.kind}`, w.points);
    const items = list.map((w) => h("li", { text: text(w) }));
    return section(T.ways, h("ul", { class: "lw-list lw-ways" }, items));
  }

  function guest(data) {
    program = data.program || program;
    const rewards = (data.rewards || []).map((r) =>
      h("li", {}, [
        h("span", { text: r.name }),
        h("span", {
          class: "lw-muted",
          text: r.pointsCost != null ? points(r.pointsCost) : r.valueFormatted,
        }),
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
    if (!next) return m.tier && p("lw-muted", T.top_tier);
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
    return h("div", {}, [bar, p("lw-muted", label)]);
  }

  function member(data) {
    program = data.program || program;
    const m = data.member;
    if (!m) return show([p("", T.not_member), ways(program.waysToEarn)]);
    show([
      cfg.name && p("", t("hello", { name: cfg.name })),
      p("lw-muted", T.points),
      h("p", { class: "lw-balance", "data-lw-balance": "", text: num(m.availablePoints) }),
      m.pendingPoints > 0 && p("lw-muted", tn("pending", m.pendingPoints)),
      m.tier && p("", t("tier", { tier: m.tier.name })),
      progress(m),
      h("div", { class: "lw-result", "aria-live": "polite" }),
      (rewardsNode = rewardList(data.rewards || [])),
      ways(program.waysToEarn),
      m.referral && referral(m.referral),
      birthday(m.birthday),
    ]);
  }

  let rewardsNode = null;
  // After a redemption: the balance and which rewards are in reach, as the app now sees them. The
  // code shown above the list stays, and so does the focus on its copy button.
  function refreshRewards() {
    api("/member").then(
      (data) => {
        if (!data.member || !rewardsNode?.isConnected) return;
        const fresh = rewardList(data.rewards || []);
        rewardsNode.replaceWith(fresh);
        rewardsNode = fresh;
        body.querySelector("[data-lw-balance]").textContent = num(data.member.availablePoints);
      },
      () => {},
    );
  }

  function rewardList(rewards) {
    if (!rewards.length) return section(T.rewards, p("lw-muted", T.no_rewards));
    const items = rewards.map((r) => {
      const cost = r.pointsCost ?? r.points?.min;
      const button = h("button", {
        type: "button",
        class: "lw-btn",
        disabled: !r.available,
        "aria-label": `${T.redeem}: ${r.name}`,
        text: T.redeem,
        onclick: () => redeem(r, cost, button),
      });
      const why = r.why === "more_points" ? tn("why_more_points", r.short) : t(`why_${r.why}`);
      const note = r.available ? "" : ` · ${why}`;
      const about = h("span", {}, [
        h("strong", { text: r.name }),
        h("br"),
        h("span", { class: "lw-muted", text: points(cost) + note }),
      ]);
      return h("li", {}, [about, button]);
    });
    return section(T.rewards, h("ul", { class: "lw-list" }, items));
  }

  async function redeem(r, cost, button) {
    const out = body.querySelector(".lw-result");
    button.disabled = true;
    // One id per click: a retried request redeems once (the app keys the redemption on it).
    const id = `w${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
    try {
      const res = await api("/redeem", {
        reward: r.handle,
        request_id: id,
        points: r.points ? cost : undefined,
      });
      const copy = copyButton(() => res.code);
      out.replaceChildren(
        p("", `${T.your_code} · ${res.rewardName}`),
        h("div", { class: "lw-code" }, [
          h("output", { text: res.code, "aria-label": T.your_code }),
          copy,
        ]),
      );
      const balance = body.querySelector("[data-lw-balance]");
      const before = Number(balance.textContent.replace(/\D/g, ""));
      balance.textContent = num(Math.max(0, before - res.pointsSpent));
      copy.focus();
      refreshRewards();
    } catch (e) {
      button.disabled = false;
      out.replaceChildren(error(e.message));
    }
  }

  function copyButton(value) {
    const button = h("button", {
      type: "button",
      class: "lw-btn lw-btn--ghost",
      text: T.copy,
      onclick: () => {
        const done = () => (button.textContent = T.copied);
        if (navigator.clipboard) navigator.clipboard.writeText(value()).then(done, done);
        else done();
      },
    });
    return button;
  }

  function referral(ref) {
    const input = h("input", { readonly: "", value: ref.url, "aria-label": T.referral });
    const box = h("div", { class: "lw-code" }, [input, copyButton(() => ref.url)]);
    const mail = h("input", { type: "email", required: "", "aria-label": T.invite });
    const msg = h("div", { role: "status" });
    const send = sender(msg, () => api("/referral", { friendEmail: mail.value }), T.invited);
    const form = h("form", { class: "lw-form", onsubmit: send }, [
      mail,
      h("button", { class: "lw-btn", text: T.invite }),
    ]);
    return section(T.referral, p("lw-muted", T.referral_text), box, form, msg);
  }

  const sender = (out, run, ok) => async (e) => {
    e.preventDefault();
    const said = run().then(() => p("lw-msg", ok));
    out.replaceChildren(await said.catch((x) => error(x.message)));
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
})();
