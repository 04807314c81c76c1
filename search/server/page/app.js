// The search page: the URL holds the state (q, offset, article, passage, lang), so a
// link reproduces a page and Back works. Article text is untrusted: every piece of it
// goes into the page as a text node, never as HTML.
"use strict";

const WORDS = {
  vi: {
    label: "Tìm trong các bài báo", submit: "Tìm", keys: "Nhấn / để về ô tìm kiếm",
    filters: "Bộ lọc", results: "Kết quả", pages: "Trang",
    speaker: "Người nói", source: "Báo", date: "Tháng",
    count: (n, more) => `${more ? "Hơn " : ""}${n} đoạn khớp`, none: "Không có đoạn nào khớp",
    prev: "← Trang trước", next: "Trang sau →", page: (a, b) => `đoạn ${a}–${b}`,
    missing: "thiếu: ", also: (n) => `cũng có ở ${n} nơi khác: `, said: "nói",
    column: (c) => `cột ${c}`, back: "← Về kết quả", passage: "đoạn", error: "Lỗi",
    notFound: "Không tìm thấy bài báo", loading: "Đang tìm…",
    keyLabel: "Máy chủ này cần khoá API", keySubmit: "Dùng khoá",
  },
  en: {
    label: "Search the articles", submit: "Search", keys: "Press / to go back to the search box",
    filters: "Filters", results: "Results", pages: "Pages",
    speaker: "Speakers", source: "Outlets", date: "Months",
    count: (n, more) => `${more ? "Over " : ""}${n} matching passages`, none: "No passage matches",
    prev: "← Previous", next: "Next →", page: (a, b) => `passages ${a}–${b}`,
    missing: "missing: ", also: (n) => `also in ${n} other places: `, said: "said",
    column: (c) => `column ${c}`, back: "← Back to the results", passage: "passage",
    error: "Error", notFound: "No such article", loading: "Searching…",
    keyLabel: "This server needs an API key", keySubmit: "Use the key",
  },
};
const LIMIT = 10;
const DEBOUNCE_MS = 250;
const $ = (id) => document.getElementById(id);
let lang = "vi";
let T = WORDS.vi;
let sequence = 0; // answers to older requests are dropped

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else node.setAttribute(k, v);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) {
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
  }
  return node;
}

function readState() {
  const p = new URLSearchParams(location.search);
  return { q: p.get("q") || "", offset: Math.max(0, parseInt(p.get("offset") || "0", 10) || 0),
           article: p.get("article"), passage: p.get("passage"), lang: p.get("lang") };
}

function urlOf(state) {
  const p = new URLSearchParams();
  if (state.q) p.set("q", state.q);
  if (state.offset) p.set("offset", String(state.offset));
  if (state.article) p.set("article", state.article);
  if (state.passage) p.set("passage", String(state.passage));
  if (lang !== "vi") p.set("lang", lang);
  const s = p.toString();
  return s ? `/?${s}` : "/";
}

function go(state, replace = false) {
  const url = urlOf(state);
  if (url !== location.pathname + location.search) {
    history[replace ? "replaceState" : "pushState"](null, "", url);
  }
  show(readState());
}

function applyLanguage() {
  document.documentElement.lang = lang;
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = T[node.dataset.i18n];
  for (const node of document.querySelectorAll("[data-i18n-label]")) {
    node.setAttribute("aria-label", T[node.dataset.i18nLabel]);
  }
}

// [start, end) offsets are Unicode code points: index an array of code points, not the
// UTF-16 string, or a character outside the BMP would shift every mark after it
function marked(text, highlights) {
  const points = Array.from(text);
  const out = el("p", { class: "text" });
  let at = 0;
  for (const [start, end] of [...highlights].sort((a, b) => a[0] - b[0])) {
    if (start < at) continue;
    out.append(points.slice(at, start).join(""), el("mark", { text: points.slice(start, end).join("") }));
    at = end;
  }
  out.append(points.slice(at).join(""));
  return out;
}

function articleLink(article, passage, label, q) {
  const a = el("a", { href: urlOf({ q, article, passage }), class: "open" }, label);
  a.dataset.article = article;
  a.dataset.passage = String(passage);
  return a;
}

