// Shared by every page: asking the gateway, naming the OPDs behind missing or old data,
// formatting numbers the Indonesian way and building the DOM without innerHTML.

/** The subgraph name in an error's extensions.service, as the city knows the OPD. */
export const OPD_SUBGRAPH = {
  dukcapil: "Disdukcapil (Dinas Kependudukan dan Pencatatan Sipil)",
  kominfo: "Diskominfo (Dinas Komunikasi dan Informatika)",
  keuangan: "BKD (Badan Keuangan Daerah)",
  dikbud: "Dinas Pendidikan dan Kebudayaan",
  dinkes: "Dinas Kesehatan",
  dpmptsp: "DPMPTSP (Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu)",
  satudata: "Satu Data Kota Pontianak (portal data terbuka, walidata Diskominfo)",
};

const operations = new Map();

async function operationText(name) {
  if (!operations.has(name)) {
    operations.set(
      name,
      fetch(`operations/${name}.graphql`).then((response) => {
        if (!response.ok) throw new Error(`operasi ${name} tidak ditemukan`);
        return response.text();
      }),
    );
  }
  return operations.get(name);
}

/**
 * Run a named operation of portal/operations/ against the gateway.
 * Resolves to {data, errors, stale}: data may be partial (a subgraph down) with errors
 * beside it; stale lists the parts the gateway answered from what it kept of an OPD that
 * could not answer (extensions.stale, read with staleServices). Rejects only when no data
 * at all could be had. An input an OPD refused is said at the top of the page
 * (showRefusals).
 */
export async function ask(name, variables = {}) {
  const query = await operationText(name);
  let response;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/graphql-response+json, application/json",
      },
      body: JSON.stringify({ query, operationName: name, variables }),
    });
  } catch {
    throw new Error("Gateway Simpul tidak dapat dihubungi. Periksa sambungan lalu muat ulang.");
  }
  const answered = await answer(name, response);
  showRefusals(answered.errors);
  return answered;
}

/**
 * Run a named operation whose slow parts are deferred (`@defer`): `show` is called with
 * {data, errors, stale, waiting} as soon as the first part of the answer is in, and again
 * each time a deferred part has been merged into it (`waiting`: labels of the parts still
 * to come). Resolves once the last part is in. The gateway sends the parts over
 * multipart/mixed (docs/frontend.md, "Slow parts later").
 */
export async function askBertahap(name, variables, show) {
  const query = await operationText(name);
  let response;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "multipart/mixed, application/graphql-response+json, application/json",
      },
      body: JSON.stringify({ query, operationName: name, variables }),
    });
  } catch {
    throw new Error("Gateway Simpul tidak dapat dihubungi. Periksa sambungan lalu muat ulang.");
  }
  if (!(response.headers.get("content-type") ?? "").startsWith("multipart/mixed")) {
    const { data, errors, stale } = await answer(name, response);
    showRefusals(errors);
    show({ data, errors, stale, waiting: [] });
    return;
  }
  let data = null;
  const errors = [];
  const stale = [];
  const pending = new Map();
  for await (const part of parts(response)) {
    if (data === null) ({ data } = await answer(name, null, part));
    errors.push(...(part.errors ?? []));
    stale.push(...(part.extensions?.stale ?? []));
    for (const p of part.pending ?? []) pending.set(p.id, p);
    for (const item of part.incremental ?? []) {
      let target = data;
      for (const key of pending.get(item.id)?.path ?? []) target = target?.[key];
      if (target && item.data) Object.assign(target, item.data);
      errors.push(...(item.errors ?? []));
    }
    for (const done of part.completed ?? []) {
      errors.push(...(done.errors ?? []));
      pending.delete(done.id);
    }
    const waiting = [...new Set([...pending.values()].map((p) => p.label ?? ""))];
    showRefusals(errors);
    show({ data, errors, stale, waiting });
  }
}

/** The JSON payloads of a multipart/mixed answer (boundary "-"), as they arrive. */
async function* parts(response) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    // a part is complete once the next delimiter (or the closing one) has arrived
    const pieces = buffer.split("\r\n---");
    buffer = pieces.pop();
    for (const piece of pieces) {
      const body = piece.slice(piece.indexOf("\r\n\r\n") + 4);
      if (piece.includes("\r\n\r\n")) yield JSON.parse(body);
    }
  }
}

