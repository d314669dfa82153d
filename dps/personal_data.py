"""What must never appear on a DPS requirement: any personal detail of the person but their postcode district.

A requirement goes to every provider on an arrangement, so the check expects someone to try to slip a detail
past it. The text and the record are folded the same way before they are compared (Unicode compatibility
forms, look-alike letters to their Latin skeleton, accents and zero-width characters dropped, case folded),
and each detail is searched for in the forms people write or disguise it in: separators or digits inside a
name, abbreviated street types, dates in words, phone numbers in international form, and so on.
"""

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache, cached_property

KINDS = ("name", "date of birth", "NHS number", "address", "phone number", "next of kin", "full postcode")

MONTHS = tuple("january february march april may june july august september october november december".split())

# Names that are also everyday English words. Only these may appear in a text, and only in lower case and on
# their own ("carers may arrive early", "we will call"). A curated list rather than a dictionary package: the
# big word lists on PyPI either fold case (wordfreq, pyspellchecker: "mary" and "john" are frequent words) or
# list names in lower case as archaic words (english-words' web2 has "mary", "ann", "tom"), and every name they
# wrongly let through in lower case would be a leak. A name missing here is simply refused in any form.
EVERYDAY_WORDS = frozenset(
    [
        *MONTHS,
        # first names
        *"""amber art ash autumn bill bob brook carol chase cliff crystal daisy dawn dean don drew faith frank gene
        ginger grace grant guy hazel heather holly hope iris ivy jack jay joy lily mark miles olive pat pearl penny
        poppy ray river rob robin rose ruby sandy sky sue summer violet will willow""".split(),
        # surnames
        *"""baker banks bell bird bishop black brown bush butcher butler carter chambers church cook cross day field
        fields fish fisher ford forest fox frost glass gold green hall hill hunt hunter king knight lamb lane law little
        long lord love marsh mason miller mills moon moss north page park porter potter price reed rice rich short
        shepherd smith snow stone street swift tanner turner walker wall ward waters wells west white wood woods
        young""".split(),
    ]
)

TITLES = tuple("mr mrs miss ms mx dr sir dame lady lord rev prof".split())
KIN = tuple(
    """son daughter wife husband partner brother sister niece nephew grandson granddaughter grandchild friend
    neighbour neighbor mother father mum mom dad aunt auntie uncle cousin stepson stepdaughter fiance fiancee""".split()
)

# Street types and the abbreviations Royal Mail and people use for them. A street is matched by its name with
# any form of its type ("Cable St"), so the number and type cannot be dodged by rewriting them.
STREET_TYPES = {
    "street": ("st", "str"),
    "road": ("rd",),
    "avenue": ("ave", "av", "avn"),
    "lane": ("ln",),
    "close": ("cl",),
    "drive": ("dr", "drv"),
    "court": ("ct",),
    "place": ("pl",),
    "gardens": ("gdns", "gdn", "garden"),
    "crescent": ("cres", "cresc", "cr"),
    "terrace": ("tce", "terr", "ter"),
    "square": ("sq",),
    "grove": ("gr", "gro", "grv"),
    "way": ("wy",),
    "park": ("pk",),
    "walk": ("wlk",),
    "parade": ("pde",),
    "green": ("grn",),
    "hill": ("hl",),
    "mount": ("mt",),
    "yard": ("yd",),
    "boulevard": ("blvd",),
    "approach": ("app", "appr"),
    "buildings": ("bldgs",),
    "estate": ("est",),
    "heights": ("hts",),
    "mews": (),
    "row": (),
    "rise": (),
    "vale": (),
    "view": (),
    "wharf": (),
    "quay": (),
    "gate": (),
    "circus": (),
    "passage": (),
    "path": (),
    "croft": (),
    "chase": (),
    "embankment": (),
    "broadway": (),
}
FLAT = ("flat", "flt", "apartment", "apt")

# Digits and symbols written for letters ("Th0mpson", "4da"), and letters for digits in numbers ("O2O ...").
LETTER_LOOKALIKES = {
    "a": "4@",
    "b": "8",
    "e": "3",
    "g": "9",
    "i": "1l!|",
    "l": "1i!|",
    "o": "0",
    "s": "5$",
    "t": "7+",
    "z": "2",
}
DIGIT_LOOKALIKES = {"0": "o", "1": "il|"}


# Folding -----------------------------------------------------------------------------------------------------
@cache
def _latin_skeleton() -> dict[str, str]:
    """Each non-ASCII character that Unicode's confusables data (UTS #39) maps to an ASCII prototype."""
    # Imported here: the package reads about 1 MB of JSON, needed only when a requirement is checked.
    from confusable_homoglyphs.confusables import confusables_data

    # The package lists each pair of confusables both ways. A prototype never maps on, so a character that
    # looks like ASCII has a single entry, its prototype; ASCII characters themselves are left alone.
    return {
        char: entries[0]["c"]
        for char, entries in confusables_data.items()
        if len(char) == 1 and not char.isascii() and len(entries) == 1 and entries[0]["c"].isascii()
    }