function renderHit(hit, q) {
  const meta = el("div", { class: "meta" },
    articleLink(hit.article, hit.passage, hit.title || hit.article, q));
  meta.firstChild.classList.add("title");
  if (hit.source) meta.append(el("span", { class: "source", text: hit.source }));
  if (hit.date) meta.append(el("time", { datetime: hit.date, text: hit.date }));
  const li = el("li", { class: "hit" }, meta, marked(hit.text, hit.highlights));
  if (hit.speakers.length) {
    const who = el("div", { class: "speakers" });
    for (const name of hit.speakers) who.append(el("span", { class: "speaker", text: name }), " ");
    who.append(el("span", { class: "quiet", text: T.said }));
    li.append(who);
  }
  if (hit.partial) li.append(el("div", { class: "partial", text: T.missing + hit.missing.join(", ") }));
  if (hit.duplicate_count) {
    const copies = el("div", { class: "copies" }, T.also(hit.duplicate_count));
    hit.duplicates.forEach((id, i) => {
      const [article, passage] = id.split("#");
      if (i) copies.append(", ");
      copies.append(articleLink(article, passage, article, q));
    });
    li.append(copies);
  }
  return li;
}

function addFilter(key, value) {
  const clean = value.replaceAll('"', "");
  const filter = key === "date" ? `date:${clean}` : `${key}:"${clean}"`;
  const q = $("q").value.trim();
  $("q").value = q ? `${q} ${filter}` : filter;
  go({ q: $("q").value, offset: 0 });
}

function renderFacets(facets) {
  const box = $("facets");
  box.replaceChildren();
  for (const key of ["speaker", "source", "date"]) {
    const values = Object.entries(facets[key] || {});
    if (!values.length) continue;
    const list = el("ul");
    for (const [value, n] of values.slice(0, 12)) {
      const button = el("button", { type: "button", class: "link facet" }, value,
                        el("span", { class: "n", text: String(n) }));
      button.dataset.facet = key;
      button.dataset.value = value;
      button.addEventListener("click", () => addFilter(key, value));
      list.append(el("li", {}, button));
    }
    box.append(el("h2", { text: T[key] }), list);
  }
}

function renderPager(body, state) {
  const pager = $("pager");
  pager.replaceChildren();
  if (!body.hits.length) return;
  const page = (offset, label, rel) => {
    const a = el("a", { href: urlOf({ q: state.q, offset }), rel, text: label });
    a.dataset.offset = String(offset);
    return a;
  };
  if (state.offset > 0) pager.append(page(Math.max(0, state.offset - LIMIT), T.prev, "prev"));
  pager.append(el("span", { class: "quiet", text: T.page(state.offset + 1, state.offset + body.hits.length) }));
  if (state.offset + LIMIT < body.total) pager.append(page(state.offset + LIMIT, T.next, "next"));
}

function renderSuggestions(list) {
  const box = $("suggestions");
  box.replaceChildren();
  for (const s of list) {
    const p = el("p", { class: "suggestion" }, s.message + " ");
    if (s.query) p.append(el("a", { href: urlOf({ q: s.query }), class: "run", text: s.query }));
    box.append(p);
  }
}

function showQueryError(q, error) {
  const points = Array.from(q);
  const at = Math.min(error.position ?? 0, points.length);
  const line = $("error-line");
  const spot = el("span", { class: "error-at", text: points[at] || " " });
  spot.dataset.column = String(at + 1);
  line.replaceChildren(points.slice(0, at).join(""), spot, points.slice(at + 1).join(""));
  $("error-message").textContent =
    `${T.column(at + 1)}: ${error.message}${error.hint ? ` (${error.hint})` : ""}`;
  $("query-error").hidden = false;
  $("q").setAttribute("aria-invalid", "true");
}

function clearQueryError() {
  $("query-error").hidden = true;
  $("q").removeAttribute("aria-invalid");
}

function clearResults() {
  for (const id of ["hits", "facets", "pager", "suggestions"]) $(id).replaceChildren();
  delete $("hits").dataset.query;
}

