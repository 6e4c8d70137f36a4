// Profil OPD: one OPD's budget against realisation by month, its applications, innovations
// and complaints. The budget is asked at the root so that it still shows when the OPD
// registry (Diskominfo) cannot answer.
import {
  BULAN, BULAN_PANJANG, WARNA, angka, aduanTerbuka, ask, badge, chart, el, emptyState,
  fillSection, label, loadingSection, missingServices, notices, pageError, pageReady, params,
  persen, rupiah, rupiahRingkas, setParams, staleServices, table, tahunIni, tanggal,
  tanggalSingkat,
} from "./portal.js";

const pilihOpd = document.getElementById("opd");
const pilihTahun = document.getElementById("tahun");
const SECTIONS = ["identitas", "anggaran", "aplikasi", "inovasi", "aduan"];

function bar(percent) {
  const span = el("span");
  span.style.width = `${Math.min(100, Math.max(0, percent))}%`; // CSSOM: allowed by the CSP
  return span;
}

function stats(items) {
  return el(
    "dl",
    { class: "stats" },
    items.map(([term, value, figure]) =>
      el("div", { class: "stat" }, el("dt", {}, term), el("dd", { dataset: { figure } }, value)),
    ),
  );
}

function drawIdentitas(opd, kode, missing, stale) {
  const judul = document.getElementById("judul-opd");
  judul.textContent = opd ? opd.nama : `OPD ${kode}`;
  document.title = `${opd ? opd.singkatan : "Profil OPD"} · Portal Data Kota Pontianak`;
  fillSection("identitas", missing, (content) => {
    if (!opd) {
      if (!missing.length) content.append(emptyState(`Tidak ada OPD dengan kode ${kode}.`));
      else content.append(el("p", { class: "opd-meta" }, el("span", {}, `Kode SKPD ${kode}`)));
      return;
    }
    content.append(
      el(
        "p",
        { class: "opd-meta" },
        el("span", {}, badge(label(opd.jenis), "kapuas")),
        el("span", {}, `Singkatan: ${opd.singkatan}`),
        el("span", {}, `Kode SKPD: ${opd.kode}`),
        el("span", {}, `Urusan: ${opd.urusan.kode} ${opd.urusan.nama}`),
        opd.alamat ? el("span", {}, `Alamat: ${opd.alamat}`) : null,
        opd.situsWeb ? el("span", {}, "Situs: ", el("a", { href: opd.situsWeb, rel: "noopener" }, opd.situsWeb)) : null,
      ),
    );
  }, "Identitas OPD", stale);
}

