// Profil Wilayah: a kecamatan, or one of its kelurahan: population by sex and age group,
// schools, health facilities, permits and complaints. Each section comes from the OPD that
// owns it, so one OPD down leaves the other sections whole.
import {
  WARNA, angka, aduanTerbuka, ask, askBertahap, badge, chart, el, emptyState, fillSection, label,
  loadingSection, missingServices, notices, pageError, pageReady, params, setParams,
  staleServices, table, tahunIni, tanggal, tanggalSingkat,
} from "./portal.js";

const pilihKecamatan = document.getElementById("kecamatan");
const pilihKelurahan = document.getElementById("kelurahan");
const SECTIONS = ["penduduk", "sekolah", "faskes", "izin", "aduan"];
const tahun = tahunIni();
let wilayah = [];

function stats(items) {
  return el(
    "dl",
    { class: "stats" },
    items.map(([term, value, figure]) =>
      el("div", { class: "stat" }, el("dt", {}, term), el("dd", { dataset: { figure } }, value)),
    ),
  );
}

function countBy(items, key) {
  const counts = new Map();
  for (const item of items) counts.set(item[key], (counts.get(item[key]) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]);
}

function breakdown(items, key) {
  return el("ul", { class: "breakdown" }, countBy(items, key).map(([value, n]) => el("li", {}, badge(`${label(value)}: ${angka(n)}`, "kapuas"))));
}

function scrollTable(caption, columns, rows) {
  const block = table(caption, columns, rows);
  block.querySelector(".table-wrap").classList.add("scroll");
  return block;
}