@cache
def _fold_character(char: str) -> str:
    if char.isascii():
        return char.lower()
    skeleton = _latin_skeleton()
    folded = []
    for c in unicodedata.normalize("NFKD", char):  # NFKC's compatibility forms, with accents split off to drop
        if unicodedata.category(c)[0] == "M" or unicodedata.category(c) == "Cf":  # accents, zero-width characters
            continue
        digit = unicodedata.decimal(c, None)
        folded.append(str(digit) if digit is not None else skeleton.get(c, c))
    return "".join(skeleton.get(c, c) for c in "".join(folded).casefold())


def _fold(text: str) -> str:
    if text.isascii():
        return text.lower()
    return text.translate({ord(char): _fold_character(char) for char in set(text)})


class _Text:
    """A text as written, and folded for matching."""

    def __init__(self, text: str):
        self.written = text
        self.folded = _fold(text)
        self._folds_in_place = text.isascii()  # each character folds to one, in the same place

    @cached_property
    def _positions(self) -> list[int]:
        """The position in the written text of each folded character."""
        return [i for i, char in enumerate(self.written) for _ in _fold_character(char)]

    def as_written(self, start: int, end: int) -> str:
        """The written text that folded to folded[start:end]."""
        if self._folds_in_place:
            return self.written[start:end]
        return self.written[self._positions[start] : self._positions[end - 1] + 1] if end > start else ""


def _folded_words(value: str) -> list[str]:
    return re.findall(r"[^\W_]+", _fold(value))


def _name_words(name: str) -> list[str]:
    """The words of a name, folded, an apostrophe not splitting them: "O'Brien" is "obrien"."""
    return _folded_words(_fold(name).replace("'", ""))


# Pattern pieces ------------------------------------------------------------------------------------------------
# A detail's pattern begins with the detail itself, so that the regex engine can skip to where its first
# character appears; what may not come before it (a letter or digit) is checked on each match (_Detail.not_after).
_ALNUM = r"[^\W_]"
_START, _END = rf"(?<!{_ALNUM})", rf"(?!{_ALNUM})"  # a whole word: no letter or digit runs on
_GAP = r"[\W_]{0,3}"  # between words, and inside codes and long words: "Cable, St.", "E1.6AN", "Thom pson"
# Inside a short word, punctuation ("A.d.a", "Ad_a") or a gap after every letter ("A d a"), but not one space
# alone: "is a" and "in a" would pass for Isa and Ina.
_PUNCTUATION = r"(?:[^\w\s]|_){0,3}"
_SPACED = r"[\W_]{1,3}"
_SHORT = 6
_SUFFIX = r"(?P<suffix>'s|s'|'|e?s)?"  # plural or possessive: "the Thompsons", "Ada's"


def _character(c: str) -> str:
    lookalikes = LETTER_LOOKALIKES.get(c, "")
    return f"[{re.escape(c + lookalikes)}]" if lookalikes else re.escape(c)


def _spelled(word: str) -> str:
    """A word as it may be disguised: symbols or digits for letters, separators inside it."""
    first, *rest = [_character(c) for c in word]
    if len(word) >= _SHORT:
        return first + "".join(_GAP + c for c in rest)
    return f"{first}(?:{''.join(_PUNCTUATION + c for c in rest)}|{''.join(_SPACED + c for c in rest)})"


def _phrase(words: list[str]) -> str:
    return _GAP.join(_spelled(w) for w in words)


def _code(code: str) -> str:
    """Digits and letters in order, any spacing or punctuation between them, O for 0 and I or l for 1."""
    return _GAP.join(f"[{re.escape(c + DIGIT_LOOKALIKES[c])}]" if c in DIGIT_LOOKALIKES else re.escape(c) for c in code)


@dataclass(frozen=True)
class _Detail:
    kind: str
    pattern: str
    not_after: str | None = _ALNUM  # what may not come just before a match: a detail is a whole word or number
    leaks: Callable[[re.Match, _Text], bool] | None = None  # judges each match; None: every match leaks

    def is_in(self, text: _Text) -> bool:
        regex, position = re.compile(self.pattern), 0  # re keeps the compiled patterns
        while match := regex.search(text.folded, position):
            if self._stands_alone(match, text) and (self.leaks is None or self.leaks(match, text)):
                return True
            position = match.start() + 1
        return False

    def _stands_alone(self, match: re.Match, text: _Text) -> bool:
        start = match.start()
        return self.not_after is None or start == 0 or not re.match(self.not_after, text.folded[start - 1])


