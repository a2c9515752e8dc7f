// Stand-in for https://cdn.shopify.com/shopifycloud/app-bridge.js, served by the sandbox's Shopify
// stand-in (the app points at it through shopify-app-remix's APP_BRIDGE_URL setting). It does for
// the app what App Bridge does inside Shopify admin: session tokens via shopify.idToken(), a bearer
// token on the app's own fetches, the auth bounce page's reload, and visible nav/title/toasts.
(function () {
  const script = document.currentScript;
  const apiKey = script && script.dataset.apiKey;
  const authority = script ? new URL(script.src).origin : location.origin;
  const params = new URLSearchParams(location.search);
  // A framed app is a third party to admin's page: the browser may deny it storage.
  const remembered = {
    get: (key) => {
      try {
        return sessionStorage.getItem(key);
      } catch {
        return null;
      }
    },
    set: (key, value) => {
      try {
        if (value) sessionStorage.setItem(key, value);
      } catch {
        // Nothing to remember across loads: admin passes the parameters on every load anyway.
      }
    },
  };
  const shop = params.get("shop") || remembered.get("sandbox-shop");
  const host = params.get("host") || remembered.get("sandbox-host");
  const locale = params.get("locale") || remembered.get("sandbox-locale") || "en";
  remembered.set("sandbox-shop", shop);
  remembered.set("sandbox-host", host);
  remembered.set("sandbox-locale", locale);

  // A full page load inside admin always carries shop, host and embedded=1.
  function withAdminParams(href) {
    const url = new URL(href, location.href);
    if (shop) url.searchParams.set("shop", shop);
    if (host) url.searchParams.set("host", host);
    url.searchParams.set("embedded", "1");
    return url.pathname + url.search;
  }

  let cached = { token: "", expiresAt: 0 };
  async function idToken() {
    if (cached.expiresAt > Date.now() + 5000) return cached.token;
    const response = await nativeFetch(
      `${authority}/__sandbox/session-token?shop=${encodeURIComponent(shop || "")}`,
    );
    if (!response.ok) throw new Error(`session token: HTTP ${response.status}`);
    const body = await response.json();
    cached = { token: body.token, expiresAt: Date.now() + body.expires_in * 1000 };
    return cached.token;
  }

  const nativeFetch = window.fetch.bind(window);
  window.fetch = async function (input, init) {
    const request = new Request(input, init);
    if (new URL(request.url).origin !== location.origin || request.headers.has("Authorization")) {
      return nativeFetch(request);
    }
    const headers = new Headers(request.headers);
    headers.set("Authorization", `Bearer ${await idToken()}`);
    return nativeFetch(new Request(request, { headers }));
  };

  // The auth bounce page (/auth/session-token) asks App Bridge to come back with a token.
  const reload = params.get("shopify-reload");
  if (reload) {
    idToken().then((token) => {
      const target = new URL(reload, location.href);
      target.searchParams.set("id_token", token);
      location.replace(target.toString());
    });
  }

  // Framed by the admin stand-in: tell it where the app is after every navigation, without the
  // parameters admin adds itself, so admin's address (and a reload of it) follows the app.
  const ADMIN_PARAMS = [
    "shop",
    "host",
    "embedded",
    "id_token",
    "locale",
    "hmac",
    "session",
    "timestamp",
  ];
  function reportLocation() {
    const url = new URL(location.href);
    ADMIN_PARAMS.forEach((name) => url.searchParams.delete(name));
    const admin = (location.ancestorOrigins && location.ancestorOrigins[0]) || authority;
    window.parent.postMessage({ type: "sandbox:location", path: url.pathname + url.search }, admin);
  }
  if (window.parent !== window && !reload) {
    for (const method of ["pushState", "replaceState"]) {
      const native = history[method].bind(history);
      history[method] = function (...args) {
        native(...args);
        reportLocation();
      };
    }
    window.addEventListener("popstate", reportLocation);
    reportLocation();
  }

  function toast(message, options) {
    const element = document.createElement("div");
    element.setAttribute("role", "status");
    element.textContent = message;
    element.style.cssText =
      "position:fixed;bottom:24px;left:50%;transform:translateX(-50%);z-index:1000;padding:12px 16px;" +
      "border-radius:8px;font:14px system-ui;color:#fff;background:" +
      (options && options.isError ? "#8e1f0b" : "#303030");
    document.body.appendChild(element);
    setTimeout(() => element.remove(), (options && options.duration) || 4000);
  }

  // Admin's resource picker: a modal listing the store's products or collections, with search;
  // resolves to the chosen resources ({ id, title }) or undefined when cancelled, as App Bridge's.
  async function resourcePicker(options) {
    const type = (options && options.type) || "product";
    const multiple = !options || options.multiple !== false;
    const chosen = new Set(((options && options.selectionIds) || []).map((s) => s.id));
    const response = await nativeFetch(`${authority}/__sandbox/resources?type=${type}`);
    const { items } = await response.json();
    const noun = type === "collection" ? "collections" : "products";
    return new Promise((resolve) => {
      const host = document.createElement("div");
      const root = host.attachShadow({ mode: "open" });
      root.innerHTML =
        "<style>.backdrop{position:fixed;inset:0;background:rgba(0,0,0,.5);z-index:1100;display:flex;" +
        "align-items:center;justify-content:center;font:14px system-ui}.dialog{background:#fff;border-radius:12px;" +
        "width:min(560px,92vw);max-height:80vh;display:flex;flex-direction:column}header,footer{padding:14px 16px}" +
        "header{border-bottom:1px solid #e3e3e3}footer{border-top:1px solid #e3e3e3;display:flex;gap:8px;" +
        "justify-content:flex-end}h2{margin:0 0 10px;font-size:16px}input[type=search]{width:100%;box-sizing:border-box;" +
        "padding:6px 10px;border:1px solid #8a8a8a;border-radius:8px;font:inherit}ul{list-style:none;margin:0;padding:8px 16px;" +
        "overflow:auto}li label{display:flex;gap:10px;padding:8px 0;border-bottom:1px solid #f1f1f1;cursor:pointer}" +
        "button{font:600 13px system-ui;padding:6px 12px;border-radius:8px;border:1px solid #8a8a8a;background:#fff;" +
        "cursor:pointer}button.primary{background:#303030;color:#fff;border-color:#303030}</style>" +
        `<div class="backdrop"><div class="dialog" role="dialog" aria-modal="true" aria-labelledby="title">` +
        `<header><h2 id="title">Select ${noun}</h2><input type="search" aria-label="Search ${noun}" ` +
        `placeholder="Search ${noun}"></header><ul></ul><footer><button type="button" data-cancel>Cancel</button>` +
        `<button type="button" class="primary" data-select>Select</button></footer></div></div>`;
      const list = root.querySelector("ul");
      const render = (query) => {
        list.innerHTML = "";
        for (const item of items) {
          if (query && !item.title.toLowerCase().includes(query.toLowerCase())) continue;
          const li = document.createElement("li");
          const label = document.createElement("label");
          const input = document.createElement("input");
          input.type = multiple ? "checkbox" : "radio";
          input.name = "resource";
          input.checked = chosen.has(item.id);
          input.addEventListener("change", () => {
            if (!multiple) chosen.clear();
            if (input.checked) chosen.add(item.id);
            else chosen.delete(item.id);
          });
          label.append(input, document.createTextNode(item.title));
          li.append(label);
          list.append(li);
        }
      };
      render("");
      const search = root.querySelector("input[type=search]");
      search.addEventListener("input", () => render(search.value));
      const close = (value) => {
        host.remove();
        resolve(value);
      };
      root.querySelector("[data-cancel]").addEventListener("click", () => close(undefined));
      root.querySelector("[data-select]").addEventListener("click", () => {
        const selection = items.filter((item) => chosen.has(item.id));
        close(Object.assign(selection, { selection }));
      });
      root.addEventListener("keydown", (event) => {
        if (event.key === "Escape") close(undefined);
      });
      document.body.appendChild(host);
      search.focus();
    });
  }

  const resolved = () => Promise.resolve();
  window.shopify = {
    config: { apiKey, shop, host, locale },
    environment: { embedded: true, mobile: false, pos: false },
    idToken,
    resourcePicker,
    toast: { show: toast, hide: resolved },
    loading: () => undefined,
    saveBar: {
      show: (id) => saveBarAction(id, "show"),
      hide: (id) => saveBarAction(id, "hide"),
      toggle: (id) => saveBarAction(id, "toggle"),
      leaveConfirmation: resolved,
    },
    modal: { show: resolved, hide: resolved, toggle: resolved },
    ready: resolved(),
  };

  // <ui-nav-menu> renders in Shopify admin's chrome; here as a bar in the element's shadow root,
  // which leaves the light-DOM links React rendered (and hydrates) untouched.
  class NavMenu extends HTMLElement {
    connectedCallback() {
      if (this.shadowRoot) return;
      const root = this.attachShadow({ mode: "open" });
      const render = () => {
        const links = [...this.querySelectorAll("a")]
          .map((a) => {
            const href = withAdminParams(a.getAttribute("href") || "/app");
            const text = a.textContent.replace(/[<>&]/g, "");
            return `<a href="${href}">${text}</a>`;
          })
          .join("");
        root.innerHTML =
          "<style>nav{display:flex;gap:16px;align-items:center;padding:10px 20px;background:#1a1a1a;" +
          "color:#fff;font:14px system-ui}a{color:#fff;text-decoration:none}a:hover{text-decoration:underline}" +
          "strong{margin-right:12px}</style>" +
          `<nav aria-label="App navigation"><strong>Sandbox admin</strong>${links}</nav>`;
      };
      render();
      new MutationObserver(render).observe(this, { childList: true, subtree: true });
    }
  }
  class TitleBar extends HTMLElement {
    connectedCallback() {
      this.style.display = "none";
    }
  }
  // <ui-save-bar> is Shopify admin's contextual save bar: hidden until shown, then a bar across
  // the top with the element's own <button>s (light DOM, so React's click handlers still run).
  function saveBarAction(id, action) {
    const element = document.getElementById(id);
    if (element && typeof element[action] === "function") element[action]();
    return Promise.resolve();
  }
  class SaveBar extends HTMLElement {
    connectedCallback() {
      if (this.shadowRoot) return;
      const root = this.attachShadow({ mode: "open" });
      root.innerHTML =
        "<style>:host{display:none}:host([data-open]){display:block;position:fixed;top:0;left:0;right:0;" +
        "z-index:900}div{display:flex;gap:12px;align-items:center;justify-content:flex-end;padding:10px 20px;" +
        "background:#1a1a1a;color:#fff;font:14px system-ui}strong{margin-right:auto}" +
        "::slotted(button){font:600 13px system-ui;padding:6px 12px;border-radius:8px;border:1px solid #8a8a8a;" +
        "background:#fff;color:#303030;cursor:pointer}::slotted(button[variant=primary]){background:#f1f1f1}" +
        '</style><div role="region" aria-label="Unsaved changes"><strong>Unsaved changes</strong><slot></slot></div>';
    }
    show() {
      this.setAttribute("data-open", "");
      this.dispatchEvent(new Event("show"));
      return Promise.resolve();
    }
    hide() {
      const wasOpen = this.hasAttribute("data-open");
      this.removeAttribute("data-open");
      if (wasOpen) this.dispatchEvent(new Event("hide"));
      return Promise.resolve();
    }
    toggle() {
      return this.hasAttribute("data-open") ? this.hide() : this.show();
    }
    get showing() {
      return this.hasAttribute("data-open");
    }
  }
  if (!customElements.get("ui-save-bar")) customElements.define("ui-save-bar", SaveBar);
  if (!customElements.get("ui-nav-menu")) customElements.define("ui-nav-menu", NavMenu);
  if (!customElements.get("ui-title-bar")) customElements.define("ui-title-bar", TitleBar);
})();
