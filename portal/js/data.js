// Katalog Data: the city's data sets from Satu Data Kota Pontianak (the open-data portal,
// through the satudata subgraph), searched and filtered by the portal itself (one page of
// ten at a time); with ?id= one data set: its metadata, its published files and, where the
// city graph holds its figures, today's figures from the OPDs' own systems. The state lives
// in the query string, so a search or a data set can be shared.
import {
  angka, ask, badge, el, emptyState, fillSection, loadingSection, missingServices,
  pageError, pageReady, params, persen, rupiah, setParams, staleServices, table, tahunIni,
  tanggal, tanggalSingkat,
} from "./portal.js";

const PER_HALAMAN = 10;
const TINGKAT = { KOTA: "Kota", KECAMATAN: "Kecamatan", KELURAHAN: "Kelurahan" };

const form = document.getElementById("saring");
const cari = document.getElementById("cari");
const pilihOpd = document.getElementById("saring-opd");
const pilihTopik = document.getElementById("saring-topik");
const pilihFormat = document.getElementById("saring-format");
const jumlahHasil = document.getElementById("jumlah-hasil");
const halaman = document.getElementById("halaman");
const katalog = document.getElementById("katalog");

let page = 1;
let asked = 0;

function filters() {
  return {
    q: cari.value.trim(),
    opd: pilihOpd.value,
    topik: pilihTopik.value,
    format: pilihFormat.value,
  };
}

function restore() {
  const p = params();
  cari.value = p.get("q") ?? "";
  page = Number.parseInt(p.get("hal") ?? "1", 10) || 1;
  return { opd: p.get("opd") ?? "", topik: p.get("topik") ?? "", format: p.get("format") ?? "" };
}

/** Fill a picker once, keeping its first ("all") option and choosing `chosen` if offered. */
function fillPicker(select, options, chosen) {
  if (select.options.length <= 1) select.append(...options);
  select.value = [...select.options].some((o) => o.value === chosen) ? chosen : "";
}

function tahunRentang(tahun) {
  if (!tahun.length) return null;
  const [first, last] = [tahun[0], tahun[tahun.length - 1]];
  return first === last ? `Tahun ${first}` : `Tahun ${first}–${last}`;
}

function datasetCard(dataset) {
  return el(
    "li",
    { class: "item", dataset: { id: dataset.id } },
    el("h3", {}, el("a", { href: `data.html?id=${encodeURIComponent(dataset.id)}` }, dataset.judul)),
    el(
      "div",
      { class: "meta" },
      dataset.topik.map((t) => badge(t.nama, "kapuas")),
      dataset.format.map((f) => badge(f)),
      dataset.frekuensi ? badge(dataset.frekuensi, "emas") : null,
    ),
    el(
      "p",
      { class: "opd" },
      dataset.opd
        ? el("a", { href: `opd.html?kode=${encodeURIComponent(dataset.opd.kode)}` }, dataset.produsen)
        : dataset.produsen,
      [
        dataset.tingkatPenyajian ? `per ${TINGKAT[dataset.tingkatPenyajian].toLowerCase()}` : null,
        tahunRentang(dataset.tahun),
        dataset.diperbarui ? `diperbarui ${tanggalSingkat(dataset.diperbarui)}` : null,
      ]
        .filter(Boolean)
        .map((part) => ` · ${part}`)
        .join(""),
    ),
  );
}

