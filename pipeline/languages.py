"""English names for BCP 47 language tags, offline and without a locale library.

The index says which language each handout is in. A name ("English (United Kingdom)") is clearer
to a reader than a tag ("en-GB"), but naming every language and region would need CLDR data (the
`babel` package); this short table covers the languages and regions a clinic most often publishes
in. Any tag it cannot name whole is shown as written: a tag is never half translated or guessed.
"""

from __future__ import annotations

LANGUAGES = {
    "am": "Amharic", "ar": "Arabic", "bg": "Bulgarian", "bn": "Bengali", "cs": "Czech", "cy": "Welsh",
    "da": "Danish", "de": "German", "el": "Greek", "en": "English", "es": "Spanish", "fa": "Persian",
    "fi": "Finnish", "fr": "French", "ga": "Irish", "gd": "Scottish Gaelic", "gu": "Gujarati", "he": "Hebrew",
    "hi": "Hindi", "hr": "Croatian", "hu": "Hungarian", "it": "Italian", "ja": "Japanese", "ko": "Korean",
    "ku": "Kurdish", "lt": "Lithuanian", "lv": "Latvian", "ml": "Malayalam", "ne": "Nepali", "nl": "Dutch",
    "no": "Norwegian", "pa": "Punjabi", "pl": "Polish", "ps": "Pashto", "pt": "Portuguese", "ro": "Romanian",
    "ru": "Russian", "sk": "Slovak", "so": "Somali", "sq": "Albanian", "sv": "Swedish", "sw": "Swahili",
    "ta": "Tamil", "th": "Thai", "ti": "Tigrinya", "tl": "Tagalog", "tr": "Turkish", "uk": "Ukrainian",
    "ur": "Urdu", "vi": "Vietnamese", "yo": "Yoruba", "zh": "Chinese",
}
SCRIPTS = {"arab": "Arabic script", "cyrl": "Cyrillic", "hans": "Simplified", "hant": "Traditional", "latn": "Latin script"}
REGIONS = {
    "419": "Latin America", "at": "Austria", "au": "Australia", "be": "Belgium", "br": "Brazil", "ca": "Canada",
    "ch": "Switzerland", "cn": "China", "de": "Germany", "es": "Spain", "fr": "France", "gb": "United Kingdom",
    "hk": "Hong Kong", "ie": "Ireland", "in": "India", "mx": "Mexico", "nz": "New Zealand", "pk": "Pakistan",
    "pt": "Portugal", "tw": "Taiwan", "us": "United States", "za": "South Africa",
}


def language_name(tag: str) -> str:
    """'en-GB' -> 'English (United Kingdom)', 'zh-Hant' -> 'Chinese (Traditional)'; the tag itself
    when any part of it is not in the tables (variants, extensions, private use, rare languages)."""
    language, *rest = tag.lower().split("-")
    name = LANGUAGES.get(language)
    if name is None:
        return tag
    details = []
    if rest and rest[0] in SCRIPTS:
        details.append(SCRIPTS[rest.pop(0)])
    if rest and rest[0] in REGIONS:
        details.append(REGIONS[rest.pop(0)])
    if rest:
        return tag
    return f"{name} ({', '.join(details)})" if details else name
