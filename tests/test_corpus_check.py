"""`nianbao corpus check` on real reports and successors built from them with known problems.

The corpus: the five seed reports (real, unrelated to one another except 罗庄区 2019/2024),
plus constructed reports each carrying one planted problem:

- luozhuang-2025: 罗庄区's 2024 report one year on, narrative copied with every number
  changed, carry-over correct → a copied narrative across years, nothing else;
- linyi-2024: 临沂市's 2023 report one year on, 上年结转 76 → 71 (natural persons 75 → 70),
  narrative rewritten → a carry-over mismatch, nothing else;
- lishan-2025: 立山区 one year on, every table cell as in 2024 → identical tables;
- yuezhuang-2025: 悦庄镇 one year on, new applications 1 → 40 → an applications jump;
- jining-2023: 临沂市's 2023 narrative under 济宁市's name, numbers changed → a copied
  narrative across issuers;
- lishan-copy: the 立山区 file again under another name → identical bytes;
- luozhuang-2019-gbk: the 罗庄区 2019 report saved as GBK → the same report twice.

The check must find exactly these.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from conftest import DOC_IDS, seed_path

from extract.bulk.store import RunStore
from extract.cli import main
from extract.corpus.anomalies import AnomalySettings, anomalies
from extract.corpus.carryover import carry_over
from extract.corpus.check import CheckSettings, check_corpus
from extract.corpus.findings import CorpusReport, DocRef
from extract.corpus.identity import IssuerMap, IssuerMapError, resolve, spelling_key
from extract.corpus.load import summarise
from extract.corpus.narrative import mask_with_offsets, masked
from extract.pipeline import extract_file
from extract.record import Record
from extract.sections import split_sections
from extract.textnorm import normalise

# ---- building the corpus ------------------------------------------------------------------


def _seed(doc_id: str) -> str:
    return normalise(seed_path(doc_id).read_text("utf-8"))


def _next_year(text: str) -> str:
    return re.sub(r"(20[12]\d)(?=\s*年)", lambda m: str(int(m[1]) + 1), text)


def _narrative_spans(text: str) -> list[tuple[int, int]]:
    sections = split_sections(text)
    return sorted(
        (sections[k].body_start, sections[k].end)
        for k in ("overview", "problems", "other")
        if k in sections
    )


def _edit_narrative(text: str, edit) -> str:  # type: ignore[no-untyped-def]
    out, pos = [], 0
    for start, end in _narrative_spans(text):
        out += [text[pos:start], edit(text[start:end])]
        pos = end
    return "".join([*out, text[pos:]])


def _change_numbers(body: str) -> str:
    """Every number but a year changed, as a copier filling in this year's figures does."""
    return re.sub(
        r"(?<![\d.])(\d+)(?![\d.])",
        lambda m: m[1] if re.fullmatch(r"20[12]\d", m[1]) else str(int(m[1]) * 3 + 7),
        body,
    )


def _rewrite(body: str) -> str:
    """A new narrative: the prose goes, short lines (headings, signature, date) stay."""
    short = [line for line in body.splitlines() if 0 < len(line.strip()) <= 20]
    return "\n".join(["", "本年度工作按计划推进。", *short, ""])


def _set_row(text: str, label: str, values: list[int]) -> str:
    """The first seven numbers after a table row's label replaced (any layout)."""
    start = text.index(label) + len(label)
    cells = list(re.finditer(r"\d+", text[start:]))[:7]
    out, pos = [], start
    for cell, value in zip(cells, values, strict=True):
        out += [text[pos : start + cell.start()], str(value)]
        pos = start + cell.end()
    return text[:start] + "".join(out) + text[pos:]


CARRIED_OVER = "二、上年结转政府信息公开申请数量"
NEW = "一、本年新收政府信息公开申请数量"


