"""The languages a plan can ask carers to speak: a choice from a list, never free text.

A plan's language goes to every bidder on a DPS requirement, so it must not be a field anyone can type a
son's name and phone number into. The list is ISO 639 from pycountry: every living language with a
two-letter code, and the living languages without one that English councils most often need (British Sign
Language, Sylheti, Cantonese and others), each stored as its three-letter code.
"""

import re
from functools import cache

import pycountry

# Living languages with no two-letter code that councils' interpreting services are asked for.
ALSO_OFFERED = ["bfi", "syl", "yue", "cmn", "ckb", "kmr", "prs", "pcm", "kri", "hak", "mfe", "rmn"]
# ISO's reference names, as the people who speak them would look for them.
NAMES = {
    "bfi": "British Sign Language",
    "yue": "Cantonese",
    "cmn": "Mandarin",
    "ckb": "Kurdish (Sorani)",
    "kmr": "Kurdish (Kurmanji)",
    "pan": "Punjabi",
    "ell": "Greek",
    "fas": "Persian (Farsi)",
    "prs": "Dari",
    "pcm": "Nigerian Pidgin",
    "hak": "Hakka",
    "mfe": "Mauritian Creole",
    "rmn": "Romani",
    "msa": "Malay",
    "swa": "Swahili",
    "zho": "Chinese",
    "kur": "Kurdish",
}


def _name(language) -> str:
    return NAMES.get(language.alpha_3) or re.sub(r"\s*\(.*\)$", "", language.name)


@cache
def language_choices() -> list[tuple[str, str]]:
    """(ISO 639-3 code, English name), English first, then by name."""
    offered = [lang for lang in pycountry.languages if hasattr(lang, "alpha_2") and getattr(lang, "type", "L") == "L"]
    offered += [pycountry.languages.get(alpha_3=code) for code in ALSO_OFFERED]
    by_name = sorted({lang.alpha_3: _name(lang) for lang in offered}.items(), key=lambda item: item[1])
    return [("eng", "English")] + [item for item in by_name if item[0] != "eng"]


@cache
def _codes_by_name() -> dict[str, str]:
    names = {name.casefold(): code for code, name in language_choices()}
    for language in pycountry.languages:  # ISO's own names too ("Panjabi", "Yue Chinese")
        if (code := language.alpha_3) in dict(language_choices()):
            names.setdefault(re.sub(r"\s*\(.*\)$", "", language.name).casefold(), code)
    return names


def language_code(text: str) -> str:
    """The code of a language given by its ISO code ("pl", "pol") or by the name a free-text answer starts
    with ("Polish; son Marek ..." is "pol"); "" if there is none."""
    text = (text or "").strip()
    if re.fullmatch(r"[A-Za-z]{2,3}", text):
        language = pycountry.languages.get(**{"alpha_2" if len(text) == 2 else "alpha_3": text.lower()})
        if language is not None and language.alpha_3 in dict(language_choices()):
            return language.alpha_3
    words = re.findall(r"[^\W\d_]+", text)
    for length in (3, 2, 1):  # "British Sign Language" before "British"
        if len(words) >= length and (code := _codes_by_name().get(" ".join(words[:length]).casefold())):
            return code
    return ""


def language_name(code: str) -> str:
    return dict(language_choices()).get(code, "")