# Names ----------------------------------------------------------------------------------------------------------
_TITLE_OR_KIN = "|".join((*TITLES, *KIN))
_AFTER_TITLE_OR_KIN = re.compile(rf"{_START}(?:{_TITLE_OR_KIN}){_SPACED}$")
_DATE_BEFORE = re.compile(r"(?:\d(?:st|nd|rd|th)?(?:\s+of)?|\b(?:in|during|early|mid|late|until|till|since))[\s,-]+$")
_DATE_AFTER = re.compile(r"[\s,]+\d")


def _mostly_digits(word: str) -> bool:
    """Room 203 is not Zoe: a name disguised with digits still has more letters than digits."""
    characters = re.sub(r"[\W_]", "", word)
    return 2 * sum(c.isdigit() for c in characters) >= len(characters)


def _in_date(match: re.Match, text: _Text) -> bool:
    """A month name used as a month: next to a day or year, or after "in", "until" and the like."""
    start, end = match.span("core")
    return bool(_DATE_BEFORE.search(text.folded, max(0, start - 20), start) or _DATE_AFTER.match(text.folded, end))


def _name_leaks(word: str | None, match: re.Match, text: _Text) -> bool:
    """Whether a match of one of the person's names (`word`; None for a full name) gives the person away.

    A name that is also an everyday word passes only as that word: in lower case, undisguised, not after a
    title or kinship word ("son Will"). A month's name ("June") also passes as a month ("starts on 1 June").
    """
    start, end = match.span("core")
    if _mostly_digits(text.folded[start:end]):
        return False
    if word not in EVERYDAY_WORDS or _AFTER_TITLE_OR_KIN.search(text.folded, max(0, start - 20), start):
        return True
    written = text.as_written(start, end)
    if written == word:
        return False
    as_month = word in MONTHS and written.lower() == word and not match.group("suffix") and _in_date(match, text)
    return not as_month


def _name_details(kind: str, first_names: list[str], last_names: list[str]) -> Iterator[_Detail]:
    """Each name alone (3 letters or more, else only after a title or kinship word), and the full name either way
    round. A full name is never an everyday word, whatever its parts."""
    for word in first_names + last_names:
        title = "" if len(word) >= 3 else rf"(?:{_TITLE_OR_KIN}){_SPACED}"
        yield _Detail(
            kind,
            rf"{title}(?P<core>{_spelled(word)}){_SUFFIX}{_END}",
            leaks=lambda match, text, word=word: _name_leaks(word, match, text),
        )
    for first in first_names:
        for last in last_names:
            for pair in ([first, last], [last, first]):
                yield _Detail(
                    kind,
                    rf"(?P<core>{_phrase(pair)}){_SUFFIX}{_END}",
                    leaks=lambda match, text: _name_leaks(None, match, text),
                )


def _split_name(full_name: str) -> tuple[list[str], list[str]]:
    """First names and surname of a name as written in one field ("Mrs Grace Okafor (daughter)")."""
    words = [w for w in _name_words(full_name) if w not in TITLES and w not in KIN]
    return words[:-1], words[-1:]


# Dates ----------------------------------------------------------------------------------------------------------
def _date_of_birth_pattern(born: date) -> str:
    """Numbers in any order people write them (2/3/41, 02.03.1941, 1941-03-02, 02031941) or with the month's name
    (2nd of March 1941, March 2nd '41, 2 Mar 41)."""
    day = f"0?{born.day}" if born.day < 10 else str(born.day)
    month = f"0?{born.month}" if born.month < 10 else str(born.month)
    year = rf"(?:{born.year}|'?{born.year % 100:02d})"
    sep = r"(?:\s*[/.\\_-]\s*|\s+)"
    numeric = [
        f"{day}{sep}{month}{sep}{year}",
        f"{month}{sep}{day}{sep}{year}",
        f"{born.year}{sep}{month}{sep}{day}",
        f"{born:%d%m%Y}",
        f"{born:%d%m%y}",
        f"{born:%Y%m%d}",
    ]
    name = MONTHS[born.month - 1]
    month_name = f"(?:{name}|{name[:3]}{'|sept' if born.month == 9 else ''})"
    nth = rf"(?:the\s+)?{day}(?:st|nd|rd|th)?"
    gap = r"[\W_]{0,4}"
    in_words = [
        rf"{nth}{gap}(?:of\s+)?{month_name}{gap}{year}",
        rf"{month_name}{gap}{nth}{gap}{year}",
        rf"{born.year}{gap}{month_name}{gap}{nth}",
    ]
    return rf"(?:{'|'.join(numeric)}|{'|'.join(in_words)}){_END}"