function drawPenduduk(place, missing, stale, nama) {
  fillSection("penduduk", missing, (content) => {
    const penduduk = place?.penduduk;
    if (!penduduk) {
      if (!missing.length) content.append(emptyState("Data penduduk wilayah ini belum tersedia."));
      return;
    }
    content.append(
      el("p", { class: "panel-sub" }, `Penduduk terdaftar di ${nama} menurut SIAK, keadaan ${tanggal(penduduk.tanggalData)}.`),
      stats([
        ["Jumlah penduduk", angka(penduduk.jumlah), "penduduk"],
        ["Laki-laki", angka(penduduk.lakiLaki), "laki-laki"],
        ["Perempuan", angka(penduduk.perempuan), "perempuan"],
        ["Kepala keluarga", angka(penduduk.jumlahKepalaKeluarga), "kepala-keluarga"],
      ]),
    );
    const groups = [...penduduk.perKelompokUmur].sort((a, b) => b.umurMin - a.umurMin);
    if (!groups.length) return;
    content.append(
      el("h3", {}, "Piramida penduduk menurut kelompok umur"),
      el("div", { class: "chart-box tall" }, el("canvas", { id: "grafik-penduduk", role: "img", "aria-label": `Piramida penduduk ${nama} menurut jenis kelamin dan kelompok umur` })),
      el(
        "details", {},
        el("summary", {}, "Lihat tabel kelompok umur"),
        table(`Penduduk ${nama} menurut kelompok umur`, [
          { label: "Kelompok umur", value: (g) => g.kelompok },
          { label: "Laki-laki", value: (g) => angka(g.lakiLaki), numeric: true },
          { label: "Perempuan", value: (g) => angka(g.perempuan), numeric: true },
          { label: "Jumlah", value: (g) => angka(g.jumlah), numeric: true },
        ], [...groups].reverse(), { id: "tabel-umur" }),
      ),
    );
    chart(document.getElementById("grafik-penduduk"), {
      type: "bar",
      data: {
        labels: groups.map((g) => g.kelompok),
        datasets: [
          { label: "Laki-laki", data: groups.map((g) => -g.lakiLaki), backgroundColor: WARNA.kapuas },
          { label: "Perempuan", data: groups.map((g) => g.perempuan), backgroundColor: WARNA.emas },
        ],
      },
      options: {
        indexAxis: "y",
        maintainAspectRatio: false,
        plugins: { tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${angka(Math.abs(c.parsed.x))} jiwa` } } },
        scales: {
          x: { stacked: true, ticks: { callback: (v) => angka(Math.abs(v)) } },
          y: { stacked: true, title: { display: true, text: "Umur (tahun)" } },
        },
      },
    });
  }, "Data penduduk", stale);
}

function drawSekolah(sekolah, missing, stale, nama) {
  fillSection("sekolah", missing, (content) => {
    if (!sekolah) return;
    content.append(el("p", { class: "panel-sub" }, el("strong", { dataset: { figure: "jumlah-sekolah" } }, angka(sekolah.length)), ` sekolah di ${nama} (Dapodik)`));
    if (!sekolah.length) {
      content.append(emptyState("Tidak ada sekolah terdaftar di wilayah ini."));
      return;
    }
    content.append(
      breakdown(sekolah, "bentukPendidikan"),
      scrollTable(`Sekolah di ${nama}`, [
        { label: "Nama", value: (s) => s.nama },
        { label: "Bentuk", value: (s) => s.bentukPendidikan },
        { label: "Status", value: (s) => label(s.status) },
        { label: "Akreditasi", value: (s) => (s.akreditasi ? label(s.akreditasi) : "–") },
        { label: "NPSN", value: (s) => s.npsn },
      ], [...sekolah].sort((a, b) => a.nama.localeCompare(b.nama, "id"))),
    );
  }, "Daftar sekolah", stale);
}

function drawFaskes(faskes, missing, stale, nama) {
  fillSection("faskes", missing, (content) => {
    if (!faskes) return;
    content.append(el("p", { class: "panel-sub" }, el("strong", { dataset: { figure: "jumlah-faskes" } }, angka(faskes.length)), ` fasilitas kesehatan di ${nama}`));
    if (!faskes.length) {
      content.append(emptyState("Tidak ada fasilitas kesehatan terdaftar di wilayah ini."));
      return;
    }
    content.append(
      breakdown(faskes, "jenis"),
      scrollTable(`Fasilitas kesehatan di ${nama}`, [
        { label: "Nama", value: (f) => f.nama },
        { label: "Jenis", value: (f) => label(f.jenis) },
        { label: "Rawat inap", value: (f) => (f.rawatInap === null ? "–" : f.rawatInap ? "Ya" : "Tidak") },
        { label: "Alamat", value: (f) => f.alamat ?? "–" },
      ], [...faskes].sort((a, b) => a.nama.localeCompare(b.nama, "id"))),
    );
  }, "Daftar fasilitas kesehatan", stale);
}

function drawIzin(izin, missing, stale, nama) {
  fillSection("izin", missing, (content) => {
    if (!izin) return;
    const terbit = izin.filter((i) => i.status === "TERBIT").length;
    const proses = izin.filter((i) => i.status === "PROSES").length;
    content.append(
      el("p", { class: "panel-sub" }, `Izin di ${nama} tahun ${tahun}: tahun terbit, atau tahun permohonan untuk yang belum terbit.`),
      stats([
        ["Semua izin", angka(izin.length), "jumlah-izin"],
        ["Berlaku (terbit, belum dicabut)", angka(terbit), "izin-terbit"],
        ["Dalam proses", angka(proses), "izin-proses"],
      ]),
    );
    if (!izin.length) {
      content.append(emptyState(`Belum ada izin di wilayah ini pada tahun ${tahun}.`));
      return;
    }
    const perJenis = countBy(izin, "jenis");
    content.append(
      table(`Izin di ${nama} per jenis tahun ${tahun}`, [
        { label: "Jenis izin", value: ([jenis]) => jenis },
        { label: "Jumlah", value: ([, n]) => angka(n), numeric: true },
      ], perJenis),
    );
  }, "Data izin", stale);
}

function drawAduan(aduan, missing, stale, nama) {
  fillSection("aduan", missing, (content) => {
    if (!aduan) return;
    const terbuka = aduan.filter(aduanTerbuka).length;
    content.append(stats([
      ["Aduan", angka(aduan.length), "jumlah-aduan"],
      ["Belum selesai", angka(terbuka), "aduan-terbuka"],
    ]));
    if (!aduan.length) {
      content.append(emptyState(`Tidak ada aduan SP4N-LAPOR! tentang ${nama}.`));
      return;
    }
    content.append(
      scrollTable(`Aduan tentang ${nama}`, [
        { label: "Tanggal", value: (a) => tanggalSingkat(a.tanggalLapor) },
        { label: "Topik", value: (a) => a.topik },
        { label: "OPD", value: (a) => a.opd?.singkatan ?? "–" },
        { label: "Status", value: (a) => badge(label(a.status), aduanTerbuka(a) ? "emas" : "hijau") },
      ], [...aduan].sort((a, b) => b.tanggalLapor.localeCompare(a.tanggalLapor))),
    );
  }, "Daftar aduan", stale);
}

function fillKelurahanOptions(kecamatan, chosen) {
  const kel = wilayah.find((k) => k.kode === kecamatan)?.kelurahan ?? [];
  pilihKelurahan.replaceChildren(
    el("option", { value: "" }, "Seluruh kecamatan"),
    ...kel.map((k) => el("option", { value: k.kode }, k.nama)),
  );
  if (chosen && !kel.some((k) => k.kode === chosen)) pilihKelurahan.append(el("option", { value: chosen }, `Kelurahan ${chosen}`));
  pilihKelurahan.value = chosen ?? "";
}

async function load(kecamatan, kelurahan) {
  SECTIONS.forEach(loadingSection);
  document.body.dataset.state = "loading";
  setParams({ kecamatan, kelurahan });
  const root = kelurahan ? "kelurahan" : "kecamatan";
  // the population figures are computed over the whole registry: they come in a part of
  // their own (@defer), the other sections first
  let drawn = false;
  await askBertahap(
    kelurahan ? "ProfilKelurahan" : "ProfilKecamatan",
    kelurahan ? { kelurahan, tahun } : { kecamatan, tahun },
    ({ data, errors, stale, waiting }) => {
      if (!drawn) drawSections(data, errors, stale, kecamatan, kelurahan);
      drawn = true;
      if (!waiting.includes("penduduk")) {
        const place = data[root];
        const parts = [[root, "penduduk"]];
        drawPenduduk(place, missingServices(errors, parts), staleServices(stale, parts), namaWilayah(place, kecamatan, kelurahan));
      }
    },
  );
  document.body.dataset.state = "ready";
}

function namaWilayah(place, kecamatan, kelurahan) {
  const known = wilayah.find((k) => k.kode === kecamatan);
  const namaKelurahan = known?.kelurahan.find((k) => k.kode === kelurahan)?.nama;
  return kelurahan
    ? `Kelurahan ${place?.nama ?? namaKelurahan ?? kelurahan}`
    : `Kecamatan ${place?.nama ?? known?.nama ?? kecamatan}`;
}

function drawSections(data, errors, stale, kecamatan, kelurahan) {
  const root = kelurahan ? "kelurahan" : "kecamatan";
  const place = data[root];
  const nama = namaWilayah(place, kecamatan, kelurahan);
  document.getElementById("judul-wilayah").textContent = nama;
  document.title = `${nama} · Portal Data Kota Pontianak`;
  const aduan = data.daftarAduan && !kelurahan
    ? data.daftarAduan.filter((a) => a.kelurahan?.kode.startsWith(`${kecamatan}.`))
    : data.daftarAduan;
  // the OPDs whose data for this root field is missing, and those whose data there is old
  const from = (field) => [missingServices(errors, [[field]]), staleServices(stale, [[field]])];
  drawSekolah(data.daftarSekolah, ...from("daftarSekolah"), nama);
  drawFaskes(data.daftarFasilitasKesehatan, ...from("daftarFasilitasKesehatan"), nama);
  drawIzin(data.daftarIzin, ...from("daftarIzin"), nama);
  drawAduan(aduan, ...from("daftarAduan"), nama);
}

async function main() {
  const { data, errors, stale } = await ask("PilihanWilayah");
  wilayah = data.daftarKecamatan ?? [];
  const missing = missingServices(errors, [["daftarKecamatan"]]);
  document.getElementById("pilih-notice").replaceChildren(
    ...notices(missing, staleServices(stale, [["daftarKecamatan"]]), "Daftar kecamatan dan kelurahan"),
  );
  const p = params();
  const kelurahan = p.get("kelurahan") || "";
  const kecamatan = p.get("kecamatan") || (kelurahan ? kelurahan.split(".").slice(0, 3).join(".") : wilayah[0]?.kode);
  const options = wilayah.map((k) => el("option", { value: k.kode }, k.nama));
  if (kecamatan && !wilayah.some((k) => k.kode === kecamatan)) options.unshift(el("option", { value: kecamatan }, `Kecamatan ${kecamatan}`));
  pilihKecamatan.replaceChildren(...options);
  if (!kecamatan) {
    SECTIONS.forEach((id) => fillSection(id, missing, (c) => c.append(emptyState("Pilih wilayah untuk melihat datanya.")), "Bagian ini"));
    return;
  }
  pilihKecamatan.value = kecamatan;
  fillKelurahanOptions(kecamatan, kelurahan);
  const reload = () => load(pilihKecamatan.value, pilihKelurahan.value).catch(pageError);
  pilihKecamatan.addEventListener("change", () => {
    fillKelurahanOptions(pilihKecamatan.value, "");
    reload();
  });
  pilihKelurahan.addEventListener("change", reload);
  await load(kecamatan, kelurahan);
}

try {
  await main();
} catch (error) {
  pageError(error);
}
pageReady();