async function search() {
  const chosen = filters();
  setParams({ ...chosen, hal: page > 1 ? page : "" });
  const mine = ++asked;
  loadingSection(katalog);
  const { data, errors, stale } = await ask("KatalogData", {
    kata: chosen.q || null,
    opd: chosen.opd || null,
    topik: chosen.topik || null,
    format: chosen.format || null,
    lewati: (page - 1) * PER_HALAMAN,
  });
  if (mine !== asked) return; // a later search is under way
  const hasil = data.cariDataset;
  const opds = data.daftarOpd
    ? [...data.daftarOpd].sort((a, b) => a.nama.localeCompare(b.nama, "id"))
    : (hasil?.perOpd ?? []).map((o) => ({ kode: o.opd.kode, nama: o.nama, singkatan: null }));
  fillPicker(
    pilihOpd,
    opds.map((o) => el("option", { value: o.kode }, o.singkatan ? `${o.nama} (${o.singkatan})` : o.nama)),
    chosen.opd,
  );
  fillPicker(
    pilihTopik,
    (data.topikData ?? []).map((t) => el("option", { value: t.kode }, `${t.nama} (${angka(t.jumlahDataset ?? 0)})`)),
    chosen.topik,
  );
  const total = hasil?.jumlah ?? 0;
  const pages = Math.max(1, Math.ceil(total / PER_HALAMAN));
  jumlahHasil.replaceChildren(
    el("span", { dataset: { figure: "hasil" } }, hasil ? angka(total) : "\u2013"),
    " data set",
    hasil?.perFormat?.length
      ? `: ${hasil.perFormat.map((f) => `${angka(f.jumlah)} ${f.kode}`).join(", ")}`
      : "",
  );
  const parts = [["cariDataset"], ["topikData"], ["daftarOpd"]];
  const missing = missingServices(errors, parts);
  fillSection(katalog, missing, (content) => {
    if (!hasil || hasil.dataset.length === 0) {
      content.append(
        emptyState(
          hasil
            ? "Tidak ada data set yang cocok. Ubah kata kunci atau saringan, atau pilih Atur ulang."
            : "Katalog data belum dapat ditampilkan.",
        ),
      );
      return;
    }
    content.append(el("ul", { class: "cards", id: "hasil" }, hasil.dataset.map(datasetCard)));
  }, "Katalog data", staleServices(stale, parts));
  halaman.replaceChildren();
  if (pages > 1) {
    const go = (to) => async () => {
      page = to;
      await search();
      jumlahHasil.scrollIntoView({ block: "start" });
    };
    const prev = el("button", { type: "button", class: "secondary", disabled: page <= 1 }, "‹ Sebelumnya");
    const next = el("button", { type: "button", class: "secondary", disabled: page >= pages }, "Berikutnya ›");
    prev.addEventListener("click", go(page - 1));
    next.addEventListener("click", go(page + 1));
    halaman.append(prev, el("span", { "aria-current": "page" }, `Halaman ${angka(page)} dari ${angka(pages)}`), next);
  }
}

async function showCatalogue() {
  const chosen = restore();
  // the pickers are filled by the first answer; what the address chose is applied then
  for (const [select, value] of [[pilihOpd, chosen.opd], [pilihTopik, chosen.topik], [pilihFormat, chosen.format]]) {
    if (value && ![...select.options].some((o) => o.value === value)) select.append(el("option", { value }, value));
    select.value = value;
  }
  let typing;
  const again = () => {
    page = 1;
    search().catch(pageError);
  };
  cari.addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(again, 300);
  });
  for (const select of [pilihOpd, pilihTopik, pilihFormat]) select.addEventListener("change", again);
  form.addEventListener("submit", (event) => { event.preventDefault(); again(); });
  form.addEventListener("reset", () => setTimeout(again));
  await search();
}

// ---- one data set ------------------------------------------------------------------------

function keterangan(dataset) {
  const rows = [
    ["Produsen data", dataset.opd ? el("a", { href: `opd.html?kode=${encodeURIComponent(dataset.opd.kode)}` }, dataset.produsen) : dataset.produsen],
    ["Topik", dataset.topik.map((t) => t.nama).join(", ") || "–"],
    ["Frekuensi pemutakhiran", dataset.frekuensi ?? "–"],
    ["Tingkat penyajian", dataset.tingkatPenyajian ? TINGKAT[dataset.tingkatPenyajian] : "–"],
    ["Satuan", dataset.satuan ?? "–"],
    ["Cakupan tahun", tahunRentang(dataset.tahun) ?? "–"],
    ["Format berkas", dataset.format.join(", ") || "–"],
    ["Lisensi", dataset.lisensi ? (dataset.lisensi.url ? el("a", { href: dataset.lisensi.url, rel: "noopener" }, dataset.lisensi.nama) : dataset.lisensi.nama) : "–"],
    ["Kata kunci", dataset.kataKunci.join(", ") || "–"],
    ["Pertama diterbitkan", tanggal(dataset.dibuat)],
    ["Terakhir diperbarui", el("span", { dataset: { figure: "diperbarui" } }, tanggal(dataset.diperbarui))],
    ["Di Satu Data", el("a", { href: dataset.tautan, rel: "noopener" }, "Buka halaman data set")],
  ];
  return el("dl", { class: "facts" }, rows.flatMap(([term, value]) => [el("dt", {}, term), el("dd", {}, value)]));
}

function ukuran(bytes) {
  if (bytes === null || bytes === undefined) return "–";
  return bytes >= 1_000_000 ? `${(bytes / 1_000_000).toFixed(1).replace(".", ",")} MB` : `${angka(Math.ceil(bytes / 1000))} KB`;
}

