// Katalog Aplikasi dan Inovasi: every application and innovation of every OPD, with search,
// filters and pages; the state lives in the query string so a filtered view can be shared.
import {
  angka, ask, badge, el, emptyState, fillSection, label, missingServices, pageError,
  pageReady, params, setParams, staleServices,
} from "./portal.js";

const PER_HALAMAN = 12;
const form = document.getElementById("saring");
const cari = document.getElementById("cari");
const pilihOpd = document.getElementById("saring-opd");
const pilihJenis = document.getElementById("saring-jenis");
const pilihStatus = document.getElementById("saring-status");
const jumlahHasil = document.getElementById("jumlah-hasil");
const halaman = document.getElementById("halaman");
const section = document.getElementById("katalog");

let items = [];
let missing = [];
let stale = [];
let page = 1;

function fromGraph(data) {
  const aplikasi = (data.daftarAplikasi ?? []).map((a) => ({
    kind: "aplikasi",
    id: `aplikasi-${a.id}`,
    nama: a.nama,
    deskripsi: a.deskripsi ?? "",
    jenis: a.jenis,
    status: a.status,
    terintegrasi: a.terintegrasi,
    opd: a.opd,
    badges: [
      badge(label(a.jenis), "kapuas"),
      badge(label(a.status), a.status === "AKTIF" ? "hijau" : "neutral"),
      badge(a.terintegrasi ? "Terintegrasi SPBE" : "Belum terintegrasi", a.terintegrasi ? "hijau" : "emas"),
      badge(label(a.platform)),
    ],
    extra: [a.tahunPembuatan ? `Dibuat ${a.tahunPembuatan}` : null].filter(Boolean),
    url: a.url,
  }));
  const inovasi = (data.daftarInovasi ?? []).map((i) => ({
    kind: "inovasi",
    id: `inovasi-${i.id}`,
    nama: i.nama,
    deskripsi: [label(i.bentuk), i.urusan?.nama].filter(Boolean).join(" · "),
    jenis: i.jenis,
    status: i.tahapan,
    opd: i.opd,
    badges: [badge(label(i.jenis), "emas"), badge(`Tahap ${label(i.tahapan).toLowerCase()}`)],
    extra: [i.tahun ? `Sejak ${i.tahun}` : null].filter(Boolean),
    url: null,
  }));
  return [...aplikasi, ...inovasi].sort((a, b) => a.nama.localeCompare(b.nama, "id"));
}

function matches(item, { q, opd, jenis, status }) {
  if (opd && item.opd?.kode !== opd) return false;
  if (jenis === "APLIKASI" && item.kind !== "aplikasi") return false;
  if (jenis === "INOVASI" && item.kind !== "inovasi") return false;
  if (jenis && !["APLIKASI", "INOVASI"].includes(jenis) && item.jenis !== jenis) return false;
  if (status === "TERINTEGRASI" && !(item.kind === "aplikasi" && item.terintegrasi)) return false;
  if (status === "BELUM_TERINTEGRASI" && !(item.kind === "aplikasi" && !item.terintegrasi)) return false;
  if (status && !status.endsWith("TERINTEGRASI") && item.status !== status) return false;
  if (q) {
    const text = `${item.nama} ${item.deskripsi} ${item.opd?.nama ?? ""} ${item.opd?.singkatan ?? ""}`;
    if (!text.toLocaleLowerCase("id").includes(q.toLocaleLowerCase("id"))) return false;
  }
  return true;
}

function filters() {
  return {
    q: cari.value.trim(),
    opd: pilihOpd.value,
    jenis: pilihJenis.value,
    status: pilihStatus.value,
  };
}