// a server open beyond its machine asks for a key: the reader types it once, it is
// kept for this tab only (sessionStorage) and sent as a Bearer token
async function api(path) {
  const headers = { Accept: "application/json" };
  const key = sessionStorage.getItem("vnsearch-key");
  if (key) headers.Authorization = `Bearer ${key}`;
  const response = await fetch(path, { headers });
  $("key-form").hidden = response.status !== 401;
  return { ok: response.ok, status: response.status, body: await response.json() };
}

async function runSearch(state) {
  const mine = ++sequence;
  const params = new URLSearchParams({ q: state.q, offset: String(state.offset),
                                       limit: String(LIMIT), facets: "speaker,source,date" });
  $("count").textContent = T.loading;
  const { ok, body } = await api(`/api/search?${params}`);
  if (mine !== sequence) return;
  if (!ok) {
    clearResults();
    $("count").textContent = "";
    if (body.code === "invalid_query") showQueryError(state.q, body);
    else $("count").textContent = `${T.error}: ${body.message}`;
    return;
  }
  clearQueryError();
  $("count").textContent = body.total ? T.count(body.total, body.total_relation === "gte") : T.none;
  $("hits").replaceChildren(...body.hits.map((h) => renderHit(h, state.q)));
  renderFacets(body.facets);
  renderPager(body, state);
  renderSuggestions(body.suggestions);
  // which query and page the list shows: a test (or a script) can wait for it
  $("hits").dataset.query = state.q;
  $("hits").dataset.offset = String(state.offset);
}

async function showArticle(state) {
  const box = $("article");
  const { ok, body } = await api(`/api/articles/${encodeURIComponent(state.article)}`);
  box.replaceChildren(el("p", {}, el("a", { href: urlOf({ q: state.q }), class: "back", text: T.back })));
  if (!ok) {
    box.append(el("p", { text: `${T.notFound}: ${state.article}` }));
    return;
  }
  box.append(el("h1", { text: body.title || body.article }));
  const meta = [body.source, body.date].filter(Boolean).join(" · ");
  if (meta) box.append(el("p", { class: "quiet", text: meta }));
  if (/^https?:\/\//i.test(body.url || "")) box.append(el("p", {}, el("a", { href: body.url, rel: "noopener noreferrer", text: body.url })));
  let here = null;
  for (const p of body.passages) {
    const para = el("p", { id: `p${p.passage}` }, el("span", { class: "pno", text: String(p.passage) }), p.text);
    if (String(p.passage) === String(state.passage)) {
      para.classList.add("here");
      para.setAttribute("aria-current", "true");
      here = para;
    }
    box.append(para);
  }
  if (here) here.scrollIntoView({ block: "center" });
}

function show(state) {
  const reading = Boolean(state.article);
  $("article").hidden = !reading;
  $("layout").hidden = reading;
  $("count").hidden = reading;
  if ($("q").value !== state.q) $("q").value = state.q;
  if (reading) {
    showArticle(state);
  } else if (state.q.trim()) {
    runSearch(state);
  } else {
    sequence++;
    clearResults();
    clearQueryError();
    $("count").textContent = "";
  }
}

function start() {
  const state = readState();
  lang = state.lang === "en" ? "en" : "vi";
  T = WORDS[lang];
  applyLanguage();
  let timer = 0;
  $("q").addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => go({ q: $("q").value, offset: 0 }, true), DEBOUNCE_MS);
  });
  $("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    go({ q: $("q").value, offset: 0 });
  });
  document.addEventListener("click", (event) => {
    const a = event.target.closest("a");
    if (!a || a.origin !== location.origin || a.pathname !== "/" || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    history.pushState(null, "", a.pathname + a.search);
    show(readState());
  });
  document.addEventListener("keydown", (event) => {
    const typing = ["INPUT", "TEXTAREA"].includes(document.activeElement?.tagName);
    if (event.key === "/" && !typing) {
      event.preventDefault();
      $("q").focus();
      $("q").select();
    }
  });
  $("key-form").addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem("vnsearch-key", $("key").value);
    show(readState());
  });
  window.addEventListener("popstate", () => show(readState()));
  show(state);
  if (!state.article) $("q").focus();
}

start();