function berkas(dataset) {
  return table(
    `Berkas data set ${dataset.judul}`,
    [
      { label: "Berkas", value: (r) => r.nama },
      { label: "Tahun", value: (r) => r.tahun ?? "–", csv: (r) => r.tahun },
      { label: "Format", value: (r) => r.format },
      { label: "Ukuran", value: (r) => ukuran(r.ukuran), csv: (r) => r.ukuran, numeric: true },
      { label: "Diperbarui", value: (r) => tanggalSingkat(r.diperbarui), csv: (r) => r.diperbarui },
      { label: "Unduh", value: (r) => el("a", { href: r.url, rel: "noopener", download: "" }, `Unduh ${r.format}`), csv: (r) => r.url },
    ],
    dataset.sumberDaya,
    { id: "tabel-berkas" },
  );
}

const SUMBER_TERKINI = {
  PendudukPerKelurahan: "Disdukcapil (SIAK), jumlah penduduk per kelurahan saat ini",
  SekolahPerKecamatan: "Dinas Pendidikan dan Kebudayaan (Dapodik), sekolah per kecamatan saat ini",
  IzinPerTahun: "DPMPTSP, izin terbit per tahun",
  RealisasiAnggaranOpd: "BKD (SIPD), realisasi anggaran tahun berjalan",
};

function total(value, text) {
  return el("p", { class: "lead" }, el("strong", { dataset: { figure: "terkini-total" } }, value), ` ${text}`);
}

function pendudukTerkini(live, content) {
  const rows = live.kelurahan.filter((k) => k.penduduk);
  const jumlah = rows.reduce((sum, k) => sum + k.penduduk.jumlah, 0);
  const keadaan = rows.map((k) => k.penduduk.diperbarui).filter(Boolean).sort().at(-1);
  content.append(
    total(angka(jumlah), `penduduk di ${angka(rows.length)} kelurahan${keadaan ? `, keadaan ${tanggal(keadaan)}` : ""}.`),
    table("Jumlah penduduk per kelurahan", [
      { label: "Kelurahan", value: (k) => k.nama },
      { label: "Kecamatan", value: (k) => k.kecamatan.nama },
      { label: "Laki-laki", value: (k) => angka(k.penduduk.lakiLaki), csv: (k) => k.penduduk.lakiLaki, numeric: true },
      { label: "Perempuan", value: (k) => angka(k.penduduk.perempuan), csv: (k) => k.penduduk.perempuan, numeric: true },
      { label: "Jumlah", value: (k) => angka(k.penduduk.jumlah), csv: (k) => k.penduduk.jumlah, numeric: true },
    ], rows, { id: "tabel-terkini" }),
  );
}

function sekolahTerkini(live, content) {
  const rows = live.kecamatan.map((k) => {
    const ringkasan = k.kelurahan.map((kel) => kel.ringkasanPendidikan).filter(Boolean);
    const sum = (key) => ringkasan.reduce((s, r) => s + (r[key] ?? 0), 0);
    return { nama: k.nama, sekolah: sum("jumlahSekolah"), siswa: sum("pesertaDidik"), guru: sum("guru") };
  });
  content.append(
    total(angka(rows.reduce((s, r) => s + r.sekolah, 0)), `sekolah di ${angka(rows.length)} kecamatan.`),
    table("Jumlah sekolah per kecamatan", [
      { label: "Kecamatan", value: (r) => r.nama },
      { label: "Sekolah", value: (r) => angka(r.sekolah), csv: (r) => r.sekolah, numeric: true },
      { label: "Peserta didik", value: (r) => angka(r.siswa), csv: (r) => r.siswa, numeric: true },
      { label: "Guru", value: (r) => angka(r.guru), csv: (r) => r.guru, numeric: true },
    ], rows, { id: "tabel-terkini" }),
  );
}

async function izinTerkini(live, content) {
  const answers = await Promise.all(live.tahun.map((tahun) => ask("IzinTerbitTahunan", { tahun })));
  const rows = live.tahun.map((tahun, i) => ({
    tahun,
    terbit: (answers[i].data.rekapIzin ?? []).reduce((s, r) => s + r.terbit, 0),
  }));
  const latest = rows[rows.length - 1];
  content.append(
    total(angka(latest.terbit), `izin terbit pada ${latest.tahun}.`),
    table("Jumlah izin terbit per tahun", [
      { label: "Tahun", value: (r) => r.tahun },
      { label: "Izin terbit", value: (r) => angka(r.terbit), csv: (r) => r.terbit, numeric: true },
    ], [...rows].reverse(), { id: "tabel-terkini" }),
  );
  // the yearly answers stand for the data set's live figures
  const under = (part) => ({ ...part, path: ["dataset", "dataTerkini", ...(part.path ?? [])] });
  return {
    errors: answers.flatMap((a) => a.errors.map(under)),
    stale: answers.flatMap((a) => a.stale.map(under)),
  };
}

