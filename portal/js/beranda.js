// Beranda: the city at a glance; every number links to the page with its details.
import {
  BULAN_PANJANG, BULAN, WARNA, angka, aduanTerbuka, ask, chart, el, fillSection,
  missingServices, opdName, pageError, pageReady, staleNotice, staleServices, table, tahunIni,
} from "./portal.js";

const tahun = tahunIni();

function card({ title, figure, value, href, unit, tone, services, stale, details = [] }) {
  const missing = value === null || value === undefined;
  return el(
    "section",
    { class: `figure-card${tone ? ` tone-${tone}` : ""}`, "aria-labelledby": `kartu-${figure}` },
    el("h2", { id: `kartu-${figure}` }, title),
    missing
      ? el("span", { class: "big", dataset: { figure } }, "–")
      : el("a", { class: "big", href, dataset: { figure } }, angka(value)),
    unit ? el("p", { class: "unit" }, unit) : null,
    details.length && !missing
      ? el(
          "ul",
          {},
          details.map((d) =>
            el("li", {}, el("span", {}, d.label), el("a", { href: d.href, dataset: { figure: d.figure } }, angka(d.value))),
          ),
        )
      : null,
    services.length
      ? el(
          "p",
          { class: "notice notice-warning", role: "status", dataset: { unavailable: services.join(" ") } },
          `Data dari ${services.map(opdName).join(", ")} sedang tidak tersedia.`,
        )
      : null,
    stale.length ? staleNotice(stale) : null,
  );
}