def _constructed() -> dict[str, str | bytes]:
    luozhuang = _seed("luozhuang-2024")
    linyi = _seed("linyi-2023")
    lishan = _seed("lishan-2024")
    yuezhuang = _seed("yuezhuang-2024")
    return {
        "luozhuang-2025.txt": _set_row(
            _edit_narrative(_next_year(luozhuang), _change_numbers),
            CARRIED_OVER,
            [6, 0, 0, 0, 0, 0, 6],
        ),
        "linyi-2024.txt": _set_row(
            _edit_narrative(_next_year(linyi), _rewrite), CARRIED_OVER, [70, 1, 0, 0, 0, 0, 71]
        ),
        "lishan-2025.txt": _edit_narrative(_next_year(lishan), _rewrite),
        "yuezhuang-2025.txt": _set_row(
            _edit_narrative(_next_year(yuezhuang), _rewrite), NEW, [40, 0, 0, 0, 0, 0, 40]
        ),
        "jining-2023.txt": _edit_narrative(linyi, _change_numbers)
        .replace("临沂市", "济宁市")
        .replace("临沂", "济宁"),
        "lishan-copy.txt": seed_path("lishan-2024").read_bytes(),
        "luozhuang-2019-gbk.txt": seed_path("luozhuang-2019").read_text("utf-8").encode("gbk"),
    }


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Record]]:
    folder = tmp_path_factory.mktemp("corpus")
    paths = []
    for doc_id in DOC_IDS:
        paths.append(folder / f"{doc_id}.txt")
        shutil.copy(seed_path(doc_id), paths[-1])
    for name, content in _constructed().items():
        paths.append(folder / name)
        if isinstance(content, bytes):
            paths[-1].write_bytes(content)
        else:
            paths[-1].write_text(content, "utf-8")
    records = [extract_file(p)[0] for p in paths]
    jsonl = folder / "records.jsonl"
    jsonl.write_text("".join(r.model_dump_json() + "\n" for r in records), "utf-8")
    return jsonl, records


@pytest.fixture(scope="module")
def report(corpus: tuple[Path, list[Record]]) -> CorpusReport:
    return check_corpus([corpus[0]])


def _by_id(records: list[Record]) -> dict[str, Record]:
    return {r.doc_id: r for r in records}


def test_the_successors_carry_what_was_planted(corpus: tuple[Path, list[Record]]) -> None:
    records = _by_id(corpus[1])
    rows = {k: r.tables.applications.rows for k, r in records.items() if r.tables.applications}
    assert [records[k].year for k in ("luozhuang-2025", "linyi-2024", "jining-2023")] == [
        2025,
        2024,
        2023,
    ]
    assert rows["linyi-2023"]["carried_forward"] == [75, 1, 0, 0, 0, 0, 76]
    assert rows["linyi-2024"]["carried_over"] == [70, 1, 0, 0, 0, 0, 71]
    assert rows["luozhuang-2024"]["carried_forward"] == rows["luozhuang-2025"]["carried_over"]
    assert rows["yuezhuang-2025"]["new_received"][-1] == 40
    assert records["jining-2023"].issuer == "济宁市人民政府"
    assert records["luozhuang-2025"].issuer == records["luozhuang-2024"].issuer


# ---- exactly the planted problems ---------------------------------------------------------


def test_carry_over_finds_the_one_mismatch(report: CorpusReport) -> None:
    assert [(c.previous.doc_id, c.current.doc_id, c.table) for c in report.carry_over] == [
        ("linyi-2023", "linyi-2024", "applications")
    ]
    found = report.carry_over[0]
    assert (found.previous_value, found.current_value) == (76, 71)
    assert found.columns == ["natural_person", "total"]
    assert found.previous.source.endswith("linyi-2023.txt")
    assert found.current.source.endswith("linyi-2024.txt")


def test_anomalies_are_the_jump_and_the_identical_tables(report: CorpusReport) -> None:
    assert sorted((a.kind, a.current.doc_id) for a in report.anomalies) == [
        ("applications_jump", "yuezhuang-2025"),
        ("identical_tables", "lishan-2025"),
    ]
    jump = next(a for a in report.anomalies if a.kind == "applications_jump")
    assert "from 1 in 2024 to 40 in 2025" in jump.detail


