/* Loyalty widget: hand-written, no framework, loaded with defer. Fetches nothing until the
   panel is opened; talks only to the App Proxy (/apps/loyalty/*). Budget: 10,000 bytes. */
(function () {
  var root = document.getElementById("lw-root");
  if (!root || root.dataset.ready) return;
  root.dataset.ready = "1";
  var cfg = JSON.parse(document.getElementById("lw-data").textContent);
  var T = cfg.t,
    program = cfg.program || {};
  var launcher = root.querySelector(".lw-launcher");
  var panel = root.querySelector(".lw-panel");
  var body = root.querySelector(".lw-body");
  var loaded = false,
    opener = launcher;

  function t(key, vars) {
    return (T[key] || "").replace(/%\{(\w+)\}/g, function (_, k) {
      return vars && vars[k] != null ? vars[k] : "";
    });
  }
  function h(tag, attrs, kids) {
    var el = document.createElement(tag);
    for (var k in attrs || {}) {
      if (k === "text") el.textContent = attrs[k];
      else if (k.slice(0, 2) === "on") el.addEventListener(k.slice(2), attrs[k]);
      else if (attrs[k] != null && attrs[k] !== false) el.setAttribute(k, attrs[k]);
    }
    (kids || []).forEach(function (c) {
      if (c) el.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return el;
  }
  function num(n) {
    return new Intl.NumberFormat(document.documentElement.lang || undefined).format(n);
  }
  function money(minor) {
    var unit = program.minorPerUnit || 100;
    try {
      return new Intl.NumberFormat(document.documentElement.lang || undefined, {
        style: "currency",
        currency: program.currency || "USD",
      }).format(minor / unit);
    } catch (e) {
      return (minor / unit).toFixed(2);
    }
  }
  function api(path, body) {
    var init = { credentials: "same-origin", headers: { Accept: "application/json" } };
    if (body) {
      init.method = "POST";
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    return fetch(cfg.proxy + path, init).then(function (r) {
      return r
        .json()
        .catch(function () {
          return {};
        })
        .then(function (data) {
          if (!r.ok) throw new Error((data.error && data.error.message) || T.error);
          return data;
        });
    });
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
    (opener || launcher).focus();
  }
  launcher.addEventListener("click", function () {
    panel.hidden ? open(launcher) : close();
  });
  root.querySelector(".lw-close").addEventListener("click", close);
  root.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && !panel.hidden) {
      e.preventDefault();
      close();
    }
  });
  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("[data-lw-open]");
    if (b) open(b);
  });

  function show(nodes) {
    body.textContent = "";
    nodes.forEach(function (n) {
      if (n) body.appendChild(n);
    });
  }
  function load() {
    loaded = true;
    show([h("p", { class: "lw-muted", text: T.loading })]);
    api(cfg.signedIn ? "/member" : "/program").then(cfg.signedIn ? member : guest, function (e) {
      loaded = false;
      show([h("p", { class: "lw-msg lw-msg--error", role: "alert", text: e.message })]);
    });
  }

  function ways(list) {
    if (!list || !list.length) return null;
    return h("div", {}, [
      h("h3", { text: T.ways }),
      h(
        "ul",
        { class: "lw-list lw-ways" },
        list.map(function (w) {
          var v =
            w.kind === "purchase"
              ? { points: num(w.pointsPerUnit), unit: money(program.minorPerUnit || 100) }
              : { points: num(w.points) };
          return h("li", { text: t("way_" + w.kind, v) });
        }),
      ),
    ]);
  }

  function guest(data) {
    program = data.program || program;
    var rewards = (data.rewards || []).map(function (r) {
      return h("li", {}, [
        h("span", { text: r.name }),
        h("span", {
          class: "lw-muted",
          text: r.pointsCost != null ? t("cost", { points: num(r.pointsCost) }) : r.valueFormatted,
        }),
      ]);
    });
    show([
      h("h3", { text: T.join_title }),
      h("p", { text: cfg.intro || T.join_text }),
      h("div", { class: "lw-actions" }, [
        h("a", { class: "lw-btn", href: cfg.register, text: T.join }),
        h("a", { class: "lw-btn lw-btn--ghost", href: cfg.login, text: T.sign_in }),
      ]),
      ways(program.waysToEarn),
      rewards.length ? h("h3", { text: T.rewards }) : null,
      rewards.length ? h("ul", { class: "lw-list" }, rewards) : null,
    ]);
  }

  function member(data) {
    program = data.program || program;
    var m = data.member;
    if (!m) return show([h("p", { text: T.not_member }), ways(program.waysToEarn)]);
    var next = m.next,
      progress = null;
    if (next) {
      var amount =
        next.unit === "money" ? money(next.remaining) : t("cost", { points: num(next.remaining) });
      progress = h("div", {}, [
        h(
          "div",
          {
            class: "lw-bar",
            role: "progressbar",
            "aria-label": t("to_next", { amount: amount, tier: next.name }),
            "aria-valuemin": "0",
            "aria-valuemax": "100",
            "aria-valuenow": String(next.percent),
          },
          [h("span", { style: "width:" + next.percent + "%" })],
        ),
        h("p", { class: "lw-muted", text: t("to_next", { amount: amount, tier: next.name }) }),
      ]);
    } else if (m.tier) progress = h("p", { class: "lw-muted", text: T.top_tier });
    show([
      cfg.name ? h("p", { text: t("hello", { name: cfg.name }) }) : null,
      h("p", { class: "lw-muted", text: T.points }),
      h("p", { class: "lw-balance", "data-lw-balance": "", text: num(m.availablePoints) }),
      m.pendingPoints
        ? h("p", { class: "lw-muted", text: t("pending", { points: num(m.pendingPoints) }) })
        : null,
      m.tier ? h("p", { text: t("tier", { tier: m.tier.name }) }) : null,
      progress,
      h("div", { class: "lw-result", "aria-live": "polite" }),
      rewardList(data.rewards || []),
      ways(program.waysToEarn),
      m.referral ? referral(m.referral) : null,
      birthday(m.birthday),
    ]);
  }

  function rewardList(rewards) {
    if (!rewards.length)
      return h("div", {}, [
        h("h3", { text: T.rewards }),
        h("p", { class: "lw-muted", text: T.no_rewards }),
      ]);
    return h("div", {}, [
      h("h3", { text: T.rewards }),
      h(
        "ul",
        { class: "lw-list" },
        rewards.map(function (r) {
          var cost = r.pointsCost != null ? r.pointsCost : r.points && r.points.min;
          var btn = h("button", {
            type: "button",
            class: "lw-btn",
            disabled: !r.available,
            "aria-label": T.redeem + ": " + r.name,
            title: r.available ? null : r.reason,
            text: T.redeem,
            onclick: function () {
              redeem(r, cost, btn);
            },
          });
          return h("li", {}, [
            h("span", {}, [
              h("strong", { text: r.name }),
              h("br"),
              h("span", {
                class: "lw-muted",
                text:
                  t("cost", { points: num(cost) }) +
                  (r.available || !r.reason ? "" : " · " + r.reason),
              }),
            ]),
            btn,
          ]);
        }),
      ),
    ]);
  }

  function redeem(r, cost, btn) {
    var out = body.querySelector(".lw-result");
    btn.disabled = true;
    var id = "w" + Date.now().toString(36) + Math.random().toString(36).slice(2, 10);
    var req = { reward: r.handle, request_id: id };
    if (r.points) req.points = cost;
    api("/redeem", req).then(
      function (res) {
        var code = h("output", { text: res.code, "aria-label": T.your_code });
        var box = h("div", {}, [
          h("p", { text: T.your_code + " · " + res.rewardName }),
          h("div", { class: "lw-code" }, [
            code,
            copyButton(function () {
              return res.code;
            }),
          ]),
        ]);
        var bal = body.querySelector("[data-lw-balance]");
        if (bal)
          bal.textContent = num(
            Math.max(0, Number(bal.textContent.replace(/\D/g, "")) - res.pointsSpent),
          );
        out.textContent = "";
        out.appendChild(box);
        box.querySelector("button").focus();
      },
      function (e) {
        btn.disabled = false;
        out.textContent = "";
        out.appendChild(h("p", { class: "lw-msg lw-msg--error", role: "alert", text: e.message }));
      },
    );
  }

  function copyButton(value) {
    var b = h("button", {
      type: "button",
      class: "lw-btn lw-btn--ghost",
      text: T.copy,
      onclick: function () {
        var done = function () {
          b.textContent = T.copied;
        };
        if (navigator.clipboard) navigator.clipboard.writeText(value()).then(done, done);
        else done();
      },
    });
    return b;
  }

  function referral(ref) {
    var input = h("input", { readonly: "", value: ref.url, "aria-label": T.referral });
    return h("div", {}, [
      h("h3", { text: T.referral }),
      h("p", { class: "lw-muted", text: T.referral_text }),
      h("div", { class: "lw-code" }, [
        input,
        copyButton(function () {
          return ref.url;
        }),
      ]),
    ]);
  }

  function birthday(current) {
    var names = [],
      i;
    for (i = 0; i < 12; i++)
      names.push(
        new Date(2000, i, 1).toLocaleString(document.documentElement.lang || undefined, {
          month: "long",
        }),
      );
    var month = h(
      "select",
      { name: "month" },
      names.map(function (n, k) {
        return h("option", {
          value: String(k + 1),
          selected: current && current.month === k + 1 ? "" : null,
          text: n,
        });
      }),
    );
    var day = h("input", {
      name: "day",
      type: "number",
      min: "1",
      max: "31",
      required: "",
      inputmode: "numeric",
      value: current ? current.day : null,
    });
    var msg = h("p", { class: "lw-msg", role: "status" });
    var form = h(
      "form",
      {
        class: "lw-form",
        onsubmit: function (e) {
          e.preventDefault();
          api("/birthday", { month: Number(month.value), day: Number(day.value) }).then(
            function () {
              msg.className = "lw-msg";
              msg.textContent = T.saved;
            },
            function (err) {
              msg.className = "lw-msg lw-msg--error";
              msg.textContent = err.message;
            },
          );
        },
      },
      [
        h("label", {}, [T.month, month]),
        h("label", {}, [T.day, day]),
        h("button", { type: "submit", class: "lw-btn", text: T.save }),
      ],
    );
    return h("div", {}, [h("h3", { text: T.birthday }), form, msg]);
  }
})();