function itemCard(item) {
  return el(
    "li",
    { class: "item", dataset: { kind: item.kind, id: item.id } },
    el("h3", {}, item.url ? el("a", { href: item.url, rel: "noopener" }, item.nama) : item.nama),
    el("div", { class: "meta" }, item.badges.map((b) => b.cloneNode(true))),
    item.deskripsi ? el("p", {}, item.deskripsi) : null,
    el(
      "p",
      { class: "opd" },
      item.opd
        ? el("a", { href: `opd.html?kode=${encodeURIComponent(item.opd.kode)}`, title: item.opd.nama }, item.opd.singkatan)
        : "OPD tidak diketahui",
      item.extra.length ? ` · ${item.extra.join(" · ")}` : "",
    ),
  );
}

function draw() {
  const chosen = filters();
  const found = items.filter((item) => matches(item, chosen));
  const pages = Math.max(1, Math.ceil(found.length / PER_HALAMAN));
  page = Math.min(Math.max(1, page), pages);
  setParams({ ...chosen, hal: page > 1 ? page : "" });
  const shown = found.slice((page - 1) * PER_HALAMAN, page * PER_HALAMAN);
  const aplikasi = found.filter((i) => i.kind === "aplikasi").length;
  jumlahHasil.replaceChildren(
    el("span", { dataset: { figure: "hasil" } }, angka(found.length)),
    ` hasil: ${angka(aplikasi)} aplikasi dan ${angka(found.length - aplikasi)} inovasi`,
  );
  fillSection(section, missing, (content) => {
    if (found.length === 0) {
      content.append(
        emptyState(
          items.length === 0
            ? "Katalog belum dapat ditampilkan."
            : "Tidak ada aplikasi atau inovasi yang cocok. Ubah kata kunci atau saringan, atau pilih Atur ulang.",
        ),
      );
      return;
    }
    content.append(el("ul", { class: "cards", id: "hasil" }, shown.map(itemCard)));
  }, "Katalog", stale);
  halaman.replaceChildren();
  if (pages > 1) {
    const go = (to) => () => {
      page = to;
      draw();
      jumlahHasil.scrollIntoView({ block: "start" });
    };
    const prev = el("button", { type: "button", class: "secondary", disabled: page === 1 }, "‹ Sebelumnya");
    const next = el("button", { type: "button", class: "secondary", disabled: page === pages }, "Berikutnya ›");
    prev.addEventListener("click", go(page - 1));
    next.addEventListener("click", go(page + 1));
    halaman.append(prev, el("span", { "aria-current": "page" }, `Halaman ${angka(page)} dari ${angka(pages)}`), next);
  }
}

function restore() {
  const p = params();
  cari.value = p.get("q") ?? "";
  for (const [select, key] of [[pilihOpd, "opd"], [pilihJenis, "jenis"], [pilihStatus, "status"]]) {
    const value = p.get(key) ?? "";
    select.value = [...select.options].some((o) => o.value === value) ? value : "";
  }
  page = Number.parseInt(p.get("hal") ?? "1", 10) || 1;
}

try {
  const { data, errors, stale: marks } = await ask("KatalogAplikasi");
  const parts = [["daftarOpd"], ["daftarAplikasi"], ["daftarInovasi"]];
  missing = missingServices(errors, parts);
  stale = staleServices(marks, parts);
  items = fromGraph(data);
  const opds = [...(data.daftarOpd ?? [])].sort((a, b) => a.nama.localeCompare(b.nama, "id"));
  pilihOpd.append(...opds.map((o) => el("option", { value: o.kode }, `${o.nama} (${o.singkatan})`)));
  restore();
  let typing;
  cari.addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(() => { page = 1; draw(); }, 150);
  });
  for (const select of [pilihOpd, pilihJenis, pilihStatus]) {
    select.addEventListener("change", () => { page = 1; draw(); });
  }
  form.addEventListener("submit", (event) => { event.preventDefault(); page = 1; draw(); });
  form.addEventListener("reset", () => setTimeout(() => { page = 1; draw(); }));
  draw();
} catch (error) {
  pageError(error);
}
pageReady();