function anggaranTerkini(live, content, tahun) {
  const rows = live.opd.filter((o) => o.anggaran);
  const pagu = rows.reduce((s, o) => s + o.anggaran.pagu, 0);
  const realisasi = rows.reduce((s, o) => s + o.anggaran.realisasi, 0);
  content.append(
    total(rupiah(realisasi), `terealisasi dari pagu ${rupiah(pagu)} (${persen(pagu ? (100 * realisasi) / pagu : 0)}) pada ${tahun}.`),
    table(`Realisasi anggaran ${tahun}`, [
      { label: "Perangkat daerah", value: (o) => el("a", { href: `opd.html?kode=${encodeURIComponent(o.kode)}` }, o.nama), csv: (o) => o.nama },
      { label: "Pagu", value: (o) => rupiah(o.anggaran.pagu), csv: (o) => o.anggaran.pagu, numeric: true },
      { label: "Realisasi", value: (o) => rupiah(o.anggaran.realisasi), csv: (o) => o.anggaran.realisasi, numeric: true },
      { label: "Persentase", value: (o) => persen(o.anggaran.persentase), csv: (o) => o.anggaran.persentase, numeric: true },
    ], rows, { id: "tabel-terkini" }),
  );
}

async function showDataset(id) {
  katalog.hidden = true;
  const sections = ["rincian", "berkas", "terkini"].map((name) => document.getElementById(name));
  for (const section of sections) {
    section.hidden = false;
    loadingSection(section);
  }
  const tahun = tahunIni();
  const { data, errors, stale } = await ask("DatasetRinci", { id, tahun });
  const dataset = data.dataset;
  if (!dataset) {
    const missing = missingServices(errors, [["dataset"]]);
    document.getElementById("judul").textContent = missing.length ? "Data set tidak dapat dimuat" : "Data set tidak ditemukan";
    document.getElementById("pengantar").replaceChildren(
      missing.length ? "" : "Data set ini tidak ada di Satu Data Kota Pontianak. ",
      el("a", { href: "data.html" }, "Kembali ke Katalog Data"),
    );
    for (const section of sections) {
      fillSection(section, missing, (content) => content.append(emptyState("Tidak ada data untuk ditampilkan.")), "Data set");
    }
    return;
  }
  document.title = `${dataset.judul} · Katalog Data · Portal Data Kota Pontianak`;
  document.getElementById("judul").textContent = dataset.judul;
  document.getElementById("pengantar").replaceChildren(
    dataset.deskripsi ?? "",
    " ",
    el("a", { href: "data.html" }, "Kembali ke Katalog Data"),
  );
  const [rincian, files, terkini] = sections;
  // the metadata is the data set's own fields, all from Satu Data: a stale mark on the data
  // set counts for it, one inside its live figures (other OPDs' data) does not
  const metadata = [["dataset", "judul"]];
  fillSection(rincian, [], (content) => content.append(keterangan(dataset)), "Rincian data set", staleServices(stale, metadata));
  fillSection(files, [], (content) => content.append(
    dataset.sumberDaya.length ? berkas(dataset) : emptyState("Belum ada berkas yang diterbitkan."),
  ), "Daftar berkas", staleServices(stale, [["dataset", "sumberDaya"]]));
  const live = dataset.dataTerkini;
  let yearly = { errors: [], stale: [] };
  const drawn = el("div");
  if (!live) {
    drawn.append(emptyState("Angka data set ini tidak tersedia langsung dari sistem OPD; gunakan berkas yang diterbitkan."));
  } else {
    drawn.append(el("p", { class: "source" }, `Sumber: ${SUMBER_TERKINI[live.__typename] ?? "sistem OPD"}, melalui gateway Simpul.`));
    if (live.__typename === "PendudukPerKelurahan") pendudukTerkini(live, drawn);
    else if (live.__typename === "SekolahPerKecamatan") sekolahTerkini(live, drawn);
    else if (live.__typename === "IzinPerTahun") yearly = await izinTerkini(live, drawn);
    else if (live.__typename === "RealisasiAnggaranOpd") anggaranTerkini(live, drawn, tahun);
  }
  terkini.dataset.kind = live?.__typename ?? "none";
  const liveParts = [["dataset", "dataTerkini"]];
  const missing = missingServices([...errors, ...yearly.errors], liveParts);
  const old = staleServices([...stale, ...yearly.stale], liveParts);
  fillSection(terkini, missing, (content) => content.append(...drawn.childNodes), "Angka terkini", old);
}

try {
  const id = params().get("id");
  if (id) await showDataset(id);
  else await showCatalogue();
} catch (error) {
  pageError(error);
}
pageReady();