def test_small_tables_alike_by_chance_are_not_copying() -> None:
    """悦庄镇 2024: one application, granted; the same next year is no sign of copying."""
    record = extract_file(seed_path("yuezhuang-2024"))[0]
    prev = summarise(record)
    cur = summarise(record.model_copy(update={"year": 2025}))
    assert anomalies("k", prev, cur, _ref("a", 2024), _ref("b", 2025), AnomalySettings()) == []
    lishan = summarise(extract_file(seed_path("lishan-2024"))[0])
    found = anomalies("k", lishan, lishan, _ref("a", 2024), _ref("b", 2025), AnomalySettings())
    assert [a.kind for a in found] == ["identical_tables"]


def test_copied_narratives_across_years_and_issuers(report: CorpusReport) -> None:
    found = {(n.kind, n.a.doc_id, n.b.doc_id) for n in report.near_duplicates}
    assert found == {
        ("across_years", "luozhuang-2024", "luozhuang-2025"),
        ("across_issuers", "jining-2023", "linyi-2023"),
    }
    for pair in report.near_duplicates:
        assert pair.similarity >= 0.5
        assert pair.shared is not None and pair.shared > 0.8
        assert pair.passages


def test_passages_are_verbatim_in_both_narratives_and_show_the_changed_numbers(
    report: CorpusReport, corpus: tuple[Path, list[Record]]
) -> None:
    pair = next(n for n in report.near_duplicates if n.kind == "across_years")
    folder = corpus[0].parent
    texts = {}
    for ref in (pair.a, pair.b):
        text = normalise((folder / Path(ref.source).name).read_text("utf-8"))
        texts[ref.doc_id] = "\n".join(
            text[s:e].strip() for s, e in _narrative_spans_with_heading(text)
        )
    a, b = texts[pair.a.doc_id], texts[pair.b.doc_id]
    for p in pair.passages:
        assert a[p.a_start : p.a_end] == p.a_text
        assert b[p.b_start : p.b_end] == p.b_text
    longest = pair.passages[0]
    assert "全区主动公开政府信息7064条" in longest.a_text
    assert "全区主动公开政府信息21199条" in longest.b_text  # 7064 × 3 + 7


def _narrative_spans_with_heading(text: str) -> list[tuple[int, int]]:
    sections = split_sections(text)
    return [
        (sections[k].body_start, sections[k].end)
        for k in ("overview", "problems", "other")
        if k in sections
    ]


def test_duplicate_inputs_by_bytes_and_by_text(report: CorpusReport) -> None:
    found = sorted((d.kind, sorted(r.doc_id for r in d.documents)) for d in report.duplicate_inputs)
    assert found == [
        ("identical_bytes", ["lishan-2024", "lishan-copy"]),
        ("same_report", ["luozhuang-2019", "luozhuang-2019-gbk"]),
    ]


def test_issuer_identity_merges_the_real_luozhuang_variants(
    report: CorpusReport, corpus: tuple[Path, list[Record]]
) -> None:
    """罗庄区 names itself 临沂市罗庄区人民政府 (2019) and, compiled by its office, 罗庄区人民政府
    or 罗庄区人民政府办公室 (2024, as the extractor reads it): one body."""
    names = sorted({r.issuer for r in corpus[1] if r.doc_id.startswith("luozhuang")})
    assert len(names) == 2 and names[0] == "临沂市罗庄区人民政府"
    assert [(i.key, i.names, i.documents) for i in report.identities] == [
        ("临沂市罗庄区人民政府", names, 4)
    ]
    assert report.totals.records == 12
    assert report.totals.issuers == 5  # 罗庄区, 临沂市, 立山区, 悦庄镇, 济宁市
    assert not report.ambiguous and not report.sources and not report.ungrouped


# ---- inputs: run stores, changed and missing sources ----------------------------------------


