"""A stable key for the body that issued a report, with the names it was given kept.

Reports name the same body differently (临沂市罗庄区人民政府, 罗庄区人民政府, 罗庄区政府,
（全角）brackets); grouping by year needs one key. Rules settle the spelling; a name that
lacks its parent divisions is merged into the one fuller name in the corpus that ends with
it; what no rule can settle comes from an issuer map (TOML) the user writes.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from extract.errors import NianbaoError

_SPACE = re.compile(r"[\s\u200b\u3000]+")
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】|〔[^〔〕]*〕")
# 罗庄区政府 → 罗庄区人民政府; 区政府办 → 区人民政府办公室; 办公厅 (provinces) = 办公室.
_SPELLINGS = (
    (re.compile(r"(?<!人民)政府"), "人民政府"),
    (re.compile(r"人民政府办(?:公[室厅])?$"), "人民政府办公室"),
    (re.compile(r"^中国共产党"), "中共"),
    (re.compile(r"街道$"), "街道办事处"),
    (re.compile(r"委$"), "委员会"),  # 陕西省卫生健康委 = 陕西省卫生健康委员会
    (re.compile(r"(?<=[省市区县旗镇乡])$"), "人民政府"),
)
_PLACE = r"[^\W\d_]"
# One administrative division above the body: 山东省, 临沂市, 罗庄区, 沂源县, 某某自治州 …
_DIVISION = (
    rf"{_PLACE}{{2,10}}?"
    r"(?:省|自治区|特别行政区|市|自治州|州|盟|地区|自治县|县|新区|区|旗)"
)
_PREFIX = re.compile(rf"(?:{_DIVISION})+")
# A name that says where it is (罗庄区…, 悦庄镇…), so that a parent may be put before it.
_LOCATED = re.compile(
    # 城乡 is not a township: 住房和城乡建设局 says nothing about where it is.
    rf"^(?:{_PLACE}{{2,10}}?(?:省|自治区|市|自治州|州|盟|地区|县|区|旗|镇|(?<!城)乡|街道)"
    rf"|{_PLACE}县)"
)


# A name that says "this county's office" without saying which county (县政府办公室,
# 市政府和市政府办公厅): grouping by it would put every county's office together.
# (市中区 is a district's name; 镇江, 镇原, 乡宁… are places.)
_UNLOCATED = re.compile(r"^(?:本|该|我|省|市(?!中区)|区|县|州|盟|旗|街道|(?:镇|乡)(?=人民政府|党))")


# Every body's name holds its place (杭州市教育局, 郑州高新区…); one that holds none
# (政务公开办公室) is a function, shared by thousands of bodies.
_UNIT = re.compile(r"[省市区县旗州盟镇乡]|街道|苏木|嘎查")


def unlocated(key: str) -> bool:
    return bool(_UNLOCATED.match(key)) or not _UNIT.search(key)


class IssuerMapError(NianbaoError):
    """The issuer map cannot be read."""


def spelling_key(name: str) -> str:
    """The name with its spelling settled: width, spaces, brackets, 政府/人民政府."""
    key = unicodedata.normalize("NFKC", name)
    key = _SPACE.sub("", key).replace("〔", "(").replace("〕", ")")
    bare = _BRACKETED.sub("", key)
    # A bracketed second name (区行政审批服务局(区政务服务中心)) is often left out.
    key = bare if len(bare) >= 4 else key
    for pattern, replacement in _SPELLINGS:
        key = pattern.sub(replacement, key)
    return key


def extends(longer: str, shorter: str) -> bool:
    """True when ``longer`` is ``shorter`` with parent divisions put before it."""
    if len(longer) <= len(shorter) or not longer.endswith(shorter):
        return False
    prefix = longer[: -len(shorter)]
    return bool(_PREFIX.fullmatch(prefix)) and bool(_LOCATED.match(shorter))


@dataclass
class IssuerMap:
    """What the user settled: names (as records spell them) and documents → the body."""

    names: dict[str, str] = field(default_factory=dict)
    documents: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> IssuerMap:
        try:
            data = tomllib.loads(path.read_text("utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise IssuerMapError(f"{path}: cannot read the issuer map: {exc}") from exc
        unknown = set(data) - {"names", "documents"}
        if unknown:
            raise IssuerMapError(
                f"{path}: unknown tables {sorted(unknown)}; an issuer map has [names] "
                "(issuer as written → body) and [documents] (doc_id or sha256 → body)"
            )
        out = cls()
        for table in ("names", "documents"):
            entries = data.get(table, {})
            bad = [k for k, v in entries.items() if not isinstance(v, str) or not v.strip()]
            if not isinstance(entries, dict) or bad:
                raise IssuerMapError(f"{path}: [{table}] needs text values; check {bad}")
            setattr(out, table, dict(entries))
        return out

    def name_for(self, doc_id: str, sha256: str, issuer: str) -> str:
        for key in (doc_id, sha256):
            if key in self.documents:
                return self.documents[key]
        return self.names.get(issuer, issuer)


@dataclass
class Identity:
    """One body: its key, the name shown for it, and every name it was given."""

    key: str
    display: str
    names: list[str]
    how: str  # "spelling", "parent divisions", "issuer map" or "" when one name only


@dataclass
class Resolution:
    """Name (after the map) → key, the bodies found, and names no rule could settle."""

    keys: dict[str, str | None]  # None: ambiguous
    identities: dict[str, Identity]
    ambiguous: dict[str, list[str]]


def _fuller(name: str, by_tail: dict[str, list[str]]) -> list[str]:
    fuller = by_tail.get(name, [])
    return sorted(f for f in fuller if not any(extends(g, f) for g in fuller))


def _offices_into_governments(
    keys: dict[str, str | None], years: dict[str, set[int]], by_tail: dict[str, list[str]]
) -> set[str]:
    """A government's report is often compiled, and so named, by its office (罗庄区人民政府
    办公室): the office is merged into its government, unless both published a report for
    one year, which shows the office also reports on its own work."""
    present: dict[str, set[int]] = defaultdict(set)
    for mapped, key in keys.items():
        if key is not None:
            present[key] |= years.get(mapped, set())
    moved: dict[str, str] = {}
    for key in present:
        if not key.endswith("人民政府办公室"):
            continue
        government = key[: -len("办公室")]
        if government not in present:
            tops = _fuller(government, by_tail)
            government = tops[0] if len(tops) == 1 else ""
        if government in present and not present[key] & present[government]:
            moved[key] = government
    for mapped, key in keys.items():
        if key in moved:
            keys[mapped] = moved[key]
    return set(moved.values())


def resolve(named: Iterable[tuple[str, str, int | None]]) -> Resolution:
    """Keys for ``(original, mapped, year)`` as they occur in a corpus (repeats count
    towards the name shown). A short name is merged into the one fuller name ending with it;
    when two fuller names do (鼓楼区 of 南京市 and of 福州市), it gets no key and is listed."""
    uses: Counter[tuple[str, str]] = Counter()
    years: dict[str, set[int]] = defaultdict(set)
    for original, mapped, year in named:
        uses[(original, mapped)] += 1
        if year is not None:
            years[mapped].add(year)
    spelled = {mapped: spelling_key(mapped) for _, mapped in uses}
    distinct = set(spelled.values())
    # The governments of offices are looked for too (罗庄区人民政府 for its 办公室).
    tails = distinct | {n[: -len("办公室")] for n in distinct if n.endswith("人民政府办公室")}
    # Each name against its own tails: linear in the corpus, not quadratic.
    by_tail: dict[str, list[str]] = defaultdict(list)
    for name in distinct:
        for i in range(2, len(name) - 3):
            if name[i:] in tails and extends(name, name[i:]):
                by_tail[name[i:]].append(name)
    merged: dict[str, str] = {}
    ambiguous: dict[str, list[str]] = {}
    for name in sorted(distinct):
        tops = _fuller(name, by_tail)
        if len(tops) == 1:
            merged[name] = tops[0]
        elif tops:
            ambiguous[name] = tops
    # An ambiguous or unlocated name has no key: grouping it with any body could be wrong.
    keys = {
        m: None if s in ambiguous or unlocated(s) else merged.get(s, s) for m, s in spelled.items()
    }
    governments = _offices_into_governments(keys, years, by_tail)
    members: dict[str, Counter[str]] = defaultdict(Counter)
    mapped_any: set[str] = set()
    for (original, mapped), n in uses.items():
        key = keys[mapped]
        if key is None:
            continue
        members[key][original] += n
        if original != mapped:
            mapped_any.add(key)
    identities = {}
    for key, names in members.items():
        ordered = sorted(names, key=lambda s: (-names[s], -len(s), s))
        how = ""
        if len(names) > 1:
            if key in mapped_any:
                how = "issuer map"
            elif key in governments and any(n.endswith(("办公室", "办公厅")) for n in names):
                how = "government's office"
            elif any(spelling_key(n) != key for n in names):
                how = "parent divisions"
            else:
                how = "spelling"
        identities[key] = Identity(key=key, display=ordered[0], names=sorted(names), how=how)
    return Resolution(keys=keys, identities=identities, ambiguous=ambiguous)