async function answer(name, response, parsed) {
  let body = parsed;
  if (!body) {
    try {
      body = await response.json();
    } catch {
      throw new Error(`Gateway Simpul menjawab dengan galat (HTTP ${response.status}).`);
    }
  }
  if (!body.data) throw new RequestRefused(name, body.errors ?? []);
  return { data: body.data, errors: body.errors ?? [], stale: body.extensions?.stale ?? [] };
}

// ---- errors ----------------------------------------------------------------------------
// errors[].message is English, for developers; an OPD that refuses what a user typed says
// it in Indonesian in extensions.pesan. The page shows pesan, or its own words for the
// error's code, and the English message only as technical detail (docs/frontend.md,
// "Error messages and language").

/** The codes saying an OPD's data could not be had (docs/errors.md). */
const OPD_UNAVAILABLE = new Set([
  "SUBREQUEST_HTTP_ERROR",
  "SUBREQUEST_TIMEOUT",
  "SUBGRAPH_CIRCUIT_OPEN",
  "SUBGRAPH_BUSY",
  "DOWNSTREAM_SERVICE_ERROR",
  "INVALID_SUBGRAPH_RESPONSE",
  "UPSTREAM_UNAVAILABLE",
  "UPSTREAM_TIMEOUT",
  "UPSTREAM_BAD_RESPONSE",
  "UPSTREAM_REJECTED",
]);

const BUSY = "Terlalu banyak permintaan dalam waktu singkat. Coba lagi sebentar lagi.";
const CLOSED = "Data ini tidak terbuka untuk portal publik.";
const LATER = "Data ini sementara tidak dapat dilayani. Coba muat ulang beberapa saat lagi.";

/** The portal's words for the other codes it can meet, when an error has no pesan. */
const PESAN_KODE = {
  UNAUTHENTICATED: "Akses ditolak: permintaan ini memerlukan aplikasi atau akun yang dikenali gateway Simpul.",
  UNAUTHORIZED_FIELD_OR_TYPE: CLOSED,
  PERSONAL_DATA_LIMIT_EXCEEDED: CLOSED,
  RATE_LIMITED: BUSY,
  TOO_MANY_REQUESTS: BUSY,
  RATE_LIMIT_UNAVAILABLE: LATER,
  AUDIT_UNAVAILABLE: LATER,
  NOT_READY: "Gateway Simpul sedang bersiap. Coba muat ulang beberapa saat lagi.",
  PERSISTED_QUERY_NOT_ALLOWED:
    "Halaman ini meminta data dengan operasi yang tidak terdaftar di gateway Simpul. Muat ulang halaman; bila tetap terjadi, laporkan ke Diskominfo.",
  COST_ESTIMATED_TOO_EXPENSIVE: "Permintaan ini terlalu besar untuk dilayani sekaligus.",
  RESPONSE_TOO_LARGE: "Permintaan ini terlalu besar untuk dilayani sekaligus.",
  BAD_USER_INPUT: "Isian permintaan tidak sesuai.",
};

const PESAN_LAIN = "Permintaan tidak dapat dilayani.";

/** What to tell the reader about one error, in Indonesian. */
export function pesanGalat(error) {
  const { pesan, code, service } = error.extensions ?? {};
  if (typeof pesan === "string" && pesan) return pesan;
  if (OPD_UNAVAILABLE.has(code)) {
    return `Data dari ${opdName(service)} sedang tidak tersedia. Coba muat ulang beberapa saat lagi.`;
  }
  return PESAN_KODE[code] ?? PESAN_LAIN;
}

/** The errors' Indonesian sentences, each once. */
function pesanSemua(errors) {
  return [...new Set(errors.map(pesanGalat))].join(" ");
}

/** The errors' codes and English messages, for whoever reports a problem. */
function technicalDetail(errors) {
  return errors.map((e) => `${e.extensions?.code ?? "?"}: ${e.message}`).join("; ");
}

function detailBox(detail) {
  return detail
    ? el("details", {}, el("summary", {}, "Keterangan teknis"), el("code", { lang: "en" }, detail))
    : null;
}

/** An operation the gateway answered without any data. */
class RequestRefused extends Error {
  constructor(name, errors) {
    super(errors.length ? pesanSemua(errors) : PESAN_LAIN);
    this.name = "RequestRefused";
    this.detail = `${name}: ${technicalDetail(errors) || "tanpa keterangan"}`;
  }
}

/** An input an OPD refused (a malformed code in the page's address): the OPD answered. */
const isRefusal = (error) => error.extensions?.code === "BAD_USER_INPUT";

/**
 * Say at the top of the page which inputs the OPDs refused, in their own Indonesian words
 * (replacing what an earlier answer said); the sections concerned show what arrived.
 */