# Numbers --------------------------------------------------------------------------------------------------------
def _phone_pattern(phone: str) -> str | None:
    """The number after its prefix (0, +44, 0044, +44 (0)), which is then free: 020 7946 0123 is 2079460123."""
    digits = re.sub(r"\D", "", _fold(phone))
    digits = digits.removeprefix("00")
    if digits.startswith("44") and len(digits) > 10:
        digits = digits[2:]
    digits = digits.lstrip("0")
    if len(digits) < 7:  # too short to tell from other numbers
        return None
    return rf"{_code(digits)}(?!\d)"


def _phone_details(kind: str, phone: str) -> Iterator[_Detail]:
    if pattern := _phone_pattern(phone):
        yield _Detail(kind, pattern, not_after=None)


def _nhs_number_details(nhs_number: str) -> Iterator[_Detail]:
    if nhs_number:
        yield _Detail("NHS number", rf"{_code(nhs_number)}(?!\d)", not_after=r"\d")


# Addresses ------------------------------------------------------------------------------------------------------
_STREET_TYPE_OF = {
    form: street_type for street_type, abbreviations in STREET_TYPES.items() for form in (street_type, *abbreviations)
}
_NOT_A_NAME = {"the", "a", "an", "of"}  # "1 The Green" is found with its number, "the green" alone is not


def _any_form_of(word: str) -> str:
    """A street type ("street" or "st") as any of its forms."""
    street_type = _STREET_TYPE_OF[word]
    return f"(?:{'|'.join(_spelled(form) for form in (street_type, *STREET_TYPES[street_type]))})"


def _address_patterns(part: list[str]) -> Iterator[str]:
    """Patterns for one part of an address, as folded words: "flat 3", "14 cable street", "rose cottage"."""
    if len(part) >= 2 and part[0] in FLAT and part[1][0].isdigit():
        yield rf"(?:{'|'.join(map(_spelled, FLAT))}){_GAP}(?:no|number)?{_GAP}{_code(part[1])}{_END}"
        part = part[2:]
    number, words = (part[0], part[1:]) if part and part[0][0].isdigit() else (None, part)
    has_type = len(words) >= 2 and words[-1] in _STREET_TYPE_OF
    name = words[:-1] if has_type else words
    street = rf"{_phrase(name)}{_GAP}{_any_form_of(words[-1])}" if has_type else _phrase(name)
    named = bool(set(name) - _NOT_A_NAME)
    if named and (has_type or len("".join(name)) >= 4):
        yield rf"{street}{_END}"  # "Cable St", "Rose Cottage", with or without the number
    if number and named:
        yield rf"{_code(number)}{_GAP}{_phrase(name)}{_END}"  # "14 Cable"
    elif number and words:
        yield rf"{_code(number)}{_GAP}{street}{_END}"  # "1 The Green"


def _address_details(*lines: str) -> Iterator[_Detail]:
    for line in lines:
        for part in line.split(","):
            for pattern in _address_patterns(_folded_words(part)):
                yield _Detail("address", pattern)


def _postcode_details(postcode: str) -> Iterator[_Detail]:
    if code := "".join(_folded_words(postcode)):
        yield _Detail("full postcode", rf"{_code(code)}{_END}")


# The check ------------------------------------------------------------------------------------------------------
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")  # embeddings, overrides and isolates


def _details(person) -> Iterator[_Detail]:
    yield from _name_details("name", _name_words(person.first_name), _name_words(person.last_name))
    if person.date_of_birth:
        yield _Detail("date of birth", _date_of_birth_pattern(person.date_of_birth), not_after=r"\d")
    yield from _nhs_number_details(person.nhs_number)
    yield from _address_details(person.address_line_1, person.address_line_2)
    yield from _phone_details("phone number", person.phone)
    yield from _name_details("next of kin", *_split_name(person.representative_name))
    yield from _phone_details("next of kin", person.representative_phone)
    yield from _postcode_details(person.postcode)


def find_personal_details(text: str, person) -> list[str]:
    """The kinds of the person's details that the text gives away, in the order of KINDS, each once.

    Every detail the record holds is looked for (the person's and their representative's), however it is
    written or disguised: any case, look-alike letters from other scripts, zero-width or other separators,
    digits for letters, abbreviations, other date and phone formats. Blank details are never matched. The
    postcode district alone is allowed, and so are names that are everyday words used as words. The town is
    not looked for: a postcode district lies in one post town, so the town says no more than the district.
    """
    texts = [_Text(text)]
    if _BIDI_CONTROLS.search(text):  # "\u202enospmohT" shows as "Thompson": read it backwards too
        texts.append(_Text(text[::-1]))
    found = set()
    for detail in _details(person):
        if detail.kind not in found and any(detail.is_in(folded) for folded in texts):
            found.add(detail.kind)
    return [kind for kind in KINDS if kind in found]