def test_a_run_store_gives_the_same_report_and_is_not_written(
    corpus: tuple[Path, list[Record]], report: CorpusReport, tmp_path: Path
) -> None:
    store = tmp_path / "run.sqlite"
    with RunStore(store) as s:
        for record in corpus[1]:
            s.save(record, 0.1)
        s.db.execute("PRAGMA user_version = 3")  # a later schema version is accepted
    before = store.read_bytes()
    from_store = check_corpus([store])
    assert store.read_bytes() == before
    assert from_store.model_dump(exclude={"inputs"}) == report.model_dump(exclude={"inputs"})


def test_a_sqlite_file_that_is_not_a_run_store_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    result = CliRunner().invoke(main, ["corpus", "check", str(other)])
    assert result.exit_code == 1
    assert "not a run store" in result.output


def test_changed_and_missing_sources_are_reported_not_guessed(tmp_path: Path) -> None:
    records = []
    for name in ("luozhuang-2024", "lishan-2024"):
        shutil.copy(seed_path(name), tmp_path / f"{name}.txt")
        records.append(extract_file(tmp_path / f"{name}.txt")[0])
    (tmp_path / "luozhuang-2024.txt").write_text("改过了\n" + _seed("luozhuang-2024"), "utf-8")
    (tmp_path / "lishan-2024.txt").unlink()
    jsonl = tmp_path / "records.jsonl"
    jsonl.write_text("".join(r.model_dump_json() + "\n" for r in records), "utf-8")
    report = check_corpus([jsonl])
    messages = {i.doc.doc_id: i.message for i in report.sources}
    assert "changed since it was extracted" in messages["luozhuang-2024"]
    assert "is gone" in messages["lishan-2024"]
    assert report.totals.narratives == 0


# ---- the command ----------------------------------------------------------------------------