function showRefusals(errors) {
  const main = document.getElementById("konten");
  main?.querySelector("[data-refused]")?.remove();
  const refused = errors.filter(isRefusal);
  if (!main || !refused.length) return;
  main.prepend(
    el(
      "div",
      { class: "notice notice-error", role: "alert", dataset: { refused: "true" } },
      el("strong", {}, "Permintaan tidak dapat diproses. "),
      pesanSemua(refused),
      detailBox(technicalDetail(refused)),
    ),
  );
}

/**
 * Whether a response path touches a part of the answer given as `prefixes`, response paths
 * without list indices (["opd", "aplikasi"]): a path inside that part, or above it, does;
 * so does an empty one.
 */
function touches(path, prefixes) {
  const keys = (path ?? []).filter((part) => typeof part === "string");
  return prefixes.some((prefix) => {
    const shorter = Math.min(prefix.length, keys.length);
    return prefix.slice(0, shorter).every((part, i) => keys[i] === part);
  });
}

/**
 * The subgraphs whose errors touch a part of the answer (`prefixes` as for touches). An
 * error inside that part, or on a field above it (which nulls it whole), counts; so does
 * an error without a path.
 */
export function missingServices(errors, prefixes) {
  const found = new Set();
  for (const error of errors) {
    // a refused input is not an OPD being unavailable: showRefusals says it
    if (touches(error.path, prefixes) && !isRefusal(error)) found.add(error.extensions?.service ?? "");
  }
  return [...found].sort();
}

/**
 * The subgraphs whose part of the answer the gateway gave from what it kept, because they
 * could not answer (`stale`: the answer's extensions.stale; docs/frontend.md, "Stale
 * answers"), where it touches a part of the page (`prefixes` as for touches): as
 * [{service, age}], age in seconds of the oldest such part. A mark is on an object or root
 * field: one inside the part counts (an entity in its list), and so does one above it (the
 * object the part is a field of).
 */
export function staleServices(stale, prefixes) {
  const oldest = new Map();
  for (const mark of stale) {
    if (!touches(mark.path, prefixes)) continue;
    const service = mark.service ?? "";
    oldest.set(service, Math.max(oldest.get(service) ?? 0, mark.age ?? 0));
  }
  return [...oldest.keys()].sort().map((service) => ({ service, age: oldest.get(service) }));
}

export function opdName(service) {
  return OPD_SUBGRAPH[service] ?? "salah satu OPD";
}

// ---- formatting ------------------------------------------------------------------------

const number = new Intl.NumberFormat("id-ID");
const rupiahFormat = new Intl.NumberFormat("id-ID", {
  style: "currency",
  currency: "IDR",
  maximumFractionDigits: 0,
});
const rupiahShort = new Intl.NumberFormat("id-ID", {
  style: "currency",
  currency: "IDR",
  notation: "compact",
  maximumFractionDigits: 1,
});
const percentFormat = new Intl.NumberFormat("id-ID", {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});
const dateFormat = new Intl.DateTimeFormat("id-ID", {
  day: "numeric",
  month: "long",
  year: "numeric",
  timeZone: "UTC",
});

export const angka = (value) => number.format(value);
export const rupiah = (value) => rupiahFormat.format(value);
export const rupiahRingkas = (value) => rupiahShort.format(value);
export const persen = (value) => `${percentFormat.format(value)}%`;

/** How long ago, from an age in seconds: "kurang dari 1 menit lalu", "7 menit lalu", "2 jam lalu", "3 hari lalu". */
export function waktuLalu(seconds) {
  if (seconds < 60) return "kurang dari 1 menit lalu";
  if (seconds < 3600) return `${angka(Math.floor(seconds / 60))} menit lalu`;
  if (seconds < 86_400) return `${angka(Math.floor(seconds / 3600))} jam lalu`;
  return `${angka(Math.floor(seconds / 86_400))} hari lalu`;
}
const shortDateFormat = new Intl.DateTimeFormat("id-ID", {
  day: "numeric",
  month: "short",
  year: "numeric",
  timeZone: "UTC",
});
function formatDate(iso, format) {
  if (!iso) return "–";
  const date = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? iso : format.format(date);
}
/** 2 Januari 2026 */
export const tanggal = (iso) => formatDate(iso, dateFormat);
/** 2 Jan 2026, for tables */
export const tanggalSingkat = (iso) => formatDate(iso, shortDateFormat);

export const BULAN = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"];
export const BULAN_PANJANG = [
  "Januari", "Februari", "Maret", "April", "Mei", "Juni",
  "Juli", "Agustus", "September", "Oktober", "November", "Desember",
];