function render({ data, errors, stale }) {
  // the OPDs whose data for these root fields is missing, and those whose data is old
  const from = (...fields) => {
    const prefixes = fields.map((f) => [f]);
    return { services: missingServices(errors, prefixes), stale: staleServices(stale, prefixes) };
  };
  const aplikasi = data.daftarAplikasi;
  const inovasi = data.daftarInovasi;
  const count = (list, test) => (list ? list.filter(test).length : null);
  const izin = data.rekapIzin;
  const aduan = data.daftarAduan;
  const kelurahan = data.daftarKecamatan?.flatMap((k) => k.kelurahan ?? []);

  const cards = [
    card({
      title: "Perangkat daerah (OPD)", figure: "opd", value: data.daftarOpd?.length, href: "opd.html",
      unit: "dinas, badan, sekretariat, kecamatan", ...from("daftarOpd"),
    }),
    card({
      title: "Aplikasi", figure: "aplikasi", value: aplikasi?.length, href: "katalog.html?jenis=APLIKASI",
      unit: "dalam katalog SPBE", ...from("daftarAplikasi"),
      details: [
        { label: "Aplikasi umum", figure: "aplikasi-umum", value: count(aplikasi, (a) => a.jenis === "UMUM"), href: "katalog.html?jenis=UMUM" },
        { label: "Aplikasi khusus", figure: "aplikasi-khusus", value: count(aplikasi, (a) => a.jenis === "KHUSUS"), href: "katalog.html?jenis=KHUSUS" },
        { label: "Terintegrasi", figure: "aplikasi-terintegrasi", value: count(aplikasi, (a) => a.terintegrasi), href: "katalog.html?jenis=APLIKASI&status=TERINTEGRASI" },
        { label: "Belum terintegrasi", figure: "aplikasi-belum-terintegrasi", value: count(aplikasi, (a) => !a.terintegrasi), href: "katalog.html?jenis=APLIKASI&status=BELUM_TERINTEGRASI" },
      ],
    }),
    card({
      title: "Inovasi daerah", figure: "inovasi", value: inovasi?.length, href: "katalog.html?jenis=INOVASI",
      tone: "emas", ...from("daftarInovasi"),
      details: [
        { label: "Digital", figure: "inovasi-digital", value: count(inovasi, (i) => i.jenis === "DIGITAL"), href: "katalog.html?jenis=DIGITAL" },
        { label: "Non-digital", figure: "inovasi-non-digital", value: count(inovasi, (i) => i.jenis === "NON_DIGITAL"), href: "katalog.html?jenis=NON_DIGITAL" },
      ],
    }),
    card({
      title: "Penduduk", figure: "penduduk", value: data.pendudukKota?.jumlah, href: "wilayah.html",
      unit: "jiwa terdaftar di SIAK", tone: "hijau", ...from("pendudukKota", "daftarKecamatan"),
      details: data.daftarKecamatan
        ? [
            { label: "Kecamatan", figure: "kecamatan", value: data.daftarKecamatan.length, href: "wilayah.html" },
            { label: "Kelurahan", figure: "kelurahan", value: kelurahan.length, href: "wilayah.html" },
          ]
        : [],
    }),
    card({
      title: "Sekolah", figure: "sekolah", value: data.daftarSekolah?.length, href: "wilayah.html",
      unit: "terdaftar di Dapodik", tone: "hijau", ...from("daftarSekolah"),
    }),
    card({
      title: "Fasilitas kesehatan", figure: "faskes", value: data.daftarFasilitasKesehatan?.length, href: "wilayah.html",
      unit: "puskesmas, rumah sakit, klinik, laboratorium", tone: "hijau", ...from("daftarFasilitasKesehatan"),
    }),
    card({
      title: `Izin diterbitkan tahun ${tahun}`, figure: "izin-terbit", value: izin ? izin.reduce((s, r) => s + r.terbit, 0) : null,
      href: "#izin-bulanan", unit: "SiCantik dan OSS-RBA, termasuk yang kemudian dicabut", tone: "emas", ...from("rekapIzin"),
    }),
    card({
      title: "Aduan belum selesai", figure: "aduan-terbuka", value: count(aduan, aduanTerbuka), href: "wilayah.html",
      unit: aduan ? `dari ${angka(aduan.length)} aduan SP4N-LAPOR!` : "SP4N-LAPOR!", tone: "merah", ...from("daftarAduan"),
    }),
  ];
  const figures = document.getElementById("angka");
  figures.replaceChildren(...cards);
  figures.removeAttribute("aria-busy");
  figures.dataset.state = "ready";

  const { services: izinMissing, stale: izinStale } = from("rekapIzin");
  fillSection("izin-bulanan", izinMissing, (content) => {
    if (!izin) return;
    const perBulan = new Array(12).fill(0);
    for (const row of izin) perBulan[row.bulan - 1] += row.terbit;
    const last = Math.max(0, ...izin.map((r) => r.bulan));
    if (last === 0) {
      content.append(el("p", { class: "empty" }, `Belum ada izin terbit pada tahun ${tahun}.`));
      return;
    }
    const months = perBulan.slice(0, last);
    content.append(
      el("p", { class: "panel-sub" }, `Izin yang diterbitkan DPMPTSP per bulan pada tahun ${tahun}, semua jenis izin.`),
      el("div", { class: "chart-box" }, el("canvas", { id: "grafik-izin", role: "img", "aria-label": `Grafik izin terbit per bulan tahun ${tahun}` })),
      el(
        "details", {},
        el("summary", {}, "Lihat tabel"),
        table(`Izin terbit per bulan tahun ${tahun}`, [
          { label: "Bulan", value: (r) => BULAN_PANJANG[r.i] },
          { label: "Izin terbit", value: (r) => angka(r.n), numeric: true },
        ], months.map((n, i) => ({ i, n }))),
      ),
    );
    chart(document.getElementById("grafik-izin"), {
      type: "bar",
      data: { labels: BULAN.slice(0, last), datasets: [{ label: "Izin terbit", data: months, backgroundColor: WARNA.kapuas, borderRadius: 4 }] },
      options: {
        maintainAspectRatio: false,
        plugins: { legend: { display: false }, tooltip: { callbacks: { label: (c) => `${angka(c.parsed.y)} izin` } } },
        scales: { y: { beginAtZero: true, ticks: { callback: (v) => angka(v) } } },
      },
    });
  }, "Grafik ini", izinStale);
}

try {
  render(await ask("Beranda", { tahun }));
} catch (error) {
  pageError(error);
}
pageReady();