def test_command_json_html_and_terminal(
    corpus: tuple[Path, list[Record]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    page = tmp_path / "corpus.html"
    runner = CliRunner()
    result = runner.invoke(
        main,
        [
            *("corpus", "check", str(corpus[0]), "--json", "-", "--html", str(page)),
            *("--view", "records.html"),
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    schema = Path(__file__).resolve().parent.parent / "schemas" / "corpus-report.schema.json"
    jsonschema.validate(data, json.loads(schema.read_text("utf-8")))
    assert len(data["carry_over"]) == 1 and len(data["near_duplicates"]) == 2
    html = page.read_text("utf-8")
    assert 'id="near-1"' in html and 'id="carry-1"' in html
    assert "<mark>21199</mark>" in html
    assert 'href="records.html#luozhuang-2025"' in html  # its place in `nianbao view`
    terminal = runner.invoke(main, ["corpus", "check", str(corpus[0]), "--no-narratives"])
    assert terminal.exit_code == 0, terminal.output
    assert "carry-over: 1, anomalies: 2, near-duplicate narratives: 0" in terminal.output
    assert "linyi-2024" in terminal.output


def test_issuer_map_settles_what_rules_cannot(
    corpus: tuple[Path, list[Record]], tmp_path: Path
) -> None:
    mapping = tmp_path / "issuers.toml"
    mapping.write_text('[documents]\n"jining-2023" = "临沂市人民政府"\n', "utf-8")
    report = check_corpus([corpus[0]], CheckSettings(narratives=False), IssuerMap.load(mapping))
    linyi = next(i for i in report.identities if i.key == "临沂市人民政府")
    assert linyi.names == ["临沂市人民政府", "济宁市人民政府"] and linyi.how == "issuer map"
    same_year = [d for d in report.duplicate_inputs if d.kind == "same_issuer_year"]
    # Without the narratives, the GBK copy of 罗庄区 2019 is only known as a second report.
    assert sorted(sorted(r.doc_id for r in d.documents) for d in same_year) == [
        ["jining-2023", "linyi-2023"],
        ["luozhuang-2019", "luozhuang-2019-gbk"],
    ]


def test_bad_issuer_map_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "issuers.toml"
    bad.write_text('[aliases]\n"a" = "b"\n', "utf-8")
    with pytest.raises(IssuerMapError, match=r"\[names\]"):
        IssuerMap.load(bad)


# ---- the rules, case by case ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [
        pytest.param("罗庄区政府", "罗庄区人民政府", id="short-government"),
        pytest.param("罗庄区 人民政府", "罗庄区人民政府", id="space"),
        pytest.param(
            "临沂市罗庄区行政审批服务局（临沂市罗庄区政务服务中心）",
            "临沂市罗庄区行政审批服务局",
            id="full-width-bracketed-second-name",
        ),
        pytest.param("上海市人民政府办公厅", "上海市人民政府办公室", id="office-ting-shi"),
        pytest.param("罗庄区政府办", "罗庄区人民政府办公室", id="office-short"),
        pytest.param("广州市天河区猎德街道", "广州市天河区猎德街道办事处", id="subdistrict"),
        pytest.param("中国共产党罗庄区委员会", "中共罗庄区委员会", id="party"),
        pytest.param("重庆市铜梁区", "重庆市铜梁区人民政府", id="bare-district"),
        pytest.param("天津市发展改革委", "天津市发展改革委员会", id="wei"),
    ],
)
def test_spelling_key(name: str, key: str) -> None:
    assert spelling_key(name) == key


def test_short_names_merge_only_into_one_fuller_name() -> None:
    names = [
        "临沂市罗庄区人民政府",
        "罗庄区人民政府",
        "山东省临沂市罗庄区人民政府",
        "南京市鼓楼区人民政府",
        "福州市鼓楼区人民政府",
        "鼓楼区人民政府",
        "临沂市罗庄区住房和城乡建设局",
        "住房和城乡建设局",
        "徐州市沛县人民政府",
        "沛县人民政府",
        "沈阳市和平区人民政府",
        "天津市和平区人民政府",
        "和平区人民政府",
    ]
    r = resolve((n, n, None) for n in names)
    assert (
        r.keys["罗庄区人民政府"] == r.keys["临沂市罗庄区人民政府"] == "山东省临沂市罗庄区人民政府"
    )
    assert r.keys["沛县人民政府"] == "徐州市沛县人民政府"
    assert r.keys["鼓楼区人民政府"] is None  # not grouped with either
    assert r.ambiguous == {
        "鼓楼区人民政府": ["南京市鼓楼区人民政府", "福州市鼓楼区人民政府"],
        "和平区人民政府": ["天津市和平区人民政府", "沈阳市和平区人民政府"],
    }
    assert r.keys["住房和城乡建设局"] == "住房和城乡建设局"  # 城乡 is not a township


def _ref(doc_id: str, year: int) -> DocRef:
    return DocRef(doc_id=doc_id, source="", sha256="", issuer="x", issuer_key="x", year=year)


def test_review_cases_left_pending_must_reappear(tmp_path: Path) -> None:
    record = extract_file(seed_path("linyi-2023"))[0]
    prev = summarise(record)
    tables = record.tables.model_copy(deep=True)
    assert tables.review_litigation is not None
    tables.review_litigation.reconsideration.total = 10  # 16 were pending at the end of 2023
    cur = summarise(record.model_copy(update={"tables": tables, "year": 2024}))
    found = carry_over("临沂市人民政府", prev, cur, _ref("a", 2023), _ref("b", 2024))
    review = [
        (c.table, c.previous_value, c.current_value) for c in found if c.table != "applications"
    ]
    assert review == [("reconsideration", 16, 10)]


def test_share_granted_collapse() -> None:
    record = extract_file(seed_path("luozhuang-2024"))[0]
    prev = summarise(record)
    tables = record.tables.model_copy(deep=True)
    assert tables.applications is not None
    tables.applications.rows["granted"] = [50, 1, 0, 0, 0, 0, 51]  # 194 of 269 before
    cur = summarise(record.model_copy(update={"tables": tables, "year": 2025}))
    found = anomalies("k", prev, cur, _ref("a", 2024), _ref("b", 2025), AnomalySettings())
    assert [a.kind for a in found] == ["granted_share_drop"]
    assert "72% (194/269) in 2024 to 19% (51/269) in 2025" in found[0].detail


def test_masking_keeps_offsets_into_the_original() -> None:
    text = "全年开展培训12场, 三次检查。"
    m, where = mask_with_offsets(text)
    assert m == masked(text) == "全年开展培训#场,#次检查。"
    assert [text[i] for i in where] == [
        "全",
        "年",
        "开",
        "展",
        "培",
        "训",
        "1",
        "场",
        ",",
        "三",
        "次",
        "检",
        "查",
        "。",
    ]


def test_an_ambiguous_short_name_is_not_grouped(tmp_path: Path) -> None:
    record = extract_file(seed_path("lishan-2024"))[0]
    names = {"a": "南京市鼓楼区人民政府", "b": "福州市鼓楼区人民政府", "c": "鼓楼区人民政府"}
    jsonl = tmp_path / "records.jsonl"
    jsonl.write_text(
        "".join(
            record.model_copy(
                update={"doc_id": d, "source": f"{d}.txt", "sha256": d, "issuer": n, "year": y}
            ).model_dump_json()
            + "\n"
            for (d, n), y in zip(names.items(), (2023, 2024, 2024), strict=True)
        ),
        "utf-8",
    )
    report = check_corpus([jsonl], CheckSettings(narratives=False))
    assert [(u.doc.doc_id, u.doc.issuer_key) for u in report.ungrouped] == [("c", None)]
    assert "could be 南京市鼓楼区人民政府 or 福州市鼓楼区人民政府" in report.ungrouped[0].message
    assert report.anomalies == [] and report.carry_over == []


def test_signatures_estimate_the_jaccard_similarity_of_shingles() -> None:
    from extract.corpus.narrative import read_narrative, shingle_hashes
    from extract.corpus.neardup import NearDupSettings, SignatureIndex, sign

    a = masked(read_narrative(str(seed_path("luozhuang-2024")), "").text)
    b = a[: len(a) // 2] + masked(read_narrative(str(seed_path("lishan-2024")), "").text)
    k = NearDupSettings().shingle
    exact_a = {a[i : i + k] for i in range(len(a) - k + 1)}
    exact_b = {b[i : i + k] for i in range(len(b) - k + 1)}
    assert len(shingle_hashes(a, k)) == len(exact_a)  # no two shingles hash alike here
    jaccard = len(exact_a & exact_b) / len(exact_a | exact_b)
    settings = NearDupSettings(threshold=0.2)
    index = SignatureIndex(settings)
    index.add(sign(a, settings))
    _, found = index.add(sign(b, settings))
    assert len(found) == 1 and abs(found[0][1] - jaccard) < 0.1


def test_relative_sources_resolve_against_sources_root(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    records = []
    for name in ("luozhuang-2024", "luozhuang-2019"):
        shutil.copy(seed_path(name), folder / f"{name}.txt")
        record = extract_file(folder / f"{name}.txt")[0]
        records.append(record.model_copy(update={"source": f"{name}.txt"}))
    jsonl = tmp_path / "records.jsonl"
    jsonl.write_text("".join(r.model_dump_json() + "\n" for r in records), "utf-8")
    gone = CliRunner().invoke(main, ["corpus", "check", str(jsonl), "--json", "-"])
    assert len(json.loads(gone.output)["sources"]) == 2
    found = CliRunner().invoke(
        main, ["corpus", "check", str(jsonl), "--json", "-", "--sources-root", str(folder)]
    )
    data = json.loads(found.output)
    assert data["sources"] == [] and data["totals"]["narratives"] == 2
    assert data["near_duplicates"] == []  # the two years of 罗庄区 are written afresh


def test_worker_processes_give_the_same_report(
    corpus: tuple[Path, list[Record]], report: CorpusReport
) -> None:
    parallel = check_corpus([corpus[0]], CheckSettings(jobs=2))
    assert parallel == report


CORPUS = Path(__file__).resolve().parent.parent / "eval" / "corpus" / "tune"


@pytest.mark.parametrize(
    ("doc_id", "variants"),
    [
        pytest.param(
            "a14-jingwei-2022",
            ["哈尔滨市道里区经纬街道办事处", "道里区经纬街道办事处", "经纬街道办事处"],
            id="subdistrict-with-and-without-city-and-district",
        ),
        pytest.param(
            "b12-wanli-2022", ["万里街道办事处", "上海市普陀区万里街道办事处"], id="subdistrict"
        ),
        pytest.param(
            "a15-shaanxiwjw-2021", ["陕西省卫生健康委", "陕西省卫生健康委员会"], id="wei-short"
        ),
        pytest.param(
            "c17-linkong-2022",
            [
                "云南滇中新区临空先进制造业发展局(临空先进制造业区管委会)",
                "云南滇中新区临空先进制造业发展局",
            ],
            id="bracketed-second-name",
        ),
    ],
)
def test_real_variants_from_the_corpus_share_a_key(doc_id: str, variants: list[str]) -> None:
    """Names a report (or the corpus manifest, as people write it) gives one body."""
    text = normalise((CORPUS / f"{doc_id}.txt").read_text("utf-8"))
    manifest = {
        json.loads(line)["doc_id"]: json.loads(line)["issuer"]
        for line in (CORPUS.parent / "manifest.jsonl").read_text("utf-8").splitlines()
    }
    assert all(v in text or v == manifest[doc_id] for v in variants)
    keys = resolve((v, v, None) for v in variants).keys
    assert len(set(keys.values())) == 1 and None not in keys.values()


def test_names_that_do_not_say_where_are_not_grouped() -> None:
    """县政府办公室 (嵊泗县's report) and 区政府办公室 (汉阳区's) name their body as their own
    text does; grouped by that name, every county's office would be one body."""
    for doc_id, name in (
        ("b07-shengsi-2022", "县政府办公室"),
        ("b08-hanyang-2022", "区政府办公室"),
    ):
        assert name in (CORPUS / f"{doc_id}.txt").read_text("utf-8")
    # 政务公开办公室 is what two unrelated reports of the corpus (d08, e01) are signed by.
    for doc_id in ("d08-baoligenhua-2025", "e01-xianningzwsj-2025"):
        assert "政务公开办公室" in (CORPUS / f"{doc_id}.txt").read_text("utf-8")
    names = ("县政府办公室", "区政府办公室", "政务公开办公室", "市中区人民政府")
    keys = resolve((n, n, None) for n in names).keys
    assert keys == {
        "县政府办公室": None,
        "区政府办公室": None,
        "政务公开办公室": None,
        "市中区人民政府": "市中区人民政府",
    }


def test_an_office_is_its_government_unless_both_report_in_one_year() -> None:
    r = resolve(
        [
            ("临沂市罗庄区人民政府", "临沂市罗庄区人民政府", 2019),
            ("罗庄区人民政府办公室", "罗庄区人民政府办公室", 2024),
            # 长春市人民政府办公厅 reports on its own work (eval/corpus a13), beside the city.
            ("长春市人民政府", "长春市人民政府", 2024),
            ("长春市人民政府办公厅", "长春市人民政府办公厅", 2024),
        ]
    )
    assert r.keys["罗庄区人民政府办公室"] == "临沂市罗庄区人民政府"
    assert r.identities["临沂市罗庄区人民政府"].how == "government's office"
    assert r.keys["长春市人民政府办公厅"] == "长春市人民政府办公室"
    assert r.keys["长春市人民政府"] == "长春市人民政府"


@pytest.mark.parametrize("flag", ["--json", "--html"])
def test_an_output_naming_the_records_is_refused_before_any_work(tmp_path: Path, flag: str) -> None:
    records = tmp_path / "records.jsonl"
    result = CliRunner().invoke(
        main, ["extract", "-q", str(seed_path("lishan-2024")), "-o", str(records)]
    )
    assert result.exit_code == 0, result.output
    before = records.read_bytes()
    result = CliRunner().invoke(main, ["corpus", "check", str(records), flag, str(records)])
    assert result.exit_code == 2
    assert "is also an input" in result.output
    assert records.read_bytes() == before