/** Display names of the graph's enum values. */
export const LABEL = {
  UMUM: "Aplikasi umum",
  KHUSUS: "Aplikasi khusus",
  DIGITAL: "Inovasi digital",
  NON_DIGITAL: "Inovasi non-digital",
  AKTIF: "Aktif",
  TIDAK_AKTIF: "Tidak aktif",
  INISIATIF: "Inisiatif",
  UJI_COBA: "Uji coba",
  PENERAPAN: "Penerapan",
  WEB: "Web",
  MOBILE: "Seluler",
  DESKTOP: "Desktop",
  BELUM_DIVERIFIKASI: "Belum diverifikasi",
  DIVERIFIKASI: "Diverifikasi",
  DIDISPOSISIKAN: "Didisposisikan",
  DITINDAKLANJUTI: "Ditindaklanjuti",
  SELESAI: "Selesai",
  DIARSIPKAN: "Diarsipkan",
  PROSES: "Dalam proses",
  TERBIT: "Terbit",
  DITOLAK: "Ditolak",
  DICABUT: "Dicabut",
  PUSKESMAS: "Puskesmas",
  PUSKESMAS_PEMBANTU: "Puskesmas pembantu",
  RUMAH_SAKIT: "Rumah sakit",
  KLINIK: "Klinik",
  LABORATORIUM: "Laboratorium",
  NEGERI: "Negeri",
  SWASTA: "Swasta",
  BELUM_TERAKREDITASI: "Belum terakreditasi",
  PELAYANAN_PUBLIK: "Pelayanan publik",
  TATA_KELOLA_PEMERINTAHAN: "Tata kelola pemerintahan",
  INOVASI_DAERAH_LAINNYA: "Inovasi daerah lainnya",
  SEKRETARIAT: "Sekretariat",
  INSPEKTORAT: "Inspektorat",
  BADAN: "Badan",
  DINAS: "Dinas",
  SATUAN: "Satuan",
  KECAMATAN: "Kecamatan",
};
export const label = (value) => LABEL[value] ?? value;

/** A complaint still open: neither finished nor archived. */
export const aduanTerbuka = (aduan) => aduan.status !== "SELESAI" && aduan.status !== "DIARSIPKAN";

export const tahunIni = () => new Date().getFullYear();

// ---- DOM -------------------------------------------------------------------------------

/** el("a", {href: "x", class: "y"}, "text", child...): attributes and children, no HTML parsing. */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** The notice naming the OPDs whose data did not arrive for one part of a page. */
export function unavailableNotice(services, what = "Bagian ini") {
  const names = services.map(opdName);
  return el(
    "div",
    { class: "notice notice-warning", role: "status", dataset: { unavailable: services.join(" ") } },
    el("strong", {}, `Data dari ${names.join(", ")} sedang tidak tersedia.`),
    " ",
    `${what} ditampilkan tanpa data tersebut; bagian lain halaman tetap diperbarui. Coba muat ulang beberapa saat lagi.`,
  );
}

/**
 * The notice that a part of a page shows what the gateway kept of OPDs' answers, because
 * they cannot be reached now: how old it is, per OPD (`stale` from staleServices).
 */
export function staleNotice(stale) {
  return el(
    "p",
    { class: "notice notice-stale", role: "status", dataset: { stale: stale.map((s) => s.service).join(" ") } },
    stale.flatMap(({ service, age }, i) => [
      i ? " " : null,
      el("strong", {}, `Data dari ${waktuLalu(age)}`),
      ` — ${opdName(service)} sedang tidak dapat dihubungi.`,
    ]),
  );
}

/**
 * What to say about one part of a page: the OPDs whose data did not arrive (`services`,
 * from missingServices) and those whose data there is old (`stale`, from staleServices).
 */
export function notices(services, stale, what) {
  return [
    services.length ? unavailableNotice(services, what) : null,
    stale.length ? staleNotice(stale) : null,
  ].filter(Boolean);
}

/**
 * Fill a section: `render(content)` draws what arrived; `services` are the OPDs whose data
 * for this section is missing, `stale` those whose data in it is old (staleServices). The
 * section stops being busy.
 */
export function fillSection(section, services, render, what, stale = []) {
  const node = typeof section === "string" ? document.getElementById(section) : section;
  const content = node.querySelector(".content");
  content.replaceChildren();
  node.querySelector(".notice-slot")?.replaceChildren(...notices(services, stale, what));
  render(content);
  node.removeAttribute("aria-busy");
  node.dataset.state = services.length ? "partial" : "ready";
}