function drawAnggaran(anggaran, tahun, missing, stale) {
  fillSection("anggaran", missing, (content) => {
    if (!anggaran) {
      if (!missing.length) content.append(emptyState(`Belum ada anggaran tercatat untuk tahun ${tahun}.`));
      return;
    }
    content.append(
      el("p", { class: "panel-sub" }, `APBD tahun ${anggaran.tahun} menurut SIPD${anggaran.diperbarui ? `, diperbarui ${tanggal(anggaran.diperbarui)}` : ""}.`),
      stats([
        ["Pagu", rupiah(anggaran.pagu), "pagu"],
        ["Realisasi", rupiah(anggaran.realisasi), "realisasi"],
        ["Persentase realisasi", persen(anggaran.persentase), "persentase"],
        ["Sisa pagu", rupiah(anggaran.sisa), "sisa"],
      ]),
      el(
        "div",
        { class: "progress", role: "progressbar", "aria-label": "Realisasi terhadap pagu", "aria-valuemin": "0", "aria-valuemax": "100", "aria-valuenow": anggaran.persentase.toFixed(1) },
        bar(anggaran.persentase),
      ),
    );
    const bulan = [...anggaran.perBulan].sort((a, b) => a.bulan - b.bulan);
    if (bulan.length === 0) {
      content.append(emptyState("Belum ada realisasi belanja pada tahun ini."));
    } else {
      content.append(
        el("h3", {}, "Realisasi per bulan terhadap pagu"),
        el("div", { class: "chart-box" }, el("canvas", { id: "grafik-anggaran", role: "img", "aria-label": `Grafik realisasi anggaran per bulan tahun ${anggaran.tahun} terhadap pagu` })),
        el(
          "details", {},
          el("summary", {}, "Lihat tabel per bulan"),
          table(`Realisasi per bulan tahun ${anggaran.tahun}`, [
            { label: "Bulan", value: (r) => BULAN_PANJANG[r.bulan - 1] },
            { label: "Realisasi", value: (r) => rupiah(r.realisasi), numeric: true },
            { label: "Kumulatif", value: (r) => rupiah(r.realisasiKumulatif), numeric: true },
            { label: "% pagu", value: (r) => persen(r.persentaseKumulatif), numeric: true },
          ], bulan, { id: "tabel-bulanan" }),
        ),
      );
      const labels = bulan.map((r) => BULAN[r.bulan - 1]);
      chart(document.getElementById("grafik-anggaran"), {
        data: {
          labels,
          datasets: [
            { type: "bar", label: "Realisasi bulan ini", data: bulan.map((r) => r.realisasi), backgroundColor: WARNA.kapuasMuda, borderRadius: 4, order: 3 },
            { type: "line", label: "Realisasi kumulatif", data: bulan.map((r) => r.realisasiKumulatif), borderColor: WARNA.kapuas, backgroundColor: WARNA.kapuas, tension: 0.25, order: 2 },
            { type: "line", label: "Pagu", data: bulan.map(() => anggaran.pagu), borderColor: WARNA.emas, borderDash: [6, 4], pointRadius: 0, order: 1 },
          ],
        },
        options: {
          maintainAspectRatio: false,
          interaction: { mode: "index", intersect: false },
          plugins: { tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${rupiah(c.parsed.y)}` } } },
          scales: { y: { beginAtZero: true, ticks: { callback: (v) => rupiahRingkas(v) } } },
        },
      });
    }
    if (anggaran.perProgram.length) {
      content.append(
        el(
          "details", {},
          el("summary", {}, `Anggaran per program (${angka(anggaran.perProgram.length)})`),
          table(`Anggaran per program tahun ${anggaran.tahun}`, [
            { label: "Kode", value: (p) => p.kode },
            { label: "Program", value: (p) => p.nama },
            { label: "Pagu", value: (p) => rupiah(p.pagu), numeric: true },
            { label: "Realisasi", value: (p) => rupiah(p.realisasi), numeric: true },
            { label: "%", value: (p) => persen(p.persentase), numeric: true },
          ], anggaran.perProgram),
        ),
      );
    }
  }, "Anggaran", stale);
}

function drawList(id, items, missing, stale, { kosong, what, columns, caption, figure }) {
  fillSection(id, missing, (content) => {
    if (!items) return;
    content.append(el("p", { class: "panel-sub" }, el("strong", { dataset: { figure } }, angka(items.length)), ` ${what}`));
    if (items.length === 0) content.append(emptyState(kosong));
    else content.append(table(caption, columns, items));
  }, `Daftar ${what}`, stale);
}

async function load(kode, tahun) {
  SECTIONS.forEach(loadingSection);
  document.body.dataset.state = "loading";
  setParams({ kode, tahun });
  const { data, errors, stale } = await ask("ProfilOpd", { kode, tahun });
  // the OPDs whose data for these parts is missing, and those whose data there is old
  const missingAndStale = (...prefixes) => [missingServices(errors, prefixes), staleServices(stale, prefixes)];
  const opd = data.opd;
  drawIdentitas(opd, kode, ...missingAndStale(["opd", "nama"], ["opd", "urusan"]));
  drawAnggaran(data.anggaranOpd, tahun, ...missingAndStale(["anggaranOpd"]));
  drawList("aplikasi", opd?.aplikasi ?? null, ...missingAndStale(["opd", "aplikasi"]), {
    what: "aplikasi", figure: "jumlah-aplikasi", caption: "Aplikasi OPD", kosong: "OPD ini belum mencatat aplikasi di katalog SPBE.",
    columns: [
      { label: "Nama", value: (a) => a.nama },
      { label: "Jenis", value: (a) => label(a.jenis) },
      { label: "Status", value: (a) => badge(label(a.status), a.status === "AKTIF" ? "hijau" : "neutral") },
      { label: "Integrasi", value: (a) => (a.terintegrasi ? "Terintegrasi" : "Belum") },
    ],
  });
  drawList("inovasi", opd?.inovasi ?? null, ...missingAndStale(["opd", "inovasi"]), {
    what: "inovasi", figure: "jumlah-inovasi", caption: "Inovasi OPD", kosong: "OPD ini belum mencatat inovasi daerah.",
    columns: [
      { label: "Nama", value: (i) => i.nama },
      { label: "Jenis", value: (i) => label(i.jenis) },
      { label: "Tahapan", value: (i) => label(i.tahapan) },
      { label: "Tahun", value: (i) => i.tahun ?? "–", numeric: true },
    ],
  });
  const aduan = opd?.aduan ? [...opd.aduan].sort((a, b) => b.tanggalLapor.localeCompare(a.tanggalLapor)) : null;
  drawList("aduan", aduan, ...missingAndStale(["opd", "aduan"]), {
    what: aduan ? `aduan, ${angka(aduan.filter(aduanTerbuka).length)} belum selesai` : "aduan",
    figure: "jumlah-aduan", caption: "Aduan kepada OPD", kosong: "Tidak ada aduan SP4N-LAPOR! yang ditujukan kepada OPD ini.",
    columns: [
      { label: "Tanggal", value: (a) => tanggalSingkat(a.tanggalLapor) },
      { label: "Topik", value: (a) => a.topik },
      { label: "Status", value: (a) => badge(label(a.status), aduanTerbuka(a) ? "emas" : "hijau") },
      { label: "Nomor pelacakan", value: (a) => a.trackingId },
    ],
  });
  document.body.dataset.state = "ready";
}

async function main() {
  const { data, errors, stale } = await ask("PilihanOpd");
  const p = params();
  const opds = data.daftarOpd ?? [];
  const years = [...(data.tahunAnggaran ?? [])].sort((a, b) => b - a);
  const pilihan = [["daftarOpd"], ["tahunAnggaran"]];
  const missing = missingServices(errors, pilihan);
  document.getElementById("pilih-notice").replaceChildren(
    ...notices(missing, staleServices(stale, pilihan), "Pilihan OPD dan tahun"),
  );
  const kode = p.get("kode") || opds[0]?.kode;
  const now = tahunIni();
  const tahun = Number.parseInt(p.get("tahun") ?? "", 10) || (years.includes(now) ? now : years[0] ?? now);
  const options = opds.map((o) => el("option", { value: o.kode }, `${o.nama} (${o.singkatan})`));
  if (kode && !opds.some((o) => o.kode === kode)) options.unshift(el("option", { value: kode }, `Kode SKPD ${kode}`));
  pilihOpd.replaceChildren(...options);
  pilihTahun.replaceChildren(...(years.includes(tahun) ? years : [tahun, ...years]).map((y) => el("option", { value: y }, String(y))));
  if (!kode) {
    SECTIONS.forEach((id) => fillSection(id, missing, (c) => c.append(emptyState("Tidak ada OPD untuk ditampilkan.")), "Bagian ini"));
    return;
  }
  pilihOpd.value = kode;
  pilihTahun.value = String(tahun);
  const reload = () => load(pilihOpd.value, Number.parseInt(pilihTahun.value, 10)).catch(pageError);
  pilihOpd.addEventListener("change", reload);
  pilihTahun.addEventListener("change", reload);
  await load(kode, tahun);
}

try {
  await main();
} catch (error) {
  pageError(error);
}
pageReady();