export function loadingSection(section) {
  const node = typeof section === "string" ? document.getElementById(section) : section;
  node.setAttribute("aria-busy", "true");
  node.dataset.state = "loading";
  node.querySelector(".notice-slot")?.replaceChildren();
  node.querySelector(".content").replaceChildren(
    el("p", { class: "loading" }, el("span", { class: "spinner", "aria-hidden": "true" }), "Memuat data…"),
  );
}

export function emptyState(text) {
  return el("p", { class: "empty" }, text);
}

/** A whole-page failure: the gateway did not answer, or answered without any data. */
export function pageError(error) {
  const main = document.getElementById("konten");
  const box = el(
    "div",
    { class: "notice notice-error", role: "alert" },
    el("strong", {}, "Data tidak dapat dimuat. "),
    error.message,
    detailBox(error.detail),
  );
  main.prepend(box);
  for (const node of main.querySelectorAll("[aria-busy=true]")) {
    node.removeAttribute("aria-busy");
    node.dataset.state = "error";
    node.querySelector(".content")?.replaceChildren(emptyState("Tidak ada data untuk ditampilkan."));
  }
}

/**
 * A table: columns [{label, value(row) -> node|text, numeric, csv(row) -> raw value}],
 * wrapped for narrow screens, with a button that downloads it as CSV: each cell's raw value
 * (`csv`, e.g. the number behind "Rp 1,2 M") or else the text the table shows.
 */
export function table(caption, columns, rows, attributes = {}) {
  const download = el("button", { type: "button", class: "secondary", dataset: { csv: "" } }, "Unduh CSV");
  download.addEventListener("click", () => unduhCsv(caption, columns, rows));
  return el(
    "div",
    { class: "table-block" },
    el("div", { class: "table-tools" }, download),
    el(
      "div",
      { class: "table-wrap", tabindex: "0", role: "region", "aria-label": caption },
      el(
        "table",
        attributes,
        el("caption", { class: "visually-hidden" }, caption),
        el("thead", {}, el("tr", {}, columns.map((c) => el("th", { scope: "col", class: c.numeric ? "num" : null }, c.label)))),
        el(
          "tbody",
          {},
          rows.map((row) =>
            el("tr", {}, columns.map((c) => el("td", { class: c.numeric ? "num" : null }, c.value(row)))),
          ),
        ),
      ),
    ),
  );
}

/** The table's rows as CSV (RFC 4180, with a BOM so that spreadsheets read UTF-8). */
export function tableCsv(columns, rows) {
  const cell = (value) => {
    const text = value === null || value === undefined ? "" : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const raw = (column, row) => {
    if (column.csv) return column.csv(row);
    const value = column.value(row);
    return value instanceof Node ? value.textContent : value;
  };
  const lines = [columns.map((c) => cell(c.label)), ...rows.map((row) => columns.map((c) => cell(raw(c, row))))];
  return `\ufeff${lines.map((line) => line.join(",")).join("\r\n")}\r\n`;
}

function unduhCsv(caption, columns, rows) {
  const url = URL.createObjectURL(new Blob([tableCsv(columns, rows)], { type: "text/csv;charset=utf-8" }));
  const link = el("a", { href: url, download: `${caption.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "")}.csv` });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function badge(text, tone = "neutral") {
  return el("span", { class: `badge badge-${tone}` }, text);
}

/** Mark the page as drawn (the browser tests and assistive technology wait for it). */
export function pageReady() {
  document.body.dataset.state = "ready";
}

/** Read and write the page's state in its query string (shareable links, back button). */
export function params() {
  return new URLSearchParams(location.search);
}
export function setParams(values) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value !== "" && value !== null && value !== undefined) search.set(key, value);
  }
  const query = search.toString();
  history.replaceState(null, "", query ? `?${query}` : location.pathname);
}

// ---- charts (Chart.js, vendored in vendor/) ----------------------------------------------

export const WARNA = {
  kapuas: "#0b5563",
  kapuasMuda: "#5fa8b5",
  emas: "#d99a1e",
  hijau: "#2f7d4f",
  merah: "#b3412f",
  abu: "#6b7774",
};

export function chart(canvas, config) {
  const Chart = window.Chart;
  if (!Chart) {
    canvas.replaceWith(emptyState("Grafik tidak dapat ditampilkan: pustaka grafik tidak termuat."));
    return null;
  }
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = "#33403d";
  Chart.getChart(canvas)?.destroy();
  return new Chart(canvas, config);
}
